import { wordpressGmt } from './dates';
import type { Notes } from './notes';
import type { ImportedStatus, ImportedType, ParsedComment } from './types';
import { ReaderError, TextBuffer, type XmlReader } from './xml-stream';
import { isUuid } from '../lib/uuid';

/** Fields of an item that name its article. */
const ITEM_FIELDS = new Set(['title', 'guid', 'link', 'post_id']);
/** Fields of a `wp:comment` read (by local name); `commentmeta` and anything else is ignored. */
const COMMENT_FIELDS = new Set([
  'comment_id',
  'comment_author',
  'comment_author_email',
  'comment_author_url',
  'comment_author_IP',
  'comment_date_gmt',
  'comment_content',
  'comment_approved',
  'comment_type',
  'comment_parent',
]);

/** Comment meta this service writes into its WXR exports: the comment's own id and its parent's (see export-comments.ts). */
export const META_ID = '_comment_moderation_id';
export const META_PARENT_ID = '_comment_moderation_parent_id';

interface Item {
  depth: number;
  fields: Map<string, string>;
  /** Comments read before the item's title, guid, link and post id were all seen (unusual): emitted at the item's end. */
  waiting: Map<string, string>[];
}

/** WordPress `comment_approved` → status; `post-trashed` and unknown values with a note. */
export function wordpressStatus(raw: string, note: (text: string) => void): ImportedStatus {
  const value = raw.toLowerCase();
  if (value === '1') return 'approved';
  if (value === '0') return 'pending';
  if (value === 'spam') return 'spam';
  if (value === 'trash') return 'trash';
  if (value === 'post-trashed') {
    note('comment_approved "post-trashed" (its post is in the trash) imported as trash');
    return 'trash';
  }
  note(`comment_approved "${raw.slice(0, 40)}" is not 1, 0, spam or trash: imported as pending`);
  return 'pending';
}

/** WordPress `comment_type` → type; unknown types are comments, with a note. */
export function wordpressType(raw: string, note: (text: string) => void): ImportedType {
  const value = raw.toLowerCase();
  if (value === '' || value === 'comment') return 'comment';
  if (value === 'pingback' || value === 'trackback') return value;
  note(`comment_type "${raw.slice(0, 40)}" imported as a comment`);
  return 'comment';
}

/**
 * Reads a WordPress WXR export (1.0, 1.1, 1.2; any namespace URI): every `wp:comment` that is a
 * direct child of an `<item>` in `<channel>`, whatever the item's post type, in document order.
 * Memory: one item's fields and one comment at a time (plus, in a file that puts an item's comments
 * before its guid, that item's comments).
 */
export class WordPressReader implements XmlReader<ParsedComment> {
  private item: Item | null = null;
  private comment: { depth: number; fields: Map<string, string> } | null = null;
  /** The `wp:commentmeta` being read: only this service's own keys are kept (as fields `meta:<key>`). */
  private meta: { depth: number; fields: Map<string, string> } | null = null;
  private field: { name: string; depth: number; text: TextBuffer } | null = null;
  private out: ParsedComment[] = [];

  constructor(private readonly notes: Notes) {}

  open(local: string, _attributes: Record<string, string>, depth: number): void {
    if (depth === 1 && local !== 'rss') throw new ReaderError(`this is not a WordPress export (WXR): its root element is <${local.slice(0, 40)}>, not <rss>`);
    if (local === 'item' && depth === 3 && !this.item) {
      this.item = { depth, fields: new Map(), waiting: [] };
      return;
    }
    const item = this.item;
    if (!item || this.field) return;
    if (local === 'comment' && depth === item.depth + 1 && !this.comment) {
      this.comment = { depth, fields: new Map() };
      return;
    }
    if (this.comment && local === 'commentmeta' && depth === this.comment.depth + 1 && !this.meta) {
      this.meta = { depth, fields: new Map() };
      return;
    }
    if (this.meta) {
      if (depth === this.meta.depth + 1 && (local === 'meta_key' || local === 'meta_value')) this.field = { name: local, depth, text: new TextBuffer() };
      return;
    }
    const parent = this.comment ?? item;
    const wanted = this.comment ? COMMENT_FIELDS : ITEM_FIELDS;
    if (depth === parent.depth + 1 && wanted.has(local)) this.field = { name: local, depth, text: new TextBuffer() };
  }

  text(chunk: string, depth: number): void {
    if (this.field && depth === this.field.depth && !this.field.text.add(chunk)) {
      throw new ReaderError(`<${this.field.name}> holds more than 1,000,000 characters`);
    }
  }

  close(local: string, depth: number): void {
    if (this.field && depth === this.field.depth) {
      (this.meta ?? this.comment ?? this.item)!.fields.set(this.field.name, this.field.text.take());
      this.field = null;
      return;
    }
    if (this.meta && depth === this.meta.depth) {
      const key = this.meta.fields.get('meta_key');
      const value = this.meta.fields.get('meta_value') ?? '';
      if ((key === META_ID || key === META_PARENT_ID) && isUuid(value)) this.comment!.fields.set(`meta:${key}`, value.toLowerCase());
      this.meta = null;
      return;
    }
    const item = this.item;
    if (!item) return;
    if (this.comment && depth === this.comment.depth) {
      const fields = this.comment.fields;
      this.comment = null;
      if (ITEM_FIELDS.size === item.fields.size) this.out.push(this.build(item, fields));
      else item.waiting.push(fields);
      return;
    }
    if (depth === item.depth) {
      for (const fields of item.waiting) this.out.push(this.build(item, fields));
      this.item = null;
    }
  }

  drain(): ParsedComment[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private build(item: Item, fields: Map<string, string>): ParsedComment {
    const get = (name: string) => fields.get(name) ?? '';
    const articleKey = item.fields.get('guid') || item.fields.get('link') || null;
    const originId = get('comment_id');
    const where = `comment ${originId || '(no id)'} on ${articleKey ?? 'an item without guid or link'}`;
    const note = (text: string) => this.notes.add(`${where}: ${text}`);
    const parent = get('comment_parent');
    const rawDate = get('comment_date_gmt');
    const createdAtGmt = wordpressGmt(rawDate);
    if (!createdAtGmt && rawDate && !rawDate.startsWith('0000-00-00')) note(`comment_date_gmt "${rawDate.slice(0, 40)}" is not a date`);
    if (!originId) note('no comment_id');
    const postId = item.fields.get('post_id') || '';
    return {
      originId,
      articleKey,
      articleTitle: item.fields.get('title') || null,
      parentOriginId: parent === '' || parent === '0' ? null : parent,
      authorName: get('comment_author'),
      authorEmail: get('comment_author_email') || null,
      authorUrl: get('comment_author_url') || null,
      authorIp: get('comment_author_IP') || null,
      createdAtGmt,
      body: get('comment_content'),
      status: wordpressStatus(get('comment_approved'), note),
      type: wordpressType(get('comment_type'), note),
      scope: articleKey ?? `post:${postId}`,
      ...(fields.has(`meta:${META_ID}`) ? { serviceId: fields.get(`meta:${META_ID}`), serviceParentId: fields.get(`meta:${META_PARENT_ID}`) ?? null } : {}),
    };
  }
}
