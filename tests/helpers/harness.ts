import { Redis } from 'ioredis';
import type { RedisClient } from '../../src/queue/redis-connection';
import { createPool, type Pool } from '../../src/db/pool';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createSettingsCache } from '../../src/moderation/settings-store';
import type { Metrics } from '../../src/metrics';
import type { ModerationSettings } from '../../src/moderation/types';
import { startApi, type ApiExtras, type RunningApi } from '../../src/server';
import { startWorker, type RunningWorker } from '../../workers/moderation-worker';
import { testConfig } from './env';

/** A running API (and optionally an in-process worker) on a random port, against the run's database. */
export interface Harness {
  config: Config;
  pool: Pool;
  api: RunningApi;
  worker?: RunningWorker;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    worker?: boolean;
    env?: Record<string, string>;
    extras?: (deps: { pool: Pool; redis: RedisClient }) => ApiExtras;
    /** Settings this file's worker uses over the stored ones, so files sharing the database do not interfere. */
    workerSettings?: Partial<ModerationSettings>;
    /** Settings this file's API uses over the stored ones (flood control, form-token expiry). */
    apiSettings?: Partial<ModerationSettings>;
    /** One metrics registry shared by API and worker, as ROLE=all runs them. */
    metrics?: Metrics;
  } = {},
): Promise<Harness> {
  const config = testConfig(opts.env);
  const log = createLogger(config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, 5, log);
  const apiSettings = opts.apiSettings ? overlaySettings(pool, config, opts.apiSettings) : undefined;
  const extras = (deps: { pool: Pool; redis: RedisClient }): ApiExtras => ({ ...opts.extras?.(deps), ...(apiSettings ? { settings: apiSettings } : {}) });
  const api = await startApi(config, log, { pool, extras, metrics: opts.metrics });
  const settings = opts.workerSettings ? overlaySettings(pool, config, opts.workerSettings) : undefined;
  const worker = opts.worker === false ? undefined : await startWorker(config, log, { pool, settings, metrics: opts.metrics });
  return {
    config,
    pool,
    api,
    worker,
    baseUrl: `http://127.0.0.1:${api.port}`,
    async close() {
      await api.close();
      await worker?.close();
      await obliterateQueue(config);
      await pool.end();
    },
  };
}

/**
 * Stored settings (re-read every SETTINGS_REFRESH_MS) with `overrides` on top. The merged object
 * stays the same while the stored settings do, so per-settings caches (compiled word lists) hold.
 */
export function overlaySettings(pool: Pool, config: Config, overrides: Partial<ModerationSettings>): () => Promise<ModerationSettings> {
  const stored = createSettingsCache(pool, config.SETTINGS_REFRESH_MS);
  let last: { base: ModerationSettings; merged: ModerationSettings } | null = null;
  return async () => {
    const base = await stored.get();
    if (last?.base !== base) last = { base, merged: { ...base, ...overrides } };
    return last.merged;
  };
}

/** Removes every Redis key of this test's queue prefix (the bullmq test suite's cleanup habit). */
export async function obliterateQueue(config: Config): Promise<void> {
  const redis = new Redis(config.REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

const SAMPLE_WORDS = (
  'budget council schools housing transport library rates parks hospital election river market bridge museum harbour ' +
  'cyclists teachers nurses farmers tenants weather football theatre festival planning trains buses roads clinic ' +
  'pensions water energy recycling police courts students rents wages airport ferry garden orchestra archive'
).split(' ');

/**
 * A valid, unremarkable JSON comment for `articleId`: a reader of its own (unique email, so no
 * flood limit or author history links two samples) and a body of random words (so no two samples
 * look like a duplicate or a campaign), unless `extra` says otherwise.
 */
export function sampleComment(articleId: string, extra: Record<string, unknown> = {}) {
  const words = Array.from({ length: 10 }, () => SAMPLE_WORDS[Math.floor(Math.random() * SAMPLE_WORDS.length)]);
  return {
    articleId,
    authorName: 'Ada Reader',
    authorEmail: `reader-${Math.random().toString(36).slice(2, 10)}@example.org`,
    body: `Some thoughts on ${words.join(', ')}.`,
    ...extra,
  };
}
