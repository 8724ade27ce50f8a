import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadSettings } from '../../../src/moderation/settings-store';
import type { ModerationJob } from '../../../src/queue/moderation-queue';
import { startWorker, type RunningWorker } from '../../../workers/moderation-worker';
import { silentLog } from '../../helpers/env';
import { eventually, startHarness, type Harness } from '../../helpers/harness';
import { client, signedInClient } from '../../helpers/moderation';

jest.setTimeout(120000);

/** Every key under `prefix:` with every value it holds, whatever its type, as one line of text each. */
async function everything(redis: Redis, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let values: unknown;
      if (type === 'string') values = await redis.get(key);
      else if (type === 'hash') values = await redis.hgetall(key);
      else if (type === 'list') values = await redis.lrange(key, 0, -1);
      else if (type === 'set') values = await redis.smembers(key);
      else if (type === 'zset') values = await redis.zrange(key, '0', '-1', 'WITHSCORES');
      else if (type === 'stream') values = await redis.xrange(key, '-', '+');
      else if (type === 'none') continue; // expired between SCAN and TYPE
      else throw new Error(`unexpected type ${type} of ${key}`);
      lines.push(`${key} ${type} ${JSON.stringify(values)}`);
    }
  } while (cursor !== '0');
  return lines;
}

/** The lines that mention any of `needles` (case-insensitively). */
const mentions = (lines: string[], needles: string[]) => lines.filter((l) => needles.some((n) => l.toLowerCase().includes(n.toLowerCase())));

/** A job as the API would enqueue it, from one reader. */
function jobFor(who: { email: string; name: string; ip: string }, receivedAt = new Date()): ModerationJob {
  return {
    v: 1,
    comment: { id: randomUUID(), articleId: `pd-${randomUUID()}`, parentId: null, authorName: who.name, authorEmail: who.email, authorUrl: 'https://reader.example/me', body: `Thoughts on the harbour ${randomUUID()}.`, honeypot: null, formToken: null },
    request: { ip: who.ip, userAgent: `agent-of-${who.name}`, referrer: null, receivedAt: receivedAt.toISOString() },
  };
}

