import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { forEachExportPage, maxWordPressCommentId, type ExportRow } from '../db/comment-origin-repository';
import type { Pool } from '../db/pool';
import { META_ID, META_PARENT_ID } from './wordpress-reader';

export type ExportFormat = 'wordpress' | 'json';

/** Rows read from Postgres per page. */
const PAGE = 1000;
/** Post ids of exported items that were not WordPress posts without a guid: far above any real post id. */
const ITEM_ID_BASE = 1_000_000_000;

/** Characters XML 1.0 does not allow, whatever the escaping (a reader's pasted control characters). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A CDATA section; a `]]>` inside is split over two sections, as WordPress's exporter does. */
function cdata(s: string): string {
  return `<![CDATA[${s.replace(NOT_XML, '').split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, WordPress's date format. */
function wpDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

const WP_STATUS: Record<string, string> = { approved: '1', pending: '0', spam: 'spam', trash: 'trash' };

/** Writes and waits when the stream's buffer is full, so memory stays flat on a large export. */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** What an export wrote. */
export interface ExportSummary {
  comments: number;
  articles: number;
}

/**
 * Writes every comment (rejected ones aside: they were never published nor held) to `out`, streamed
 * from Postgres a page at a time.
 * - `wordpress`: a WXR 1.2 file for WordPress's importer (Tools → Import → WordPress): one item per
 *   article (the article key an import read, else the article id, as guid and link), its comments with
 *   status (1, 0, spam, trash), type, parent, author, email, URL, IP and GMT date. Comments imported from
 *   WordPress keep their comment ids and items their guid; every comment carries its id here (and its
 *   parent's) as comment meta, so importing the file here again stores nothing twice whatever the
 *   comment's origin; other comments are numbered above the largest imported WordPress comment id.
 * - `json`: `{ "exportedAt", "comments": [...] }`, one object per comment, with the fields of the import
 *   fixtures' expected files plus the service's own ids (docs/import-export.md).
 * Both hold personal data (emails, IPs): keep the file as you keep the database.
 */
export async function exportComments(pool: Pool, format: ExportFormat, out: Writable, opts: { siteUrl: string; now?: Date }): Promise<ExportSummary> {
  const now = opts.now ?? new Date();
  const summary: ExportSummary = { comments: 0, articles: 0 };
  if (format === 'json') {
    await write(out, `{"exportedAt":${JSON.stringify(now.toISOString())},"comments":[`);
    let lastArticle: string | null = null;
    await forEachExportPage(pool, PAGE, async (rows) => {
      let text = '';
      for (const r of rows) {
        if (r.articleId !== lastArticle) summary.articles += 1;
        lastArticle = r.articleId;
        text += `${summary.comments ? ',' : ''}\n${JSON.stringify(jsonComment(r))}`;
        summary.comments += 1;
      }
      await write(out, text);
    });
    await write(out, '\n]}\n');
    return summary;
  }

  let nextCommentId = (await maxWordPressCommentId(pool)) + 1;
  let nextItemId = ITEM_ID_BASE;
  let group: string | null = null;
  let exportedIds = new Map<string, string>();
  await write(out, wxrHeader(opts.siteUrl, now));
  await forEachExportPage(pool, PAGE, async (rows) => {
    let text = '';
    for (const r of rows) {
      const wpOrigin = r.source === 'wordpress';
      const key = `${r.articleId}\u0000${r.articleKey ?? (wpOrigin ? r.originScope : '')}`;
      if (key !== group) {
        if (group !== null) text += '\t</item>\n';
        group = key;
        exportedIds = new Map();
        summary.articles += 1;
        const postScope = wpOrigin && !r.articleKey && r.originScope?.startsWith('post:') ? r.originScope.slice(5) : null;
        text += itemHeader(r, postScope && /^[0-9]{1,15}$/.test(postScope) ? postScope : String(nextItemId++));
      }
      const ownId = wpOrigin && r.originId && /^[0-9]{1,15}$/.test(r.originId) ? r.originId : String(nextCommentId++);
      exportedIds.set(r.id, ownId);
      const parent = r.parentId ? (exportedIds.get(r.parentId) ?? (wpOrigin && r.parentOriginId && /^[0-9]{1,15}$/.test(r.parentOriginId) ? r.parentOriginId : '0')) : '0';
      text += wxrComment(r, ownId, parent, r.parentId);
      summary.comments += 1;
    }
    await write(out, text);
  });
  if (group !== null) await write(out, '\t</item>\n');
  await write(out, '</channel>\n</rss>\n');
  return summary;
}

function jsonComment(r: ExportRow) {
  return {
    id: r.id,
    articleId: r.articleId,
    source: r.source ?? 'native',
    originId: r.originId,
    articleKey: r.articleKey,
    articleTitle: r.articleTitle,
    parentId: r.parentId,
    parentOriginId: r.parentOriginId,
    authorName: r.authorName,
    authorEmail: r.authorEmail || null,
    authorUrl: r.authorUrl,
    authorIp: r.ip,
    createdAtGmt: `${r.submittedAt.toISOString().slice(0, 19)}Z`,
    body: r.body,
    status: r.status,
    type: r.type,
  };
}

function wxrHeader(siteUrl: string, now: Date): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<!-- Comments exported by the comment moderation service: import them with Tools > Import > WordPress. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Comments</title>
	<link>${xmlText(siteUrl)}</link>
	<description>Comments exported by the comment moderation service</description>
	<pubDate>${now.toUTCString().replace('GMT', '+0000')}</pubDate>
	<language>en</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>${xmlText(siteUrl)}</wp:base_site_url>
	<wp:base_blog_url>${xmlText(siteUrl)}</wp:base_blog_url>
	<generator>comment-moderation</generator>
`;
}

function itemHeader(r: ExportRow, postId: string): string {
  const wpWithoutKey = r.source === 'wordpress' && !r.articleKey;
  const key = r.articleKey ?? r.articleId;
  const slug = r.articleId.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 190) || `article-${postId}`;
  const date = wpDate(r.submittedAt);
  return `	<item>
		<title>${cdata(r.articleTitle ?? r.articleId)}</title>
${wpWithoutKey ? '' : `		<link>${xmlText(key)}</link>\n`}		<pubDate>${r.submittedAt.toUTCString().replace('GMT', '+0000')}</pubDate>
		<dc:creator>${cdata('')}</dc:creator>
${wpWithoutKey ? '' : `		<guid isPermaLink="false">${xmlText(key)}</guid>\n`}		<description></description>
		<content:encoded>${cdata('')}</content:encoded>
		<excerpt:encoded>${cdata('')}</excerpt:encoded>
		<wp:post_id>${postId}</wp:post_id>
		<wp:post_date>${cdata(date)}</wp:post_date>
		<wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>
		<wp:comment_status>${cdata('open')}</wp:comment_status>
		<wp:ping_status>${cdata('open')}</wp:ping_status>
		<wp:post_name>${cdata(slug)}</wp:post_name>
		<wp:status>${cdata('publish')}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>${cdata('post')}</wp:post_type>
		<wp:post_password>${cdata('')}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
`;
}

/** Comment meta naming the comment's id here (and its parent's), read back by the import: see wordpress-reader.ts. */
function idMeta(key: string, value: string): string {
  return `			<wp:commentmeta>
				<wp:meta_key>${cdata(key)}</wp:meta_key>
				<wp:meta_value>${cdata(value)}</wp:meta_value>
			</wp:commentmeta>
`;
}

function wxrComment(r: ExportRow, id: string, parent: string, parentId: string | null): string {
  const date = wpDate(r.submittedAt);
  return `		<wp:comment>
			<wp:comment_id>${id}</wp:comment_id>
			<wp:comment_author>${cdata(r.authorName)}</wp:comment_author>
			<wp:comment_author_email>${cdata(r.authorEmail)}</wp:comment_author_email>
			<wp:comment_author_url>${cdata(r.authorUrl ?? '')}</wp:comment_author_url>
			<wp:comment_author_IP>${cdata(r.ip ?? '')}</wp:comment_author_IP>
			<wp:comment_date>${cdata(date)}</wp:comment_date>
			<wp:comment_date_gmt>${cdata(date)}</wp:comment_date_gmt>
			<wp:comment_content>${cdata(r.body)}</wp:comment_content>
			<wp:comment_approved>${cdata(WP_STATUS[r.status] ?? '0')}</wp:comment_approved>
			<wp:comment_type>${cdata(r.type)}</wp:comment_type>
			<wp:comment_parent>${parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
${idMeta(META_ID, r.id)}${parentId ? idMeta(META_PARENT_ID, parentId) : ''}		</wp:comment>
`;
}
