import type { Pool, PoolClient } from './pool';
import type { BodyFingerprint, CheckResult, CommentInput, CommentStatus, Decision, RequestContext } from '../moderation/types';

/** A comment as the reader listing shows it: no email, no IP. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  authorName: string;
  authorUrl: string | null;
  body: string;
  createdAt: string;
  replies: PublicComment[];
  /** An editors' pick (present only when true). */
  featured?: true;
}

/** A stored comment, for the submitter's status view and for moderators. */
export interface StoredComment {
  id: string;
  articleId: string;
  parentId: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  body: string;
  status: CommentStatus;
  score: number;
  verdicts: CheckResult[];
  ip: string | null;
  userAgent: string | null;
  referrer: string | null;
  submittedAt: string;
  decidedAt: string;
  /** When an editor made it a pick (null: not one). */
  featuredAt?: string | null;
}

/**
 * One decided comment to store, with its body's fingerprint and the reasons its first moderation
 * event records (both computed by the caller: ../moderation/fingerprint.ts, ../moderation/pipeline.ts).
 */
export interface DecidedComment {
  comment: CommentInput;
  request: RequestContext;
  decision: Decision;
  fingerprint: BodyFingerprint;
  eventReasons: readonly unknown[];
  /** Who the first event names: 'system' (the worker's decision) unless set, e.g. 'import:wordpress'. */
  actor?: string;
  /** Set for an imported comment: stored with it in `comment_origins`, and the key that keeps a re-run from storing it twice. */
  origin?: CommentOrigin;
}

/** Where an imported comment came from (migrations/0050_comment-origins.sql). */
export interface CommentOrigin {
  source: 'wordpress' | 'disqus';
  /** The site the export came from, as the import was told (`--site`); '' by default. */
  site: string;
  /** What `originId` is unique in: the WordPress post's guid/link, '' for Disqus. */
  scope: string;
  originId: string;
  parentOriginId: string | null;
  articleKey: string | null;
  articleTitle: string | null;
  type: 'comment' | 'pingback' | 'trackback';
}

/**
 * The one write path of a decided comment. Stores many decided comments and their first moderation
 * events in ONE statement (so one implicit transaction and one round trip): a multi-row INSERT …
 * ON CONFLICT (id) DO NOTHING, and, in the same statement, a first event for exactly the rows it
 * inserted. Keyed by the comment id: a comment already stored (a job that runs twice after a worker
 * crash or a stalled re-run) writes nothing, a failure writes nothing at all, and the unique
 * first-event index keeps one first event per comment. A batch of one stores one comment.
 * The rows travel as one JSON document (jsonb_to_recordset): one JSON.stringify instead of escaping
 * eighteen text arrays element by element, which cost the worker more than the insert itself.
 * Returns the ids that were inserted now. Ids must be unique within `items` (the caller dedupes).
 *
 * Imported comments (`origin` set) are keyed by their origin too, in the same statement: the origin
 * row is inserted first (unless the comment is already stored; ON CONFLICT DO NOTHING: the same source,
 * site, scope and origin id, or the same comment id) and the comment only
 * when its origin row was new, so a re-run import stores nothing twice, even for a comment an
 * erasure has since deleted (its origin row stays).
 */
