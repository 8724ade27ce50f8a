import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../src/queue/redis-connection';
import { startSurge, type SurgeRecord } from '../src/db/article-repository';
import type { Pool } from '../src/db/pool';
import type { Logger } from '../src/logger';
import { surgeReason, type SurgeCounts } from '../src/moderation/surge';
import type { ModerationSettings } from '../src/moderation/types';

/** Fifths of a window: the window is summed from its buckets, so it slides by a fifth at a time. */
const BUCKETS_PER_WINDOW = 5;
/** Windows in the trailing hour the surge factor compares against, at most. */
const MAX_HOUR_WINDOWS = 3600;

export interface SurgeDeps {
  redis: Redis;
  pool: Pool;
  /** Redis key prefix, e.g. `${QUEUE_PREFIX}:${QUEUE_NAME}:surge`. */
  keyPrefix: string;
  log: Logger;
  /** Told when this process started a surge (the live review feed, the article cache). */
  onStarted: (surge: SurgeRecord) => void;
}

/**
 * Counts each stored comment per article in Redis and starts a surge when the counts say so
 * (src/moderation/surge.ts). Keys are bounded: the article id is hashed (fixed length), each
 * counter is one bucket of time with a TTL just longer than it is read, so an article has at most a
 * window's fifths plus an hour's windows of keys, and they expire when comments stop. Counting is
 * INCR, so any number of worker processes share the counts; the surge itself is started by one
 * conditional UPDATE (src/db/article-repository.ts startSurge), so only one process starts it.
 */
export function createSurgeCounter(deps: SurgeDeps) {
  return async (articleId: string, settings: ModerationSettings, now: Date): Promise<SurgeRecord | null> => {
    if (settings.surgeCount <= 0) return null;
    const windowMs = settings.surgeWindowSeconds * 1000;
    const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    const article = createHash('sha256').update(articleId).digest('base64url').slice(0, 22);
    const base = `${deps.keyPrefix}:${settings.surgeWindowSeconds}:${article}`;
    const t = now.getTime();
    const bucket = Math.floor(t / bucketMs);
    const win = Math.floor(t / windowMs);
    const hourWindows = Math.min(MAX_HOUR_WINDOWS, Math.max(1, Math.round(3600_000 / windowMs)));
    const fine = Array.from({ length: BUCKETS_PER_WINDOW }, (_, i) => `${base}:b:${bucket - i}`);
    const coarse = Array.from({ length: hourWindows }, (_, i) => `${base}:w:${win - 1 - i}`);
    const replies = await deps.redis
      .multi()
      .incr(fine[0])
      .pexpire(fine[0], windowMs + bucketMs)
      .incr(`${base}:w:${win}`)
      .pexpire(`${base}:w:${win}`, 3600_000 + 2 * windowMs)
      .mget(...fine)
      .mget(...coarse)
      .exec();
    if (!replies || replies.some(([err]) => err)) throw new Error('surge counters unavailable');
    const sum = (values: unknown) => (values as (string | null)[]).reduce((n, v) => n + (v ? Number(v) : 0), 0);
    const counts: SurgeCounts = { window: sum(replies[4][1]), previousHour: sum(replies[5][1]) };
    const reason = surgeReason(counts, settings);
    if (!reason) return null;
    const surge = await startSurge(deps.pool, articleId, now, new Date(t + settings.surgeHoldSeconds * 1000), reason);
    if (surge) {
      deps.log.info({ articleId, until: surge.until, counts }, 'surge started');
      deps.onStarted(surge);
    }
    return surge;
  };
}
