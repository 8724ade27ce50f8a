import { withTransaction, type Pool, type PoolClient } from './pool';
import { toStoredComment, type StoredComment } from './comment-repository';
import { recordEvent, type ReviewChange } from './decision-repository';
import { NotFoundError } from '../errors';

export type ReportReason = 'spam' | 'abusive' | 'off_topic' | 'other';

export interface NewReport {
  commentId: string;
  reason: ReportReason;
  note: string | null;
  readerHash: string;
  ipHash: string | null;
}

export type ReportOutcome =
  | { stored: true; articleId: string; openWeight: number; openCount: number }
  | { stored: false; why: 'duplicate' | 'ip_limit'; articleId: string };

/**
 * Stores one reader's report of a published comment. The comment's row is locked first, so reports
 * of one comment are taken one at a time: a reader's second report (also sent at the same moment)
 * finds the first and counts for nothing, and at most `perIpLimit` readers share one address.
 * `weightOf` says how much this reader's report counts from their history (reportWeight).
 * 404 when the comment is not published.
 */
export async function insertReport(
  pool: Pool,
  r: NewReport,
  opts: { perIpLimit: number; weightOf: (h: { upheld: number; dismissed: number }) => number },
): Promise<ReportOutcome> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ article_id: string }>(`SELECT article_id FROM comments WHERE id = $1 AND status = 'approved' FOR UPDATE`, [r.commentId]);
    if (!rows[0]) throw new NotFoundError('No published comment with this id.');
    const articleId = rows[0].article_id;
    const mine = await client.query('SELECT 1 FROM comment_reports WHERE comment_id = $1 AND reader_hash = $2', [r.commentId, r.readerHash]);
    if (mine.rowCount) return { stored: false, why: 'duplicate', articleId };
    if (r.ipHash) {
      const fromIp = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM comment_reports WHERE comment_id = $1 AND ip_hash = $2', [r.commentId, r.ipHash]);
      if (fromIp.rows[0].n >= opts.perIpLimit) return { stored: false, why: 'ip_limit', articleId };
    }
    const history = await client.query<{ upheld: number; dismissed: number }>(
      `SELECT count(*) FILTER (WHERE resolution = 'upheld')::int AS upheld, count(*) FILTER (WHERE resolution = 'dismissed')::int AS dismissed
       FROM comment_reports WHERE reader_hash = $1 AND resolved_at IS NOT NULL`,
      [r.readerHash],
    );
    await client.query(
      'INSERT INTO comment_reports (comment_id, reason, note, reader_hash, ip_hash, weight) VALUES ($1, $2, $3, $4, $5, $6)',
      [r.commentId, r.reason, r.note, r.readerHash, r.ipHash, opts.weightOf(history.rows[0])],
    );
    const open = await client.query<{ w: number; n: number }>(
      'SELECT coalesce(sum(weight), 0)::float8 AS w, count(*)::int AS n FROM comment_reports WHERE comment_id = $1 AND resolved_at IS NULL',
      [r.commentId],
    );
    return { stored: true, articleId, openWeight: open.rows[0].w, openCount: open.rows[0].n };
  });
}

/** Resolves a comment's open reports with a moderator's decision (inside that decision's transaction). */
export async function resolveReports(client: PoolClient, commentId: string, resolution: 'dismissed' | 'upheld', actor: string): Promise<number> {
  const { rowCount } = await client.query(
    'UPDATE comment_reports SET resolved_at = now(), resolution = $2, resolved_by = $3 WHERE comment_id = $1 AND resolved_at IS NULL',
    [commentId, resolution, actor],
  );
  return rowCount ?? 0;
}

/**
 * A moderator approves a published comment that readers reported: it stays published, its reports
 * are dismissed, and the trail records it. Null when the comment is not published with open reports
 * (the caller then treats approve as usual: a published comment without reports is already decided).
 */
export async function keepReported(pool: Pool, id: string, who: { actor: string; note?: string | null }): Promise<ReviewChange | null> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(`SELECT * FROM comments WHERE id = $1 AND status = 'approved' FOR UPDATE`, [id]);
    if (!rows[0]) return null;
    const dismissed = await resolveReports(client, id, 'dismissed', who.actor);
    if (!dismissed) return null;
    await recordEvent(client, id, 'approved', 'approved', who, [{ code: 'reports_dismissed', message: `A moderator kept the comment published; ${dismissed} report(s) dismissed.` }]);
    return { comment: toStoredComment(rows[0]), from: 'approved', to: 'approved' };
  });
}

