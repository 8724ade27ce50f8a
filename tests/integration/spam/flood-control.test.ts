import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { createPool } from '../../../src/db/pool';
import { ServiceUnavailableError } from '../../../src/errors';
import { createLogger } from '../../../src/logger';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import { createProducer, producerRedis, type Producer } from '../../../src/queue/moderation-queue';
import { startApi } from '../../../src/server';
import { testConfig } from '../../helpers/env';
import { eventually, obliterateQueue, sampleComment, startHarness, type Harness } from '../../helpers/harness';

const FLOOD_ON = { floodSeconds: 15, hourlyLimitPerIp: 0 };

/** Flood control at the API (src/http/readers/flood-guard.ts): counters in Redis under this file's QUEUE_PREFIX. */
describe('flood control at POST /api/comments', () => {
  let h: Harness;
  beforeAll(async () => {
    // No worker: every accepted comment stays queued, so "nothing enqueued" can be counted.
    // TRUST_PROXY: tests play readers at different public addresses through X-Forwarded-For.
    h = await startHarness({ worker: false, apiSettings: FLOOD_ON, env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await h.close();
  });

  const queued = async () => Object.values(await h.api.producer.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized')).reduce((a, b) => a + b, 0);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const from = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });

  it('refuses a second comment from the same email within floodSeconds with 429 and Retry-After, enqueueing nothing', async () => {
    const email = `flood-${randomUUID()}@example.org`;
    const first = await post(sampleComment(`art-${randomUUID()}`, { authorEmail: email }), from(1));
    expect(first.status).toBe(202);
    const before = await queued();

    const second = await post(sampleComment(`art-${randomUUID()}`, { authorEmail: email }), from(2));
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect((await second.json()).error).toMatchObject({ code: 'rate_limited', message: 'You are posting comments too quickly. Slow down.' });
    expect(await queued()).toBe(before);
  });

  it('refuses a second comment from the same public IP address, whatever the email', async () => {
    expect((await post(sampleComment(`art-${randomUUID()}`), from(3))).status).toBe(202);
    expect((await post(sampleComment(`art-${randomUUID()}`), from(3))).status).toBe(429);
    expect((await post(sampleComment(`art-${randomUUID()}`), from(4))).status).toBe(202);
  });

  it('does not limit by loopback or private addresses (a proxy without TRUST_PROXY), only by email', async () => {
    expect((await post(sampleComment(`art-${randomUUID()}`))).status).toBe(202);
    expect((await post(sampleComment(`art-${randomUUID()}`))).status).toBe(202);
    expect((await post(sampleComment(`art-${randomUUID()}`), { 'x-forwarded-for': '10.1.2.3' })).status).toBe(202);
  });

  it('answers a retry with the same Idempotency-Key from the first result, never 429', async () => {
    const comment = sampleComment(`art-${randomUUID()}`);
    const headers = { ...from(5), 'idempotency-key': `flood-retry-${randomUUID()}` };
    const first = await post(comment, headers);
    const retry = await post(comment, headers);
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await retry.json()).id).toBe((await first.json()).id);
  });

  it('lets concurrent retries with the same Idempotency-Key through as one comment', async () => {
    const comment = sampleComment(`art-${randomUUID()}`);
    const headers = { ...from(6), 'idempotency-key': `flood-race-${randomUUID()}` };
    const before = await queued();
    const answers = await Promise.all([post(comment, headers), post(comment, headers), post(comment, headers)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const ids = new Set(await Promise.all(answers.map(async (a) => (await a.json()).id)));
    expect(ids.size).toBe(1);
    expect(await queued()).toBe(before + 1);
  });

  it('keeps counters under this run\'s QUEUE_PREFIX, with no email or address in the keys', async () => {
    const redis = new Redis(h.config.REDIS_URL);
    try {
      const keys = await redis.keys(`${h.config.QUEUE_PREFIX}:flood:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(' ')).not.toMatch(/@|198\.51\.100/);
    } finally {
      redis.disconnect();
    }
  });
});

describe('hourly cap per IP address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false, apiSettings: { floodSeconds: 0, hourlyLimitPerIp: 2 }, env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses the comment over hourlyLimitPerIp with 429 and a Retry-After of up to an hour', async () => {
    const post = () =>
      fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' }, body: JSON.stringify(sampleComment(`art-${randomUUID()}`)) });
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    const third = await post();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect((await third.json()).error.message).toMatch(/too many comments in the last hour/);
  });
});

describe('flood control switched off (0) in the settings table', () => {
  let h: Harness;
  beforeAll(async () => {
    // No apiSettings: the test database's stored settings (floodSeconds 0, hourlyLimitPerIp 0).
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('accepts quick comments from the same email', async () => {
    const email = `off-${randomUUID()}@example.org`;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(`art-${randomUUID()}`, { authorEmail: email })) });
      expect(res.status).toBe(202);
    }
  });
});

describe('flood control when the queue or Redis fails', () => {
  const log = createLogger('silent');

  it('does not count a submission the queue refused (503), so its retry is not a flood', async () => {
    const config = testConfig();
    const pool = createPool(config.DATABASE_URL, 2, log);
    const redis = producerRedis(config.REDIS_URL);
    if (redis.status !== 'ready') await new Promise((r) => redis.once('ready', r));
    const real = createProducer({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME, attempts: 1, backoffMs: 100, enqueueTimeoutMs: 1500 });
    let queueUp = false;
    const producer: Producer = {
      ...real,
      async enqueue(job, gate) {
        if (!queueUp) throw new ServiceUnavailableError(2);
        return real.enqueue(job, gate);
      },
    };
    const app = createApp({ config, log, pool, producer, redis, settings: async () => ({ ...DEFAULT_SETTINGS, ...FLOOD_ON }) });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/comments`;
    const comment = sampleComment(`art-${randomUUID()}`);
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
    try {
      expect((await post()).status).toBe(503);
      // Counted only in the enqueue's own transaction, which never ran: no counter of this run holds a point.
      await eventually(async () => {
        const keys = (await redis.keys(`${config.QUEUE_PREFIX}:flood:*`)).filter((k) => !k.includes(':passed:'));
        const points = keys.length ? await redis.mget(...keys) : [];
        return points.every((p) => Number(p) === 0);
      }, 10000, 10);
      queueUp = true;
      expect((await post()).status).toBe(202);
      expect((await post()).status).toBe(429);
    } finally {
      await new Promise((r) => server.close(r));
      await real.close();
      redis.disconnect();
      await obliterateQueue(config);
      await pool.end();
    }
  });

  it('answers 503 queue_unavailable, not 500, when Redis is down', async () => {
    const config = testConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
    const pool = createPool(config.DATABASE_URL, 2, log);
    const api = await startApi(config, log, { pool, extras: () => ({ settings: async () => ({ ...DEFAULT_SETTINGS, ...FLOOD_ON }) }) });
    try {
      const res = await fetch(`http://127.0.0.1:${api.port}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment('no-redis')) });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await res.json()).error.code).toBe('queue_unavailable');
    } finally {
      await api.close();
      await pool.end();
    }
  });
});
