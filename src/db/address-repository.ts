import type { Pool } from './pool';

/**
 * The addresses one email posted from since `since` (privacy erasure: the API's flood counters are
 * keyed by address and live up to an hour). Text form, as the API saw them.
 */
export async function listRecentAddresses(pool: Pool, email: string, since: Date): Promise<string[]> {
  const { rows } = await pool.query<{ ip: string }>(
    'SELECT DISTINCT host(ip) AS ip FROM comments WHERE lower(author_email) = lower($1) AND ip IS NOT NULL AND submitted_at >= $2',
    [email, since],
  );
  return rows.map((r) => r.ip);
}
