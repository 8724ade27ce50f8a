import type { Pool } from './pool';

/** The stored settings as rows (key → value), and a version that changes with every write (for cache refresh). */
export async function readSettingRows(pool: Pool): Promise<{ stored: Record<string, unknown>; version: string }> {
  const { rows } = await pool.query<{ key: string; value: unknown; updated_at: Date }>('SELECT key, value, updated_at FROM settings');
  const version = rows.reduce((max, r) => Math.max(max, r.updated_at.getTime()), 0);
  return { stored: Object.fromEntries(rows.map((r) => [r.key, r.value])), version: `${rows.length}:${version}` };
}

/** Writes the given values (already validated) in one statement. */
export async function writeSettingRows(pool: Pool, values: Record<string, unknown>, actor: string): Promise<void> {
  const entries = Object.entries(values);
  if (!entries.length) return;
  await pool.query(
    `INSERT INTO settings (key, value, updated_at, updated_by)
     SELECT k, v, now(), $3 FROM unnest($1::text[], $2::jsonb[]) AS t(k, v)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [entries.map(([k]) => k), entries.map(([, v]) => JSON.stringify(v)), actor],
  );
}
