import { boundedCache } from '../lib/bounded-cache';
import { findArticle, type ArticleRow } from './article-repository';
import type { Pool } from './pool';

/** Articles' rows as a process remembers them, re-read at most every `refreshMs`. */
export interface ArticleCache {
  get(id: string): Promise<ArticleRow | null>;
  /** Replaces what this process remembers (after it changed the row itself). */
  set(id: string, row: ArticleRow | null): void;
}

/**
 * Article rows keyed by article id (request data: bounded in entries and bytes). The submit path and
 * every worker job read an article's settings; a moderator's change reaches every process within
 * `refreshMs`, like the moderation settings (SETTINGS_REFRESH_MS).
 */
export function createArticleCache(pool: Pool, refreshMs: number, now: () => number = Date.now): ArticleCache {
  const cache = boundedCache<{ row: ArticleRow | null; at: number }>({ maxEntries: 5000, maxBytes: 8 * 1024 * 1024 }, (v) => (v.row ? 2 * JSON.stringify(v.row).length : 16));
  return {
    async get(id) {
      const hit = cache.get(id);
      if (hit && now() - hit.at < refreshMs) return hit.row;
      const row = await findArticle(pool, id);
      cache.set(id, { row, at: now() });
      return row;
    },
    set(id, row) {
      cache.set(id, { row, at: now() });
    },
  };
}
