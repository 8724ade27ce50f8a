import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createProducer, type ModerationJob, type Producer } from '../../../src/queue/moderation-queue';
import type { AdmissionGate } from '../../../src/queue/admission';
import { testConfig } from '../../helpers/env';
import { obliterateQueue } from '../../helpers/harness';
import { ServiceUnavailableError } from '../../../src/errors';
import type { Logger } from '../../../src/logger';
import { warnIfTooFewReplicas } from '../../../src/queue/redis-durability';

/**
 * The producer's admission gate (src/queue/admission.ts): counters checked and counted in the same
 * MULTI as the job's add, against the real Redis.
 */
describe('enqueue with an admission gate (one round trip)', () => {
  const config = testConfig();
  let producer: Producer;
  let redis: Redis;
  beforeAll(async () => {
    producer = createProducer({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME, attempts: 1, backoffMs: 100, enqueueTimeoutMs: 5000 });
    await producer.queue.waitUntilReady();
    redis = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    await producer.close();
    redis.disconnect();
    await obliterateQueue(config);
  });

  const job = (id = randomUUID()): ModerationJob => ({
    v: 1,
    comment: { id, articleId: 'gate', authorName: 'Ada', authorEmail: 'ada@example.org', authorUrl: null, body: 'A remark.', parentId: null } as unknown as ModerationJob['comment'],
    request: { ip: null, userAgent: null, referrer: null, receivedAt: new Date().toISOString() },
  });
  const counter = (limit = 1, windowMs = 15000) => ({ key: `${config.QUEUE_PREFIX}:flood:test:${randomUUID()}`, limit, windowMs });
  const jobKey = (id: string) => `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}:${id}`;

  it('adds and counts when under the limit; refuses the next, adding nothing and leaving no trace', async () => {
    const c = counter();
    const first = job();
    const a = await producer.enqueue(first, { counters: [c] });
    expect(a).toEqual({ admitted: true, counted: [c.key] });
    expect(await producer.queue.getJob(first.comment.id)).toBeDefined();
    expect(await redis.get(c.key)).toBe('1');

    const second = job();
    const b = await producer.enqueue(second, { counters: [c] });
    expect(b.admitted).toBe(false);
    if (b.admitted) return;
    expect(b.refused).toBe(0);
    expect(b.retryAfterMs).toBeGreaterThan(0);
    expect(b.retryAfterMs).toBeLessThanOrEqual(15000);
    expect(await redis.exists(jobKey(second.comment.id))).toBe(0);
    expect(await producer.queue.getJob(second.comment.id)).toBeUndefined();
    expect(await redis.get(c.key)).toBe('1');
  });

  it('counts all or nothing: refused by one counter, the others keep their points', async () => {
    const open = counter(5);
    const full = counter(1);
    expect((await producer.enqueue(job(), { counters: [full] })).admitted).toBe(true);
    const r = await producer.enqueue(job(), { counters: [open, full] });
    expect(r).toMatchObject({ admitted: false, refused: 1 });
    expect(await redis.get(open.key)).toBeNull();
  });

  it('gives points back, so the retry is admitted', async () => {
    const c = counter();
    const a = await producer.enqueue(job(), { counters: [c] });
    expect(a.admitted).toBe(true);
    if (!a.admitted) return;
    await producer.giveBack(a.counted);
    expect(await redis.get(c.key)).toBe('0');
    expect((await producer.enqueue(job(), { counters: [c] })).admitted).toBe(true);
    // Never below 0: a second give-back changes nothing.
    await producer.giveBack(a.counted);
    await producer.giveBack(a.counted);
    expect(Number(await redis.get(c.key))).toBe(0);
  });

  it('lets a retry with the same pass key through uncounted while the counter is full', async () => {
    const c = counter();
    const pass = { key: `${config.QUEUE_PREFIX}:flood:passed:${randomUUID()}`, ttlSeconds: 60 };
    const id = randomUUID();
    const gate: AdmissionGate = { pass, counters: [c] };
    expect(await producer.enqueue(job(id), gate)).toEqual({ admitted: true, counted: [c.key] });
    expect(await producer.enqueue(job(id), gate)).toEqual({ admitted: true, counted: [] });
    expect(await redis.get(c.key)).toBe('1');
    expect(await producer.queue.count()).toBeGreaterThan(0);
  });

  it('leaves a job already in the queue untouched when a refused submit carries its id', async () => {
    const c = counter();
    const existing = job();
    expect((await producer.enqueue(existing)).admitted).toBe(true);
    expect((await producer.enqueue(job(), { counters: [c] })).admitted).toBe(true);
    expect((await producer.enqueue(existing, { counters: [c] })).admitted).toBe(false);
    const stored = await producer.queue.getJob(existing.comment.id);
    expect(stored?.data.comment.id).toBe(existing.comment.id);
    expect(await redis.hget(jobKey(existing.comment.id), 'cm:refused')).toBeNull();
  });

  it('in one transaction, a refused job does not stop an admitted one with the same id', async () => {
    const full = counter();
    const open = counter();
    expect((await producer.enqueue(job(), { counters: [full] })).admitted).toBe(true);
    const id = randomUUID();
    // Sent in the same turn: one batch, one MULTI; the first is refused, the second admitted.
    const [refused, admitted] = await Promise.all([producer.enqueue(job(id), { counters: [full] }), producer.enqueue(job(id), { counters: [open] })]);
    expect(refused.admitted).toBe(false);
    expect(admitted.admitted).toBe(true);
    const stored = await producer.queue.getJob(id);
    expect(stored?.data.comment.id).toBe(id);
    expect(await redis.hget(jobKey(id), 'cm:refused')).toBeNull();
    // And the other way round: admitted first, a refused one after it leaves the job alone.
    const id2 = randomUUID();
    const [first, second] = await Promise.all([producer.enqueue(job(id2), { counters: [counter()] }), producer.enqueue(job(id2), { counters: [full] })]);
    expect(first.admitted).toBe(true);
    expect(second.admitted).toBe(false);
    expect((await producer.queue.getJob(id2))?.data.comment.id).toBe(id2);
  });

  it('admits exactly the limit out of a burst sent together (one transaction per batch)', async () => {
    const c = counter(3);
    const answers = await Promise.all(Array.from({ length: 40 }, () => producer.enqueue(job(), { counters: [c] })));
    expect(answers.filter((a) => a.admitted)).toHaveLength(3);
    expect(await redis.get(c.key)).toBe('3');
  });

  it('with REDIS_WAIT_REPLICAS above the replicas Redis has, refuses with 503 (never a 202) and says so at start', async () => {
    const replicas = Number(/connected_slaves:(\d+)/.exec(await redis.info('replication'))?.[1] ?? 0);
    const strict = createProducer({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME, attempts: 1, backoffMs: 100, enqueueTimeoutMs: 1000, waitReplicas: replicas + 1 });
    try {
      await strict.queue.waitUntilReady();
      await expect(strict.enqueue(job(), { counters: [counter()] })).rejects.toBeInstanceOf(ServiceUnavailableError);
      const warnings: unknown[][] = [];
      const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
      await warnIfTooFewReplicas(redis, replicas + 1, log);
      expect(warnings).toEqual([[{ node: expect.any(String), connected: replicas, wanted: replicas + 1 }, expect.stringMatching(/fewer replicas connected than required/)]]);
      warnings.length = 0;
      await warnIfTooFewReplicas(redis, replicas, log);
      expect(warnings).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
