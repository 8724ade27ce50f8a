import type { Pool, PoolClient } from './pool';
import type { CheckResult, CommentInput, CommentStatus, Decision, RequestContext } from '../moderation/types';
import { fingerprintBody } from '../moderation/fingerprint';

/** A comment as the reader listing shows it: no email, no IP. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  authorName: string;
  authorUrl: string | null;
  body: string;
  createdAt: string;
  replies: PublicComment[];
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
}

/** Reasons worth recording on the first event: what moved the decision (non-pass, enforced). */
export function decisiveReasons(verdicts: readonly CheckResult[]) {
  return verdicts
    .filter((v) => v.verdict !== 'pass' && (v.mode ?? 'enforce') === 'enforce')
    .flatMap((v) => v.reasons.map((r) => ({ check: v.check, ...r })));
}

/**
 * Stores a decided comment and its first moderation event, keyed by the comment id: a job that
 * runs twice (worker crash after commit, stalled job re-run) writes nothing the second time.
 * The body's fingerprint (../moderation/fingerprint.ts) is stored for duplicate and campaign checks.
 * Returns false when the comment was already stored. Call inside a transaction.
 */
export async function insertDecidedComment(client: PoolClient, comment: CommentInput, request: RequestContext, decision: Decision): Promise<boolean> {
  const fingerprint = fingerprintBody(comment.body);
  const inserted = await client.query(
    `INSERT INTO comments (id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons,
                           ip, user_agent, referrer, submitted_at, decided_at, body_hash, body_minhash, body_lsh)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), decode($15, 'hex'), $16, $17)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      comment.id, comment.articleId, comment.parentId, comment.authorName, comment.authorEmail, comment.authorUrl, comment.body,
      decision.status, decision.score, JSON.stringify(decision.verdicts), request.ip, request.userAgent, request.referrer, request.receivedAt,
      fingerprint.hash, fingerprint.minhash, fingerprint.bands,
    ],
  );
  if (inserted.rowCount === 0) return false;
  await client.query(
    `INSERT INTO moderation_events (comment_id, from_status, to_status, actor, reasons) VALUES ($1, NULL, $2, 'system', $3)`,
    [comment.id, decision.status, JSON.stringify(decisiveReasons(decision.verdicts))],
  );
  return true;
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
  comments: PublicComment[];
  nextCursor: string | null;
}

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
  const [top, total] = await Promise.all([
    pool.query<PublicRow>(
      `SELECT id, parent_id, author_name, author_url, body, submitted_at FROM comments
       WHERE article_id = $1 AND status = 'approved' AND parent_id IS NULL ${after}
       ORDER BY submitted_at, id LIMIT $2`,
      params,
    ),
    pool.query<{ n: string }>(`SELECT count(*) AS n FROM comments WHERE article_id = $1 AND status = 'approved'`, [articleId]),
  ]);
  const page = top.rows.slice(0, opts.limit);
  const hasMore = top.rows.length > opts.limit;
  const replies = page.length
    ? await pool.query<PublicRow>(
        `WITH RECURSIVE thread AS (
           SELECT c.id, c.parent_id, c.author_name, c.author_url, c.body, c.submitted_at, 1 AS depth
           FROM comments c WHERE c.parent_id = ANY($1::uuid[]) AND c.status = 'approved' AND c.article_id = $2
           UNION ALL
           SELECT c.id, c.parent_id, c.author_name, c.author_url, c.body, c.submitted_at, t.depth + 1
           FROM comments c JOIN thread t ON c.parent_id = t.id
           WHERE c.status = 'approved' AND c.article_id = $2 AND t.depth < 100
         )
         SELECT id, parent_id, author_name, author_url, body, submitted_at FROM thread ORDER BY submitted_at, id`,
        [page.map((r) => r.id), articleId],
      )
    : { rows: [] as PublicRow[] };
  const last = page[page.length - 1];
  return {
    articleId,
    total: Number(total.rows[0].n),
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
}

function toPublic(row: PublicRow): PublicComment {
  return { id: row.id, parentId: row.parent_id, authorName: row.author_name, authorUrl: row.author_url, body: row.body, createdAt: row.submitted_at.toISOString(), replies: [] };
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
  // until autovacuum's first ANALYZE (see history-batch-repository.ts). Versions are kept in memory
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
