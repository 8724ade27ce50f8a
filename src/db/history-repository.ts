import type { Pool } from './pool';
import type { AuthorHistory, CommentInput, CommentStatus, HistoryLookup } from '../moderation/types';

/** The stored-history look-ups the checks need, over Postgres. */
export function createHistoryLookup(pool: Pool): HistoryLookup {
  return {
    async findParent(parentId) {
      const { rows } = await pool.query<{ article_id: string; status: CommentStatus }>('SELECT article_id, status FROM comments WHERE id = $1', [parentId]);
      return rows[0] ? { articleId: rows[0].article_id, status: rows[0].status } : null;
    },

    async findDuplicate(c: CommentInput) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM comments
         WHERE article_id = $1 AND parent_id IS NOT DISTINCT FROM $2 AND author_name = $3 AND lower(author_email) = lower($4)
           AND body = $5 AND status <> 'trash' AND id <> $6
         LIMIT 1`,
        [c.articleId, c.parentId, c.authorName, c.authorEmail, c.body, c.id],
      );
      return rows[0]?.id ?? null;
    },

    async countCampaign(fingerprint, since) {
      const { rows } = await pool.query<{ authors: string; ips: string }>(
        `SELECT count(DISTINCT lower(author_email)) AS authors, count(DISTINCT ip) AS ips FROM comments
         WHERE md5(lower(body)) = $1 AND submitted_at >= $2 AND status <> 'trash'`,
        [fingerprint, since],
      );
      return { authors: Number(rows[0].authors), ips: Number(rows[0].ips) };
    },

    async authorHistory(q): Promise<AuthorHistory> {
      const { rows } = await pool.query<{ approved_by_email: string; spam_by_email: string; spam_by_ip: string; spam_by_url: string }>(
        `SELECT
           count(*) FILTER (WHERE lower(author_email) = lower($1) AND status = 'approved') AS approved_by_email,
           count(*) FILTER (WHERE lower(author_email) = lower($1) AND status = 'spam') AS spam_by_email,
           count(*) FILTER (WHERE $2::inet IS NOT NULL AND ip = $2::inet AND status = 'spam') AS spam_by_ip,
           count(*) FILTER (WHERE $3::text IS NOT NULL AND author_url = $3 AND status = 'spam') AS spam_by_url
         FROM comments
         WHERE lower(author_email) = lower($1) OR ($2::inet IS NOT NULL AND ip = $2::inet) OR ($3::text IS NOT NULL AND author_url = $3)`,
        [q.email, q.ip, q.url],
      );
      const r = rows[0];
      return { approvedByEmail: Number(r.approved_by_email), spamByEmail: Number(r.spam_by_email), spamByIp: Number(r.spam_by_ip), spamByUrl: Number(r.spam_by_url) };
    },
  };
}
