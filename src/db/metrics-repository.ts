import type { Pool } from './pool';

/** Seconds since the oldest comment awaiting a moderator was submitted; null when none waits. One index probe (comments_pending_idx). */
export async function oldestPendingAgeSeconds(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ age: number | null }>(
    `SELECT extract(epoch FROM now() - (SELECT submitted_at FROM comments WHERE status = 'pending' ORDER BY submitted_at, id LIMIT 1))::float8 AS age`,
  );
  return rows[0]?.age ?? null;
}
