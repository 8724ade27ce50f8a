import type { Pool } from '../db/pool';
import { readSettingRows, writeSettingRows } from '../db/settings-repository';
import { mergeSettings } from './settings';
import type { ModerationSettings } from './types';

/** Stored settings over the defaults, with a version that changes with every write (for cache refresh). */
export async function loadSettings(pool: Pool): Promise<{ settings: ModerationSettings; version: string }> {
  const { stored, version } = await readSettingRows(pool);
  return { settings: mergeSettings(stored), version };
}

/** Writes the given settings (already validated); returns the merged result. */
export async function saveSettings(pool: Pool, values: Partial<ModerationSettings>, actor: string): Promise<ModerationSettings> {
  await writeSettingRows(pool, values, actor);
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
