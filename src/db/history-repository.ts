import type { Pool } from './pool';
import type { AuthorHistory, CampaignQuery, CommentInput, CommentStatus } from '../moderation/types';

/**
 * The stored-history look-ups the checks need, for many comments at once: one query per kind for a
 * whole batch, each row of the input answered by its own index look-up (a LATERAL subquery per row,
 * served by the indexes of migrations/0001 and 0003), so a busy worker does a handful of queries per
 * batch instead of three or four per comment. A batch of one serves the rule tester. Each function
 * answers in the order of its input. ./history-lookup.ts groups concurrent callers into batches.
 *
 * These statements are deliberately not named (prepared): Postgres plans a prepared statement
 * generically after five runs and keeps that plan until the table's statistics change. On a new
 * install the first runs see an empty table, and the generic plan then scans it until autovacuum
 * first analyzes it: measured (tests/integration/db/plan-cache.test.ts) at
 * 1.0–1.5 s per batch of 50 once it held 20,000 rows, against 6 ms for a connection that plans each
 * run; in end-to-end runs on fresh databases it left the worker seconds behind in 2 of 4.
 */

/** History counts stop at this: the checks need "none / some", not exact totals, and this bounds the work. */
const COUNT_CAP = 100;
/** Campaign look-ups read at most this many matching rows: three authors are found long before. */
const CAMPAIGN_ROWS = 500;