export async function insertDecidedComments(db: Pool | PoolClient, items: readonly DecidedComment[]): Promise<Set<string>> {
  if (!items.length) return new Set();
  const rows = items.map(({ comment, request, decision, fingerprint, eventReasons, actor, origin }) => ({
    id: comment.id,
    article_id: comment.articleId,
    parent_id: comment.parentId,
    author_name: comment.authorName,
    author_email: comment.authorEmail,
    author_url: comment.authorUrl,
    body: comment.body,
    status: decision.status,
    score: decision.score,
    reasons: decision.verdicts,
    ip: request.ip,
    user_agent: request.userAgent,
    referrer: request.referrer,
    submitted_at: request.receivedAt,
    body_hash: fingerprint.hash,
    body_minhash: fingerprint.minhash,
    body_lsh: fingerprint.bands,
    event_reasons: eventReasons,
    // Only imports carry these (a key left out reads as NULL): the worker's rows stay as short as before.
    ...(actor === undefined ? {} : { actor }),
    ...(origin === undefined
      ? {}
      : {
          origin_source: origin.source,
          origin_site: origin.site,
          origin_scope: origin.scope,
          origin_id: origin.originId,
          parent_origin_id: origin.parentOriginId,
          article_key: origin.articleKey,
          article_title: origin.articleTitle,
          comment_type: origin.type,
        }),
  }));
  const { rows: inserted } = await db.query<{ id: string }>({
    name: 'insert-decided-comments',
    text: `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS t(id uuid, article_id text, parent_id uuid, author_name text, author_email text, author_url text, body text,
              status text, score float8, reasons jsonb, ip inet, user_agent text, referrer text, submitted_at timestamptz,
              body_hash text, body_minhash int[], body_lsh int[], event_reasons jsonb, actor text,
              origin_source text, origin_site text, origin_scope text, origin_id text, parent_origin_id text, article_key text,
              article_title text, comment_type text)
     ),
     origins AS (
       INSERT INTO comment_origins (comment_id, source, site, origin_scope, origin_id, parent_origin_id, article_key, article_title, comment_type)
       SELECT id, origin_source, origin_site, origin_scope, origin_id, parent_origin_id, article_key, article_title, comment_type
       FROM input WHERE origin_source IS NOT NULL AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = input.id)
       ON CONFLICT DO NOTHING
       RETURNING comment_id
     ),
     inserted AS (
       INSERT INTO comments (id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons,
                             ip, user_agent, referrer, submitted_at, decided_at, body_hash, body_minhash, body_lsh)
       SELECT id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons,
              ip, user_agent, referrer, submitted_at, now(), decode(body_hash, 'hex'), body_minhash, body_lsh
       FROM input
       WHERE origin_source IS NULL OR id IN (SELECT comment_id FROM origins)
       ON CONFLICT (id) DO NOTHING
       RETURNING id, status
     ),
     events AS (
       INSERT INTO moderation_events (comment_id, from_status, to_status, actor, reasons)
       SELECT i.id, NULL, i.status, coalesce(input.actor, 'system'), input.event_reasons FROM inserted i JOIN input ON input.id = i.id
     )
     SELECT id FROM inserted`,
    values: [JSON.stringify(rows)],
  });
  return new Set(inserted.map((r) => r.id));
}

interface CommentRow {
  id: string;
  article_id: string;
  parent_id: string | null;
  author_name: string;
  author_email: string;
  author_url: string | null;
  body: string;
  status: CommentStatus;
  score: number;
  reasons: CheckResult[];
  ip: string | null;
  user_agent: string | null;
  referrer: string | null;
  submitted_at: Date;
  decided_at: Date;
  featured_at?: Date | null;
}

export function toStoredComment(row: CommentRow): StoredComment {
  return {
    id: row.id,
    articleId: row.article_id,
    parentId: row.parent_id,
    authorName: row.author_name,
    authorEmail: row.author_email,
    authorUrl: row.author_url,
    body: row.body,
    status: row.status,
    score: Number(row.score),
    verdicts: row.reasons,
    ip: row.ip,
    userAgent: row.user_agent,
    referrer: row.referrer,
    submittedAt: row.submitted_at.toISOString(),
    decidedAt: row.decided_at.toISOString(),
    featuredAt: row.featured_at ? row.featured_at.toISOString() : null,
  };
}

export async function findCommentById(pool: Pool | PoolClient, id: string): Promise<StoredComment | null> {
  const { rows } = await pool.query<CommentRow>('SELECT * FROM comments WHERE id = $1', [id]);
  return rows[0] ? toStoredComment(rows[0]) : null;
}

