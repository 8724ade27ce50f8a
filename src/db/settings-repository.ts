import type { Pool } from './pool';
import { mergeSettings } from '../moderation/settings';
import type { ModerationSettings } from '../moderation/types';

/** Stored settings over the defaults, with the time of the newest change (for cache refresh). */
export async function loadSettings(pool: Pool): Promise<{ settings: ModerationSettings; version: string }> {
  const { rows } = await pool.query<{ key: string; value: unknown; updated_at: Date }>('SELECT key, value, updated_at FROM settings');
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const version = rows.reduce((max, r) => Math.max(max, r.updated_at.getTime()), 0);
  return { settings: mergeSettings(stored), version: `${rows.length}:${version}` };
}

/** Writes the given settings (already validated) in one statement; returns the merged result. */
export async function saveSettings(pool: Pool, values: Partial<ModerationSettings>, actor: string): Promise<ModerationSettings> {
  const entries = Object.entries(values);
  if (entries.length) {
    await pool.query(
      `INSERT INTO settings (key, value, updated_at, updated_by)
       SELECT k, v, now(), $3 FROM unnest($1::text[], $2::jsonb[]) AS t(k, v)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [entries.map(([k]) => k), entries.map(([, v]) => JSON.stringify(v)), actor],
    );
  }
  return (await loadSettings(pool)).settings;
}

/**
 * Keeps settings in memory and re-reads them at most every `refreshMs` (a cheap version check), so
 * a moderator's change reaches every worker within that time without a restart.
 */
export function createSettingsCache(pool: Pool, refreshMs: number) {
  let cached: { settings: ModerationSettings; version: string; at: number } | null = null;
  return {
    async get(): Promise<ModerationSettings> {
      if (!cached || Date.now() - cached.at >= refreshMs) {
        const loaded = await loadSettings(pool);
        cached = { ...loaded, at: Date.now() };
      }
      return cached.settings;
    },
    invalidate(): void {
      cached = null;
    },
  };
}