export async function findParents(pool: Pool, ids: readonly string[]): Promise<({ articleId: string; status: CommentStatus } | null)[]> {
  const { rows } = await pool.query<{ id: string; article_id: string; status: CommentStatus }>(
    'SELECT id, article_id, status FROM comments WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, { articleId: r.article_id, status: r.status }]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The duplicate rule's comparison of a stored comment `c` with the one asked about `q`, whatever its hash. */
const SAME_COMMENT = `c.article_id = q.article_id AND c.body = q.body
         AND c.parent_id IS NOT DISTINCT FROM q.parent_id AND c.author_name = q.author_name
         AND lower(c.author_email) = lower(q.author_email) AND c.status <> 'trash' AND c.id <> q.id`;

/**
 * WordPress's duplicate rule per comment: same article, parent, author, email and body, not trashed.
 * Found through (article_id, body_hash); rows stored before fingerprints existed have no hash and are
 * compared by body. `hashes` are the bodies' fingerprint hashes. The two cases are two branches, each an
 * equality search of (article_id, body_hash): written as one condition with OR, the planner chose, while the
 * table's statistics were behind (a new install, a burst), an index on (article_id, status) instead and read
 * every comment of the article for each look-up — a drain of 20,000 comments to one article cost Postgres
 * twice as much per comment as one of 10,000 (comments_article_status_idx scanned 8,517 times in one drain).
 * The comments travel as one JSON document (their bodies would otherwise be escaped one by one into a text
 * array).
 */
export async function findDuplicates(pool: Pool, comments: readonly CommentInput[], hashes: readonly string[]): Promise<(string | null)[]> {
  const input = comments.map((c, i) => ({ n: i + 1, article_id: c.articleId, hash: hashes[i], body: c.body, parent_id: c.parentId, author_name: c.authorName, author_email: c.authorEmail, id: c.id }));
  const { rows } = await pool.query<{ n: number; id: string }>(
    `SELECT q.n, d.id FROM jsonb_to_recordset($1::jsonb)
       AS q(n int, article_id text, hash text, body text, parent_id uuid, author_name text, author_email text, id uuid)
     CROSS JOIN LATERAL (
       SELECT c.id FROM comments c WHERE c.body_hash = decode(q.hash, 'hex') AND ${SAME_COMMENT}
       UNION ALL
       SELECT c.id FROM comments c WHERE c.body_hash IS NULL AND ${SAME_COMMENT}
       LIMIT 1
     ) d`,
    [JSON.stringify(input)],
  );
  const found = new Map(rows.map((r) => [Number(r.n), r.id]));
  return comments.map((_, i) => found.get(i + 1) ?? null);
}

/**
 * Distinct authors and IPs of the same or near-identical bodies since each query's `since`: candidates
 * share a band key (GIN index on body_lsh), then have the same hash or agree in at least `minMatches`
 * signature positions; the comment being checked counts as one author and one IP. Queries without a
 * signature count themselves only. The time window is a filter on the few rows the band keys find
 * (`+ interval '0 s'` keeps the planner from AND-ing in an index scan over every comment of the
 * day, which costs more with each comment: 0.5 ms per look-up at 20,000 comments a day, measured).
 */
export async function countCampaigns(pool: Pool, queries: readonly CampaignQuery[]): Promise<{ authors: number; ips: number }[]> {
  // A comment with no earlier match counts itself only, which is what nearly every comment finds:
  // the query returns rows only for the comments that have matches, and counts those.
  const answers = queries.map((q) => ({ authors: q.email == null ? 0 : 1, ips: q.ip ? 1 : 0 }));
  const asked = queries.map((q, i) => ({ q, i })).filter(({ q }) => q.fingerprint.minhash && q.fingerprint.bands);
  if (!asked.length) return answers;
  const literal = (v: readonly number[] | null) => `{${(v ?? []).join(',')}}`;
  // One JSON document, not eight arrays: node-pg escapes an array parameter element by element into
  // a fresh string, which cost the worker more (CPU and garbage) than the look-up cost Postgres.
  const input = asked.map(({ q }, i) => ({
    n: i + 1,
    bands: literal(q.fingerprint.bands),
    since: q.since,
    id: q.commentId,
    hash: q.fingerprint.hash,
    minhash: literal(q.fingerprint.minhash),
    email: q.email,
    ip: q.ip,
    min_matches: q.minMatches,
  }));
  const { rows } = await pool.query<{ n: string; authors: number; ips: number }>(
    `WITH q AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS q(n int, bands text, since timestamptz, id uuid, hash text, minhash text, email text, ip inet, min_matches int)
     ),
     found AS (
       SELECT q.n, m.author, m.ip FROM q
       CROSS JOIN LATERAL (
         SELECT lower(c.author_email) AS author, c.ip FROM comments c
         WHERE c.body_lsh && q.bands::int[] AND c.submitted_at + interval '0 s' >= q.since AND c.status <> 'trash' AND c.id <> q.id
           AND (c.body_hash = decode(q.hash, 'hex')
                OR (SELECT count(*) FROM unnest(c.body_minhash, q.minhash::int[]) AS u(a, b) WHERE a = b) >= q.min_matches)
         LIMIT ${CAMPAIGN_ROWS}
       ) m
     )
     SELECT n, count(DISTINCT author)::int AS authors, count(DISTINCT ip)::int AS ips FROM (
       SELECT n, author, ip FROM found
       UNION ALL
       SELECT q.n, lower(q.email), q.ip FROM q WHERE q.n IN (SELECT n FROM found)
     ) s GROUP BY n`,
    [JSON.stringify(input)],
  );
  for (const r of rows) answers[asked[Number(r.n) - 1].i] = { authors: r.authors, ips: r.ips };
  return answers;
}

export interface AuthorHistoryQuery {
  email: string;
  ip: string | null;
  url: string | null;
  ipSince?: Date;
}

/** Earlier approved and spam comments of each email, and spam from its IP (since `ipSince`) or URL. */
export async function authorHistories(pool: Pool, queries: readonly AuthorHistoryQuery[]): Promise<AuthorHistory[]> {
  const capped = (where: string) => `(SELECT count(*)::int FROM (SELECT 1 FROM comments c WHERE ${where} LIMIT ${COUNT_CAP}) s)`;
  // One JSON document, not four arrays (see countCampaigns).
  const input = queries.map((q, i) => ({ n: i + 1, email: q.email, ip: q.ip, url: q.url, ip_since: q.ipSince ?? null }));
  const { rows } = await pool.query<{ n: string; approved_by_email: number; spam_by_email: number; spam_by_ip: number; spam_by_url: number }>(
    `SELECT q.n,
       ${capped(`lower(c.author_email) = lower(q.email) AND c.status = 'approved'`)} AS approved_by_email,
       ${capped(`lower(c.author_email) = lower(q.email) AND c.status = 'spam'`)} AS spam_by_email,
       ${capped(`q.ip IS NOT NULL AND c.ip = q.ip AND c.status = 'spam' AND (q.ip_since IS NULL OR c.submitted_at >= q.ip_since)`)} AS spam_by_ip,
       ${capped(`q.url IS NOT NULL AND c.author_url = q.url AND c.status = 'spam'`)} AS spam_by_url
     FROM jsonb_to_recordset($1::jsonb) AS q(n int, email text, ip inet, url text, ip_since timestamptz)`,
    [JSON.stringify(input)],
  );
  const byN = new Map(rows.map((r) => [Number(r.n), r]));
  return queries.map((_, i) => {
    const r = byN.get(i + 1)!;
    return { approvedByEmail: r.approved_by_email, spamByEmail: r.spam_by_email, spamByIp: r.spam_by_ip, spamByUrl: r.spam_by_url };
  });
}