/** A page of an article's approved comments, threaded. */
export interface ArticleCommentsPage {
  articleId: string;
  total: number;
  /** Editors' picks of the whole article (not only this page), most recently picked first. */
  featuredIds: string[];
  featured: PublicComment[];
  comments: PublicComment[];
  nextCursor: string | null;
}

/** Editors' picks shown above an article's comments, at most. */
export const MAX_FEATURED = 10;

/** WordPress's default thread depth: deeper replies are shown at this depth, never dropped. */
export const MAX_THREAD_DEPTH = 5;

/**
 * Approved comments of an article: top-level comments oldest first, paged by a cursor, each with
 * its approved replies nested (depth ≤ MAX_THREAD_DEPTH).
 */
export async function listApprovedForArticle(pool: Pool, articleId: string, opts: { limit: number; cursor: Cursor | null }): Promise<ArticleCommentsPage> {
  const params: unknown[] = [articleId, opts.limit + 1];
  let after = '';
  if (opts.cursor) {
    params.push(opts.cursor.submittedAt, opts.cursor.id);
    after = 'AND (submitted_at, id) > ($3::timestamptz, $4::uuid)';
  }
  const [top, total, featured] = await Promise.all([
    pool.query<PublicRow>(
      `SELECT id, parent_id, author_name, author_url, body, submitted_at, featured_at FROM comments
       WHERE article_id = $1 AND status = 'approved' AND parent_id IS NULL ${after}
       ORDER BY submitted_at, id LIMIT $2`,
      params,
    ),
    pool.query<{ n: string }>(`SELECT count(*) AS n FROM comments WHERE article_id = $1 AND status = 'approved'`, [articleId]),
    pool.query<PublicRow>(
      `SELECT id, parent_id, author_name, author_url, body, submitted_at, featured_at FROM comments
       WHERE article_id = $1 AND status = 'approved' AND featured_at IS NOT NULL ORDER BY featured_at DESC, id LIMIT $2`,
      [articleId, MAX_FEATURED],
    ),
  ]);
  const page = top.rows.slice(0, opts.limit);
  const hasMore = top.rows.length > opts.limit;
  const replies = page.length
    ? await pool.query<PublicRow>(
        `WITH RECURSIVE thread AS (
           SELECT c.id, c.parent_id, c.author_name, c.author_url, c.body, c.submitted_at, c.featured_at, 1 AS depth
           FROM comments c WHERE c.parent_id = ANY($1::uuid[]) AND c.status = 'approved' AND c.article_id = $2
           UNION ALL
           SELECT c.id, c.parent_id, c.author_name, c.author_url, c.body, c.submitted_at, c.featured_at, t.depth + 1
           FROM comments c JOIN thread t ON c.parent_id = t.id
           WHERE c.status = 'approved' AND c.article_id = $2 AND t.depth < 100
         )
         SELECT id, parent_id, author_name, author_url, body, submitted_at, featured_at FROM thread ORDER BY submitted_at, id`,
        [page.map((r) => r.id), articleId],
      )
    : { rows: [] as PublicRow[] };
  const last = page[page.length - 1];
  return {
    articleId,
    total: Number(total.rows[0].n),
    featuredIds: featured.rows.map((r) => r.id),
    featured: featured.rows.map(toPublic),
    comments: buildThreads(page, replies.rows),
    nextCursor: hasMore && last ? encodeCursor({ submittedAt: last.submitted_at.toISOString(), id: last.id }) : null,
  };
}

interface PublicRow {
  id: string;
  parent_id: string | null;
  author_name: string;
  author_url: string | null;
  body: string;
  submitted_at: Date;
  featured_at?: Date | null;
}

function toPublic(row: PublicRow): PublicComment {
  const c: PublicComment = { id: row.id, parentId: row.parent_id, authorName: row.author_name, authorUrl: row.author_url, body: row.body, createdAt: row.submitted_at.toISOString(), replies: [] };
  if (row.featured_at) c.featured = true;
  return c;
}

