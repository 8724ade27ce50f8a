import { Redis } from 'ioredis';
import { createPool, type Pool } from '../../src/db/pool';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';
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

export async function startHarness(opts: { worker?: boolean; env?: Record<string, string>; extras?: (deps: { pool: Pool; redis: Redis }) => ApiExtras } = {}): Promise<Harness> {
  const config = testConfig(opts.env);
  const log = createLogger(config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, 5, log);
  const api = await startApi(config, log, { pool, extras: opts.extras });
  const worker = opts.worker === false ? undefined : await startWorker(config, log, { pool });
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

/** A valid JSON comment for `articleId`, unique unless `body` is given. */
export function sampleComment(articleId: string, extra: Record<string, unknown> = {}) {
  return {
    articleId,
    authorName: 'Ada Reader',
    authorEmail: 'ada@example.org',
    body: `A thoughtful remark about the article, number ${Math.random().toString(36).slice(2)}.`,
    ...extra,
  };
}
