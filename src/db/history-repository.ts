import type { Pool } from './pool';
import { fingerprintBody, NEAR_DUPLICATE_MATCHES } from '../moderation/fingerprint';
import type { AuthorHistory, CommentInput, CommentStatus, HistoryLookup } from '../moderation/types';

/** History counts stop at this: the checks need "none / some", not exact totals, and this bounds the work. */
const COUNT_CAP = 100;
/** Campaign look-ups read at most this many matching rows: three authors are found long before. */
const CAMPAIGN_ROWS = 500;

/**
 * The stored-history look-ups the checks need, over Postgres, each served by an index of
 * migrations/0003_comment-fingerprints.sql (or 0001).
 */
export function createHistoryLookup(pool: Pool): HistoryLookup {
  return {
    async findParent(parentId) {
      const { rows } = await pool.query<{ article_id: string; status: CommentStatus }>('SELECT article_id, status FROM comments WHERE id = $1', [parentId]);
      return rows[0] ? { articleId: rows[0].article_id, status: rows[0].status } : null;
    },

    /**
     * WordPress's duplicate rule: same article, parent, author, email and body, not trashed. Found
     * through (article_id, body_hash); rows stored before fingerprints existed have no hash and are
     * compared by body.
     */
    async findDuplicate(c: CommentInput) {
      const { hash } = fingerprintBody(c.body);
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM comments
         WHERE article_id = $1 AND (body_hash = decode($2, 'hex') OR body_hash IS NULL) AND body = $3
           AND parent_id IS NOT DISTINCT FROM $4 AND author_name = $5 AND lower(author_email) = lower($6)
           AND status <> 'trash' AND id <> $7
         LIMIT 1`,
        [c.articleId, hash, c.body, c.parentId, c.authorName, c.authorEmail, c.id],
      );
      return rows[0]?.id ?? null;
    },

    /**
     * Same or near-identical bodies since `since`: candidates share a band key (GIN index on
     * body_lsh), then have the same hash or agree in NEAR_DUPLICATE_MATCHES signature positions.
     * The comment being checked counts as one author and one IP.
     */
    async countCampaign(q) {
      const { minhash, bands, hash } = q.fingerprint;
      if (!minhash || !bands) return { authors: 1, ips: q.ip ? 1 : 0 };
      const { rows } = await pool.query<{ authors: number; ips: number }>(
        `SELECT count(DISTINCT author)::int AS authors, count(DISTINCT ip)::int AS ips FROM (
           (SELECT lower(author_email) AS author, ip FROM comments c
            WHERE body_lsh && $1::int[] AND submitted_at >= $2 AND status <> 'trash' AND id <> $3
              AND (body_hash = decode($4, 'hex')
                   OR (SELECT count(*) FROM unnest(c.body_minhash, $5::int[]) AS u(a, b) WHERE a = b) >= $6)
            LIMIT ${CAMPAIGN_ROWS})
           UNION ALL
           SELECT lower($7), $8::inet
         ) m`,
        [bands, q.since, q.commentId, hash, minhash, NEAR_DUPLICATE_MATCHES, q.email, q.ip],
      );
      return { authors: rows[0].authors, ips: rows[0].ips };
    },

    /** Earlier approved and spam comments of this email, and spam from this IP (since `ipSince`) or URL. */
    async authorHistory(q): Promise<AuthorHistory> {
      const capped = (where: string) => `(SELECT count(*)::int FROM (SELECT 1 FROM comments WHERE ${where} LIMIT ${COUNT_CAP}) s)`;
      const { rows } = await pool.query<{ approved_by_email: number; spam_by_email: number; spam_by_ip: number; spam_by_url: number }>(
        `SELECT
           ${capped(`lower(author_email) = lower($1) AND status = 'approved'`)} AS approved_by_email,
           ${capped(`lower(author_email) = lower($1) AND status = 'spam'`)} AS spam_by_email,
           ${capped(`$2::inet IS NOT NULL AND ip = $2::inet AND status = 'spam' AND ($4::timestamptz IS NULL OR submitted_at >= $4)`)} AS spam_by_ip,
           ${capped(`$3::text IS NOT NULL AND author_url = $3 AND status = 'spam'`)} AS spam_by_url`,
        [q.email, q.ip, q.url, q.ipSince ?? null],
      );
      const r = rows[0];
      return { approvedByEmail: r.approved_by_email, spamByEmail: r.spam_by_email, spamByIp: r.spam_by_ip, spamByUrl: r.spam_by_url };
    },
  };
}