/** Nests replies under their parents; a reply deeper than MAX_THREAD_DEPTH joins its ancestor at that depth. */
function buildThreads(top: PublicRow[], replies: PublicRow[]): PublicComment[] {
  const nodes = new Map<string, { node: PublicComment; depth: number }>();
  const roots = top.map((r) => {
    const node = toPublic(r);
    nodes.set(r.id, { node, depth: 1 });
    return node;
  });
  for (const row of replies) {
    const parent = row.parent_id ? nodes.get(row.parent_id) : undefined;
    if (!parent) continue;
    const node = toPublic(row);
    if (parent.depth < MAX_THREAD_DEPTH) {
      parent.node.replies.push(node);
      nodes.set(row.id, { node, depth: parent.depth + 1 });
    } else {
      const holder = findAtDepth(nodes, parent.node, MAX_THREAD_DEPTH - 1);
      holder.replies.push(node);
      nodes.set(row.id, { node, depth: MAX_THREAD_DEPTH });
    }
  }
  return roots;
}

/** The ancestor of `node` that sits at `depth` (the one whose replies are at the maximum depth). */
function findAtDepth(nodes: Map<string, { node: PublicComment; depth: number }>, node: PublicComment, depth: number): PublicComment {
  let current = nodes.get(node.id)!;
  while (current.depth > depth && current.node.parentId) current = nodes.get(current.node.parentId)!;
  return current.node;
}

export interface Cursor {
  submittedAt: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.submittedAt}|${c.id}`).toString('base64url');
}

/** Decodes a cursor; null when it is not one of ours. */
export function decodeCursor(raw: string): Cursor | null {
  const [submittedAt, id] = Buffer.from(raw, 'base64url').toString().split('|');
  if (!submittedAt || !id || Number.isNaN(Date.parse(submittedAt)) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { submittedAt, id };
}

/**
 * A cheap version of an article's approved listing, for ETags: the number of approved comments and
 * an order-independent 64-bit digest (XOR) of each one's (id, updated_at). One index range scan, no
 * bodies read. It changes whenever a comment enters or leaves `approved` (insert, status change,
 * delete) and whenever an approved comment's `updated_at` moves.
 *
 * Invariant for every writer: a change to what readers see of an approved comment (body, author
 * name or URL, parent, submitted_at) that keeps it approved must also set `updated_at = now()`.
 */
export async function approvedListingVersion(pool: Pool, articleId: string): Promise<string> {
  // Not a named (prepared) statement: a generic plan made while the table was empty would scan it
  // until autovacuum's first ANALYZE (see history-repository.ts). Versions are kept in memory
  // (listing-versions.ts), so this runs once per article and change, not per request.
  const { rows } = await pool.query<{ n: number; digest: string }>(
    `SELECT count(*)::int AS n,
            coalesce(bit_xor(hashtextextended(id::text, floor(extract(epoch FROM updated_at) * 1000000)::bigint)), 0)::text AS digest
     FROM comments WHERE article_id = $1 AND status = 'approved'`,
    [articleId],
  );
  const digest = BigInt.asUintN(64, BigInt(rows[0].digest)).toString(36);
  return `${rows[0].n.toString(36)}-${digest}`;
}

/** Approved-comment counts for index pages; every asked id is present (0 when it has none). */
export async function countApprovedForArticles(pool: Pool, articleIds: readonly string[]): Promise<Record<string, number>> {
  // A Map, then fromEntries: an id such as "__proto__" stays a plain key.
  const counts = new Map(articleIds.map((id) => [id, 0]));
  if (articleIds.length) {
    const { rows } = await pool.query<{ article_id: string; n: number }>(
      `SELECT article_id, count(*)::int AS n FROM comments
       WHERE article_id = ANY($1::text[]) AND status = 'approved' GROUP BY article_id`,
      [articleIds],
    );
    for (const row of rows) counts.set(row.article_id, row.n);
  }
  return Object.fromEntries(counts);
}
