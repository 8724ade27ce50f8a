import { withTransaction, type Pool } from './pool';
import { toStoredComment, type StoredComment } from './comment-repository';
import { recordEvent } from './decision-repository';
import type { CheckResult } from '../moderation/types';

/** Everything stored about one email address, for a data-access request. */
export interface PersonalDataExport {
  email: string;
  exportedAt: string;
  comments: (StoredComment & { revisions: { body: string; editedAt: string }[]; events: { from: string | null; to: string; at: string; note: string | null }[] })[];
}

export async function exportByEmail(pool: Pool, email: string): Promise<PersonalDataExport> {
  const { rows } = await pool.query('SELECT * FROM comments WHERE lower(author_email) = lower($1) ORDER BY submitted_at, id', [email]);
  const ids = rows.map((r) => r.id as string);
  const [revisions, events] = await Promise.all([
    pool.query('SELECT comment_id, body, edited_at FROM comment_revisions WHERE comment_id = ANY($1::uuid[]) ORDER BY id', [ids]),
    pool.query('SELECT comment_id, from_status, to_status, note, created_at FROM moderation_events WHERE comment_id = ANY($1::uuid[]) ORDER BY id', [ids]),
  ]);
  return {
    email,
    exportedAt: new Date().toISOString(),
    comments: rows.map((row) => ({
      ...toStoredComment(row),
      revisions: revisions.rows.filter((r) => r.comment_id === row.id).map((r) => ({ body: r.body, editedAt: r.edited_at.toISOString() })),
      events: events.rows
        .filter((e) => e.comment_id === row.id)
        .map((e) => ({ from: e.from_status, to: e.to_status, at: e.created_at.toISOString(), note: e.note })),
    })),
  };
}

/** What the erased author becomes: no name, no email, no link, no request details. */
export const ERASED_NAME = 'Anonymous';
const AUTHOR_FIELDS = new Set(['authorName', 'author_name', 'authorEmail', 'author_email', 'authorUrl', 'author_url', 'email', 'url', 'ip']);

/** Drops the matched text of reasons that quoted the author's details. */
function scrubVerdicts(verdicts: CheckResult[]): CheckResult[] {
  return verdicts.map((v) => ({
    ...v,
    reasons: v.reasons.map((r) => (r.field && AUTHOR_FIELDS.has(r.field) && r.match !== undefined ? { ...r, match: '[erased]' } : r)),
  }));
}

/**
 * Erases one email's personal data. `keep`: the comments stay (under "Anonymous") with name,
 * email, link, IP, user agent and referrer removed; `delete`: the comments and their earlier
 * versions go. Each comment gets an event either way (the trail holds no personal data).
 */
export async function eraseByEmail(pool: Pool, email: string, bodies: 'keep' | 'delete', who: { actor: string; note?: string | null }): Promise<{ ids: string[] }> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query('SELECT * FROM comments WHERE lower(author_email) = lower($1) ORDER BY submitted_at FOR UPDATE', [email]);
    for (const row of rows) {
      const c = toStoredComment(row);
      if (bodies === 'delete') {
        await client.query('DELETE FROM comments WHERE id = $1', [c.id]);
        await client.query('UPDATE comments SET parent_id = $2, updated_at = now() WHERE parent_id = $1', [c.id, c.parentId]);
        await recordEvent(client, c.id, c.status, 'deleted', who, [{ code: 'personal_data_erased', message: 'Erased on request, text deleted.' }]);
      } else {
        await client.query(
          `UPDATE comments SET author_name = $2, author_email = '', author_url = NULL, ip = NULL, user_agent = NULL, referrer = NULL,
             reasons = $3, updated_at = now() WHERE id = $1`,
          [c.id, ERASED_NAME, JSON.stringify(scrubVerdicts(c.verdicts))],
        );
        await recordEvent(client, c.id, c.status, c.status, who, [{ code: 'personal_data_erased', message: 'Author details erased on request, text kept.' }]);
      }
    }
    return { ids: rows.map((r) => r.id as string) };
  });
}

/**
 * Truncates the IP addresses of comments older than `days`: IPv4 to /24, IPv6 to /48, enough for
 * "same network" look-ups and no longer one person's address. Idempotent; returns rows changed.
 */
export async function truncateOldIps(pool: Pool, days: number, now = new Date()): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH t AS (
       SELECT id, host(network(set_masklen(ip, CASE WHEN family(ip) = 4 THEN 24 ELSE 48 END)))::inet AS short
       FROM comments WHERE ip IS NOT NULL AND submitted_at < $1::timestamptz - make_interval(days => $2)
     )
     UPDATE comments c SET ip = t.short FROM t WHERE c.id = t.id AND c.ip IS DISTINCT FROM t.short`,
    [now, days],
  );
  return rowCount ?? 0;
}
