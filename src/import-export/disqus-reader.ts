import { isoGmt } from './dates';
import type { Notes } from './notes';
import type { ImportedStatus, LateThread, ParsedComment } from './types';
import { ReaderError, TextBuffer, type XmlReader } from './xml-stream';

/** Threads kept in memory to name posts' articles; far more than any site has, and bounded. */
export const MAX_THREADS = 2_000_000;

/** The `dsq:id` attribute (namespace http://disqus.com/disqus-internals), whatever its prefix. */
function dsqId(attributes: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(attributes)) {
    const colon = name.indexOf(':');
    if (colon > 0 && name.slice(colon + 1) === 'id' && name.slice(0, colon) !== 'xmlns') return value;
  }
  return null;
}

/** Disqus `isSpam` / `isDeleted` → status: spam wins, then deleted → trash, else approved. Only "true" is true. */
export function disqusStatus(isSpam: string, isDeleted: string): ImportedStatus {
  if (isSpam.toLowerCase() === 'true') return 'spam';
  if (isDeleted.toLowerCase() === 'true') return 'trash';
  return 'approved';
}

interface Open {
  kind: 'thread' | 'post';
  id: string | null;
  fields: Map<string, string>;
  /** Post: its thread's and parent's dsq:id. */
  threadRef: string | null;
  parentRef: string | null;
}

/**
 * Reads a Disqus export: threads (kept by id: link and title) and every `<post>` that is a direct
 * child of `<disqus>`, in document order. A post whose thread comes later in the file is emitted with
 * a null article; the thread is then listed in `lateThreads` for the importer to fix up at the end.
 */
export class DisqusReader implements XmlReader<ParsedComment> {
  readonly threads = new Map<string, LateThread>();
  /** Thread ids posts pointed at before the thread was read. */
  private readonly unresolved = new Set<string>();
  readonly lateThreads = new Map<string, LateThread>();
  private open_: Open | null = null;
  private field: { path: string; depth: number; text: TextBuffer } | null = null;
  private out: ParsedComment[] = [];

  constructor(private readonly notes: Notes) {}

  open(local: string, attributes: Record<string, string>, depth: number): void {
    if (depth === 1 && local !== 'disqus') throw new ReaderError(`this is not a Disqus export: its root element is <${local.slice(0, 40)}>, not <disqus>`);
    if (depth === 2 && (local === 'thread' || local === 'post')) {
      this.open_ = { kind: local, id: dsqId(attributes), fields: new Map(), threadRef: null, parentRef: null };
      return;
    }
    const o = this.open_;
    if (!o || this.field) return;
    if (o.kind === 'post' && depth === 3 && local === 'thread') o.threadRef = dsqId(attributes);
    if (o.kind === 'post' && depth === 3 && local === 'parent') o.parentRef = dsqId(attributes);
    const wanted =
      o.kind === 'thread'
        ? depth === 3 && (local === 'link' || local === 'title' || local === 'isDeleted' || local === 'isClosed')
        : (depth === 3 && ['message', 'createdAt', 'isDeleted', 'isSpam', 'ipAddress'].includes(local)) || (depth === 4 && (local === 'name' || local === 'email'));
    if (wanted) this.field = { path: depth === 4 ? `author.${local}` : local, depth, text: new TextBuffer() };
  }

  text(chunk: string, depth: number): void {
    if (this.field && depth === this.field.depth && !this.field.text.add(chunk)) {
      throw new ReaderError(`<${this.field.path}> holds more than 1,000,000 characters`);
    }
  }

  close(_local: string, depth: number): void {
    const o = this.open_;
    if (this.field && depth === this.field.depth) {
      o!.fields.set(this.field.path, this.field.text.take());
      this.field = null;
      return;
    }
    if (!o || depth !== 2) return;
    this.open_ = null;
    if (o.kind === 'thread') this.addThread(o);
    else this.out.push(this.build(o));
  }

  drain(): ParsedComment[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private addThread(o: Open): void {
    if (o.id === null) return;
    if (this.threads.size >= MAX_THREADS) throw new ReaderError(`more than ${MAX_THREADS} threads`);
    const thread = { articleKey: o.fields.get('link') || null, articleTitle: o.fields.get('title') || null };
    if (this.threads.has(o.id)) this.notes.add(`thread ${o.id} appears twice: the first one names its posts' article`);
    else this.threads.set(o.id, thread);
    if ((o.fields.get('isDeleted') ?? '').toLowerCase() === 'true' || (o.fields.get('isClosed') ?? '').toLowerCase() === 'true') {
      this.notes.add(`thread ${o.id} is deleted or closed: its posts keep their own status`);
    }
    if (this.unresolved.delete(o.id)) this.lateThreads.set(o.id, this.threads.get(o.id)!);
  }

  private build(o: Open): ParsedComment {
    const get = (name: string) => o.fields.get(name) ?? '';
    const originId = o.id ?? '';
    if (!originId) this.notes.add('a post without dsq:id');
    const thread = o.threadRef !== null ? this.threads.get(o.threadRef) : undefined;
    if (o.threadRef !== null && !thread) this.unresolved.add(o.threadRef);
    const created = isoGmt(get('createdAt'));
    if (created.zoneless && created.value) this.notes.add(`post ${originId}: createdAt without a zone, read as UTC`);
    if (!created.value) this.notes.add(`post ${originId}: createdAt "${get('createdAt').slice(0, 40)}" is not a date`);
    return {
      originId,
      articleKey: thread?.articleKey ?? null,
      articleTitle: thread?.articleTitle ?? null,
      parentOriginId: o.parentRef,
      authorName: get('author.name'),
      authorEmail: get('author.email') || null,
      authorUrl: null,
      authorIp: get('ipAddress') || null,
      createdAtGmt: created.value,
      body: get('message'),
      status: disqusStatus(get('isSpam'), get('isDeleted')),
      type: 'comment',
      scope: '',
      threadId: o.threadRef,
    };
  }

  /** Threads posts pointed at that never came: their posts keep a null article. */
  missingThreads(): string[] {
    return [...this.unresolved];
  }
}
