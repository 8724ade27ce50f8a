import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../src/queue/redis-connection';
import { startSurge, type SurgeRecord } from '../src/db/article-repository';
import type { Pool } from '../src/db/pool';
import type { Logger } from '../src/logger';
import { surgeReason, type SurgeCounts } from '../src/moderation/surge';
import { createBatchLoader } from '../src/lib/batch-loader';
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

/** One stored comment to count: its article, the settings it was decided under, when, and what this process knows of the article. */
interface Counted {
  articleId: string;
  settings: ModerationSettings;
  now: Date;
  known?: { surgeUntil: string | null; surgeQuietUntil: string | null } | null;
}

/**
 * Counts each stored comment per article in Redis and starts a surge when the counts say so
 * (src/moderation/surge.ts). Keys are bounded: the article id is hashed (fixed length), each
 * counter is one bucket of time with a TTL just longer than it is read, so an article has at most a
 * window's fifths plus an hour's windows of keys, and they expire when comments stop. Counting is
 * INCRBY, so any number of worker processes share the counts; the surge itself is started by one
 * conditional UPDATE (src/db/article-repository.ts startSurge), so only one process starts it.
 *
 * The comments of one stored batch are counted together (../src/lib/batch-loader.ts): one MULTI for
 * the whole batch, with one INCRBY and one read of the buckets per article, instead of six commands
 * and a round trip per comment (a backlog's batches are mostly one article's). The counts, and so
 * the surge, are the same: the batch's comments are added before the counts are read, and a surge
 * starts when they reach its threshold, as it would at the batch's last comment.
 */
export function createSurgeCounter(deps: SurgeDeps) {
  const count = createBatchLoader<Counted, SurgeRecord | null>(async (items) => {
    // Grouped by article and window length (settings may change between batches); the latest comment's clock and knowledge speak for its group.
    const groups = new Map<string, { last: Counted; n: number; members: number[] }>();
    items.forEach((item, i) => {
      const key = `${item.settings.surgeWindowSeconds}|${item.articleId}`;
      const g = groups.get(key);
      if (!g) groups.set(key, { last: item, n: 1, members: [i] });
      else {
        g.n += 1;
        g.members.push(i);
        if (item.now.getTime() >= g.last.now.getTime()) g.last = item;
      }
    });
    const multi = deps.redis.multi();
    const plans = [...groups.values()].map((g) => {
      const { articleId, settings, now } = g.last;
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
      multi
        .incrby(fine[0], g.n)
        .pexpire(fine[0], windowMs + bucketMs)
        .incrby(`${base}:w:${win}`, g.n)
        .pexpire(`${base}:w:${win}`, 3600_000 + 2 * windowMs)
        .mget(...fine)
        .mget(...coarse);
      return g;
    });
    const replies = await multi.exec();
    if (!replies || replies.some(([err]) => err)) throw new Error('surge counters unavailable');
    const answers: (SurgeRecord | null)[] = items.map(() => null);
    const sum = (values: unknown) => (values as (string | null)[]).reduce((n, v) => n + (v ? Number(v) : 0), 0);
    for (const [i, g] of plans.entries()) {
      const { articleId, settings, now, known } = g.last;
      const counts: SurgeCounts = { window: sum(replies[i * 6 + 4][1]), previousHour: sum(replies[i * 6 + 5][1]) };
      const reason = surgeReason(counts, settings);
      // A surge running (or a moderator's quiet time) as far as this process knows: still counted, nothing to start.
      const busyUntil = Math.max(known?.surgeUntil ? Date.parse(known.surgeUntil) : 0, known?.surgeQuietUntil ? Date.parse(known.surgeQuietUntil) : 0);
      if (!reason || busyUntil > now.getTime()) continue;
      const surge = await startSurge(deps.pool, articleId, now, new Date(now.getTime() + settings.surgeHoldSeconds * 1000), reason);
      if (surge) {
        deps.log.info({ articleId, until: surge.until, counts }, 'surge started');
        deps.onStarted(surge);
        for (const m of g.members) answers[m] = surge;
      }
    }
    return answers;
  }, { maxBatch: 1000, maxInFlight: 1 });
  return async (articleId: string, settings: ModerationSettings, now: Date, known?: { surgeUntil: string | null; surgeQuietUntil: string | null } | null): Promise<SurgeRecord | null> => {
    if (settings.surgeCount <= 0) return null;
    return count({ articleId, settings, now, known });
  };
}