describe('personal data in Redis', () => {
  let h: Harness;
  let redis: Redis;
  let admin: ReturnType<typeof client>;
  const workers: RunningWorker[] = [];
  /** When set, every job fails with this message (think: a driver error quoting a value). */
  let failWith: string | null = null;
  const tag = randomUUID().slice(0, 8);

  const startTestWorker = async () => {
    const w = await startWorker(h.config, silentLog, {
      pool: h.pool,
      settings: async () => {
        if (failWith) throw new Error(failWith);
        return (await loadSettings(h.pool)).settings;
      },
    });
    workers.push(w);
    return w;
  };
  const stopWorkers = async () => {
    for (const w of workers.splice(0)) await w.close();
  };
  const post = (comment: Record<string, unknown>, headers: Record<string, string>) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(comment) });

  beforeAll(async () => {
    // One attempt: a failing job reaches the failed set (the dead letters) at once. Flood control on,
    // with counters that outlive the test, keyed by the forwarded address.
    h = await startHarness({ worker: false, env: { JOB_ATTEMPTS: '1', TRUST_PROXY: '1' }, apiSettings: { floodSeconds: 600, hourlyLimitPerIp: 30 } });
    redis = new Redis(h.config.REDIS_URL);
    admin = (await signedInClient(h, 'admin')).api;
  });
  afterAll(async () => {
    await stopWorkers();
    redis?.disconnect();
    await h?.close();
  });

  it('removes a finished job and the commenter data it held; the same job added again stores nothing twice', async () => {
    const who = { email: `done-${tag}@example.org`, name: `Dora Done ${tag}`, ip: '203.0.113.61' };
    const worker = await startTestWorker();
    const completions: string[] = [];
    worker.worker.on('completed', (job) => completions.push(String(job.id)));
    const job = jobFor(who);
    const id = job.comment.id;

    await h.api.producer.enqueue(job);
    await eventually(async () => (await h.pool.query('SELECT 1 FROM comments WHERE id = $1', [id])).rowCount === 1, 20000);
    await eventually(async () => (await h.api.producer.queue.getJob(id)) === undefined, 20000);

    expect(mentions(await everything(redis, h.config.QUEUE_PREFIX), [who.email, who.name, who.ip, job.comment.body])).toEqual([]);
    // The job id no longer deduplicates: a re-add (a replay, a retried submit) runs again, and the
    // store keyed by the comment id writes nothing.
    await h.api.producer.enqueue(job);
    await eventually(async () => completions.filter((c) => c === id).length === 2, 20000);
    const { rows } = await h.pool.query(
      `SELECT (SELECT count(*)::int FROM comments WHERE id = $1) AS rows, (SELECT count(*)::int FROM moderation_events WHERE comment_id = $1) AS events`,
      [id],
    );
    expect(rows[0]).toEqual({ rows: 1, events: 1 });
    await stopWorkers();
  });

  it('erasure scrubs every failed, delayed and waiting job of the email, its flood counters and failure reasons; other readers keep theirs', async () => {
    const erin = { email: `Erin.Erase-${tag}@example.org`, name: `Erin Erasable ${tag}`, ip: '203.0.113.62' };
    const other = { email: `other-${tag}@example.org`, name: `Otto Other ${tag}`, ip: '203.0.113.63' };
    const queue = h.api.producer.queue;

    // A dead letter whose failure reason quotes the email.
    failWith = `cannot moderate the comment of ${erin.email}`;
    await startTestWorker();
    const failed = jobFor(erin);
    await h.api.producer.enqueue(failed);
    await eventually(async () => (await queue.getJob(failed.comment.id))?.isFailed(), 20000);
    await stopWorkers();
    failWith = null;
    // A job waiting for its retry (delayed), with the email in other letters' case.
    const delayed = jobFor({ ...erin, email: erin.email.toUpperCase() });
    await queue.add('moderate', delayed, { jobId: delayed.comment.id, delay: 600000 });
    // Waiting jobs from the API: another reader's first, then Erin's, retried with an Idempotency-Key.
    const floodKeys = async () => (await redis.keys(`${h.config.QUEUE_PREFIX}:flood:*`)).sort();
    const fromOther = await post({ articleId: `pd-${tag}`, authorName: other.name, authorEmail: other.email, body: 'A view on the bridge.' }, { 'x-forwarded-for': other.ip });
    expect(fromOther.status).toBe(202);
    const othersCounters = await floodKeys();
    const headers = { 'x-forwarded-for': erin.ip, 'user-agent': `agent-of-${erin.name}`, 'idempotency-key': `erin-${tag}` };
    const comment = { articleId: `pd-${tag}`, authorName: erin.name, authorEmail: erin.email, body: 'A view on the ferry.' };
    const waiting = await post(comment, headers);
    expect(waiting.status).toBe(202);
    expect((await post(comment, headers)).headers.get('idempotent-replayed')).toBe('true');
    const waitingId = (await waiting.json()).id as string;
    // Counters keyed by Erin's email and address (her retry marker is keyed by the Idempotency-Key, holds "1").
    const erinsCounters = (await floodKeys()).filter((k) => !othersCounters.includes(k) && /:(email|ip):/.test(k));
    expect(erinsCounters.length).toBe(3); // flood by email and by address, hourly by address
    const needles = [erin.email, erin.name, erin.ip, `agent-of-${erin.name}`];
    expect(mentions(await everything(redis, h.config.QUEUE_PREFIX), needles).length).toBeGreaterThanOrEqual(3); // the scan does see them

    const res = await admin.post('/api/moderation/privacy/erase', { email: erin.email.toLowerCase(), bodies: 'keep' });

    expect(res.status).toBe(200);
    expect(res.body.queueJobs).toBe(3);
    const after = await everything(redis, h.config.QUEUE_PREFIX);
    expect(mentions(after, needles)).toEqual([]);
    expect(mentions(after, [other.email]).length).toBeGreaterThan(0);
    expect(await redis.exists(...erinsCounters)).toBe(0);
    expect(await redis.exists(...othersCounters)).toBe(othersCounters.length);
    // The jobs stay where they were, text kept, author gone: a replay stores what Postgres's erasure leaves.
    const kept = await Promise.all([failed.comment.id, delayed.comment.id, waitingId].map((id) => queue.getJob(id)));
    expect(await Promise.all(kept.map((j) => j!.getState()))).toEqual(['failed', 'delayed', 'waiting']);
    expect(kept[0]!.data.comment).toMatchObject({ authorName: 'Anonymous', authorEmail: '', authorUrl: null, body: failed.comment.body });
    expect(kept[0]!.data.request).toMatchObject({ ip: null, userAgent: null });
    expect(kept[0]!.failedReason).toBe('cannot moderate the comment of [erased]');
    // What is left expires well inside any IP retention (a day at least).
    for (const key of (await floodKeys()).concat(await redis.keys(`${h.config.QUEUE_PREFIX}:*:idem:*`))) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(key.includes(':idem:') ? 24 * 3600 : 3600);
    }
  });

  it('keeps only the page of the referrer in the job: its query string may carry the reader\'s email', async () => {
    const email = `ref-${tag}@example.org`;
    const res = await post(
      { articleId: `pd-${tag}`, authorName: 'Rafa Referred', authorEmail: email, body: 'On the museum.' },
      { 'x-forwarded-for': '203.0.113.65', referer: `https://news.example/2026/budget?utm_source=newsletter&subscriber=${encodeURIComponent(email)}#comments` },
    );
    expect(res.status).toBe(202);

    const job = await h.api.producer.queue.getJob((await res.json()).id);

    expect(job!.data.request.referrer).toBe('https://news.example/2026/budget');
    await job!.remove();
  });

  it('erasure with bodies deleted removes the jobs of the email', async () => {
    const gone = { email: `gone-${tag}@example.org`, name: `Gale Gone ${tag}`, ip: '203.0.113.64' };
    const jobs = [jobFor(gone), jobFor(gone)];
    for (const job of jobs) await h.api.producer.enqueue(job);

    const res = await admin.post('/api/moderation/privacy/erase', { email: gone.email, bodies: 'delete' });

    expect(res.body.queueJobs).toBe(2);
    for (const job of jobs) expect(await h.api.producer.queue.getJob(job.comment.id)).toBeUndefined();
    expect(mentions(await everything(redis, h.config.QUEUE_PREFIX), [gone.email, gone.name])).toEqual([]);
  });

  it('IP retention truncates the address of a failed job received before IP_RETENTION_DAYS, and leaves recent ones', async () => {
    const queue = h.api.producer.queue;
    failWith = 'settings unavailable (test fault)';
    await startTestWorker();
    const old = jobFor({ email: `old-${tag}@example.org`, name: 'Olga Old', ip: '198.51.100.23' }, new Date(Date.now() - 40 * 24 * 3600 * 1000));
    const recent = jobFor({ email: `recent-${tag}@example.org`, name: 'Rita Recent', ip: '198.51.100.24' });
    for (const job of [old, recent]) await h.api.producer.enqueue(job);
    await eventually(async () => (await queue.getJob(old.comment.id))?.isFailed(), 20000);
    await eventually(async () => (await queue.getJob(recent.comment.id))?.isFailed(), 20000);
    await stopWorkers();

    // A worker (IP_RETENTION_DAYS 30, the default) sweeps a few seconds after it starts, then hourly.
    await startTestWorker();

    await eventually(async () => (await queue.getJob(old.comment.id))?.data.request.ip === '198.51.100.0', 30000, 200);
    expect((await queue.getJob(recent.comment.id))?.data.request.ip).toBe('198.51.100.24');
    expect(mentions(await everything(redis, h.config.QUEUE_PREFIX), ['198.51.100.23'])).toEqual([]);
    await stopWorkers();
    failWith = null;
  });
});