/** A comment in the reported queue: the comment and what readers said. */
export interface ReportedComment {
  comment: StoredComment;
  reports: { count: number; weight: number; reasons: Record<string, number>; notes: { reason: string; note: string; at: string }[] };
}

/**
 * Comments with unresolved reports that no moderator has decided since (published, or held after
 * hideAfterReports), most reported first (by weight, then count, then oldest report).
 */
export async function listReported(pool: Pool, opts: { articleId?: string; limit: number }): Promise<ReportedComment[]> {
  const { rows } = await pool.query(
    `WITH open AS (
       SELECT comment_id, sum(weight)::float8 AS w, count(*)::int AS n, min(created_at) AS first_at,
              array_agg(reason ORDER BY id) AS report_reasons,
              jsonb_agg(jsonb_build_object('reason', reason, 'note', note, 'at', created_at) ORDER BY id) FILTER (WHERE note IS NOT NULL) AS notes
       FROM comment_reports WHERE resolved_at IS NULL GROUP BY comment_id
     )
     SELECT c.*, open.w, open.n, open.report_reasons, open.notes FROM open JOIN comments c ON c.id = open.comment_id
     WHERE c.status IN ('approved', 'pending') AND ($2::text IS NULL OR c.article_id = $2)
     ORDER BY open.w DESC, open.n DESC, open.first_at, c.id LIMIT $1`,
    [opts.limit, opts.articleId ?? null],
  );
  return rows.map((r) => {
    const reasons: Record<string, number> = {};
    for (const reason of r.report_reasons as string[]) reasons[reason] = (reasons[reason] ?? 0) + 1;
    return { comment: toStoredComment(r), reports: { count: r.n, weight: Math.round(r.w * 100) / 100, reasons, notes: (r.notes ?? []).slice(0, 50) } };
  });
}

/** Published comments no person has looked at (only the automatic checks decided them), newest first. */
export async function listUnmoderated(pool: Pool, opts: { articleId?: string; limit: number }): Promise<StoredComment[]> {
  const { rows } = await pool.query(
    `SELECT c.* FROM comments c
     WHERE c.status = 'approved' AND ($2::text IS NULL OR c.article_id = $2)
       AND NOT EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = c.id AND e.actor <> 'system')
     ORDER BY c.submitted_at DESC, c.id DESC LIMIT $1`,
    [opts.limit, opts.articleId ?? null],
  );
  return rows.map(toStoredComment);
}

/**
 * The unmoderated count stops here: most published comments were never looked at by a person, and the
 * count is asked on every live update. The tab shows the cap as "1000" (meaning "at least").
 */
export const UNMODERATED_COUNT_CAP = 1000;

/** How many comments each of the two queues holds (the review page's tabs); `unmoderated` at most UNMODERATED_COUNT_CAP. */
export async function countQueues(pool: Pool): Promise<{ reported: number; unmoderated: number }> {
  const { rows } = await pool.query<{ reported: number; unmoderated: number }>(
    `SELECT
       (SELECT count(DISTINCT r.comment_id)::int FROM comment_reports r JOIN comments c ON c.id = r.comment_id
        WHERE r.resolved_at IS NULL AND c.status IN ('approved', 'pending')) AS reported,
       (SELECT count(*)::int FROM (SELECT 1 FROM comments c WHERE c.status = 'approved'
        AND NOT EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = c.id AND e.actor <> 'system') LIMIT $1) u) AS unmoderated`,
    [UNMODERATED_COUNT_CAP],
  );
  return rows[0];
}

/**
 * Erasure: every report made from these hashed addresses or by these hashed readers goes, and any
 * other report's note that quotes one of `details` (lower-case email, address, website) loses its note.
 */
export async function eraseReports(db: Pool | PoolClient, by: { ipHashes: string[]; readerHashes: string[]; details: string[] }): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM comment_reports WHERE ip_hash = ANY($1::text[]) OR reader_hash = ANY($2::text[])', [by.ipHashes, by.readerHashes]);
  if (by.details.length) {
    await db.query(
      `UPDATE comment_reports SET note = '[erased]' WHERE note IS NOT NULL AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS d WHERE strpos(lower(note), d) > 0)`,
      [by.details],
    );
  }
  return rowCount ?? 0;
}
