import { withTransaction, type Pool, type PoolClient } from './pool';

/**
 * Rows of `comment_origins` (migrations/0050): imported comments' provenance. Imported comments are
 * written by insertDecidedComments (comment-repository.ts), the one write path; this file holds the
 * import's finishing touches and the export's reads.
 */

/** Comments to move from a placeholder article to the article their thread names. */
export interface ArticleMove {
  from: string;
  to: string;
  articleKey: string | null;
  articleTitle: string | null;
}

/**
 * Posts stored before their thread was read (Disqus): moves them from their placeholder articles to
 * the threads' articles, many threads per statement (one hash join, not one scan per thread).
 * Returns how many comments moved.
 */
export async function moveToArticles(db: PoolClient, source: string, site: string, moves: readonly ArticleMove[]): Promise<number> {
  if (!moves.length) return 0;
  const { rowCount } = await db.query(
    `WITH m AS (
       SELECT * FROM jsonb_to_recordset($3::jsonb) AS t("from" text, "to" text, "articleKey" text, "articleTitle" text)
     ),
     moved AS (
       UPDATE comments c SET article_id = m."to", updated_at = now()
       FROM comment_origins o, m
       WHERE o.comment_id = c.id AND o.source = $1 AND o.site = $2 AND c.article_id = m."from"
       RETURNING c.id, m."articleKey", m."articleTitle"
     )
     UPDATE comment_origins o SET article_key = moved."articleKey", article_title = moved."articleTitle"
     FROM moved WHERE o.comment_id = moved.id`,
    [source, site, JSON.stringify(moves)],
  );
  return rowCount ?? 0;
}

/**
 * Replies whose parent is in neither the file nor the database become top-level comments (their
 * parent's origin id stays in comment_origins). Returns how many.
 */
export async function detachOrphanReplies(db: PoolClient, source: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE comments c SET parent_id = NULL, updated_at = now()
     FROM comment_origins o
     WHERE o.comment_id = c.id AND o.source = $1 AND c.parent_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id)`,
    [source],
  );
  return rowCount ?? 0;
}

/** A comment to teach the spam model from. */
export interface LessonCandidate {
  id: string;
  status: 'approved' | 'spam';
  body: string;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
}

/**
 * The most recent `limit` approved and `limit` spam comments imported from `source` (and `site`) that hold no
 * lesson yet under their decision key (`review:<id>`, the key moderators' decisions use).
 */
export async function listUntaughtImported(pool: Pool, source: string, site: string, limit: number, lessonsTable: string): Promise<LessonCandidate[]> {
  const { rows } = await pool.query(
    `SELECT * FROM (
       SELECT c.id, c.status, c.body, c.author_name, c.author_email, c.author_url, c.submitted_at,
              row_number() OVER (PARTITION BY c.status ORDER BY c.submitted_at DESC, c.id) AS n
       FROM comments c JOIN comment_origins o ON o.comment_id = c.id
       WHERE o.source = $1 AND o.site = $3 AND c.status IN ('approved', 'spam')
         AND NOT EXISTS (SELECT 1 FROM ${lessonsTable} l WHERE l.key = 'review:' || c.id::text)
     ) t WHERE n <= $2 ORDER BY submitted_at, id`,
    [source, limit, site],
  );
  return rows.map((r) => ({ id: r.id, status: r.status, body: r.body, authorName: r.author_name, authorEmail: r.author_email, authorUrl: r.author_url }));
}

/**
 * Every comment but rejected ones, grouped by article and the article key the export named (so a
 * WordPress post comes back out as the item it was read from), oldest first: one server-side cursor,
 * read `pageSize` rows at a time, so a large table is never held whole. Runs in one transaction on
 * one client (a consistent snapshot). `onPage` is awaited before the next page is read.
 */
export async function forEachExportPage(pool: Pool, pageSize: number, onPage: (rows: ExportRow[]) => Promise<void>): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(
      `DECLARE export_comments NO SCROLL CURSOR FOR
       SELECT c.id, c.article_id, o.article_key, o.article_title, o.source, o.origin_scope, o.origin_id, c.parent_id,
              o.parent_origin_id, c.author_name, c.author_email, c.author_url, host(c.ip) AS ip, c.submitted_at, c.body,
              c.status, coalesce(o.comment_type, 'comment') AS comment_type
       FROM comments c LEFT JOIN comment_origins o ON o.comment_id = c.id
       WHERE c.status <> 'rejected'
       ORDER BY c.article_id, coalesce(o.article_key, ''), c.submitted_at, c.id`,
    );
    for (;;) {
      const { rows } = await client.query(`FETCH ${Math.max(1, Math.floor(pageSize))} FROM export_comments`);
      if (!rows.length) break;
      await onPage(rows.map(toExportRow));
    }
  });
}

/** The largest numeric WordPress comment id imported: exported comments of other origins are numbered above it. */
export async function maxWordPressCommentId(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string | null }>(
    `SELECT max(origin_id::bigint)::text AS n FROM comment_origins WHERE source = 'wordpress' AND origin_id ~ '^[0-9]{1,15}$'`,
  );
  return Number(rows[0].n ?? 0);
}

/** One comment as the exporters write it. */
export interface ExportRow {
  id: string;
  articleId: string;
  articleKey: string | null;
  articleTitle: string | null;
  source: string | null;
  originScope: string | null;
  originId: string | null;
  parentId: string | null;
  parentOriginId: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  ip: string | null;
  submittedAt: Date;
  body: string;
  status: string;
  type: string;
}

function toExportRow(r: Record<string, any>): ExportRow {
  return {
    id: r.id,
    articleId: r.article_id,
    articleKey: r.article_key,
    articleTitle: r.article_title,
    source: r.source,
    originScope: r.origin_scope,
    originId: r.origin_id,
    parentId: r.parent_id,
    parentOriginId: r.parent_origin_id,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    ip: r.ip,
    submittedAt: r.submitted_at,
    body: r.body,
    status: r.status,
    type: r.comment_type,
  };
}
