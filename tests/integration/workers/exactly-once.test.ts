import { randomUUID } from 'node:crypto';
import { createHistoryLookup } from '../../../src/db/history-lookup';
import { createBatchStore } from '../../../workers/batch-store';
import { loadSettings } from '../../../src/moderation/settings-store';
import { ALL_CHECKS } from '../../../src/moderation/checks';
import { createLogger } from '../../../src/logger';
import { createCommentProcessor } from '../../../workers/process-comment';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { envFor, spawnService, type ServiceProcess } from '../../helpers/processes';

/** Posts `n` comments, `parallel` at a time; returns the ids the API acknowledged with 202. */
async function submitMany(baseUrl: string, articleId: string, n: number, parallel = 25, onProgress?: (done: number) => void): Promise<{ acked: string[]; other: number }> {
  const acked: string[] = [];
  let other = 0;
  let next = 0;
  const one = async () => {
    while (next < n) {
      next += 1;
      const res = await fetch(`${baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(articleId)) });
      if (res.status === 202) acked.push((await res.json()).id);
      else other += 1;
      onProgress?.(acked.length + other);
    }
  };
  await Promise.all(Array.from({ length: parallel }, one));
  return { acked, other };
}

/** How often each id is stored, and how many first events each has. */
async function storedCounts(h: Harness, ids: string[]) {
  const { rows } = await h.pool.query<{ id: string; n: number; events: number }>(
    `SELECT c.id, count(*)::int AS n, (SELECT count(*)::int FROM moderation_events e WHERE e.comment_id = c.id AND e.from_status IS NULL) AS events
     FROM comments c WHERE c.id = ANY($1::uuid[]) GROUP BY c.id`,
    [ids],
  );
  return rows;
}

describe('worker: exactly once', () => {
  let h: Harness;
  const workers: ServiceProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await h.close();
  });

  it('stores one row and one first event when the same job is processed twice', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(`art-${randomUUID()}`)) });
    const { id } = await res.json();
    const job = (await h.api.producer.queue.getJob(id))!;
    // The worker's own parts: batched look-ups and the group-committing store (a batch of one here).
    const log = createLogger('silent');
    const process = createCommentProcessor({
      log,
      store: createBatchStore(h.pool, log),
      checks: ALL_CHECKS,
      settings: async () => (await loadSettings(h.pool)).settings,
      history: createHistoryLookup(h.pool),
      formTokenSecret: h.config.FORM_TOKEN_SECRET,
    });

    const first = await process(job);
    const second = await process(job);

    expect(first.stored).toBe(true);
    expect(second.stored).toBe(false);
    expect(await storedCounts(h, [id])).toEqual([{ id, n: 1, events: 1 }]);
    await job.remove();
  });

  it('stores every acknowledged comment exactly once while the worker process is SIGKILLed and restarted', async () => {
    const env = envFor(h.config, { ROLE: 'worker', WORKER_CONCURRENCY: '10' });
    const ready = /worker started/;
    workers.push(await spawnService(env, ready));
    const articleId = `crash-${randomUUID()}`;
    let killed = false;
    let restarted: Promise<void> | null = null;

    const { acked, other } = await submitMany(h.baseUrl, articleId, 500, 25, (done) => {
      if (!killed && done >= 150) {
        killed = true;
        workers[workers.length - 1].child.kill('SIGKILL');
        restarted = spawnService(env, ready).then((w) => void workers.push(w));
      }
    });
    await restarted;

    expect(other).toBe(0);
    expect(acked).toHaveLength(500);
    const rows = await eventually(async () => {
      const r = await storedCounts(h, acked);
      return r.length === acked.length ? r : null;
    }, 45000, 250);
    expect(rows.filter((r) => r.n !== 1 || r.events !== 1)).toEqual([]);
    const { rows: total } = await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId]);
    expect(total[0].n).toBe(500);
    expect(await h.api.producer.queue.getFailedCount()).toBe(0);
    // The killed worker's jobs in flight may have committed their batch before it died: their rows
    // are stored, but the jobs stay active until their locks expire and the restarted worker runs
    // them again (and stores nothing twice, as the counts above show). Every job finishes.
    const queue = h.api.producer.queue;
    const settled = await eventually(async () => {
      const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'failed');
      return Object.values(counts).every((n) => n === 0) ? counts : null;
    }, 30000, 250);
    expect(settled).toEqual({ active: 0, waiting: 0, delayed: 0, failed: 0 });
    expect((await storedCounts(h, acked)).filter((r) => r.n !== 1 || r.events !== 1)).toEqual([]);
  });

  it('finishes the jobs in flight on SIGTERM and exits 0', async () => {
    for (const w of workers.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    const articleId = `term-${randomUUID()}`;
    const { acked } = await submitMany(h.baseUrl, articleId, 600, 25);
    const worker = await spawnService(envFor(h.config, { ROLE: 'worker', WORKER_CONCURRENCY: '10' }), /worker started/);
    await eventually(async () => (await storedCounts(h, acked)).length >= 20, 20000, 10);

    worker.child.kill('SIGTERM');
    const code = await worker.exited;

    expect(code).toBe(0);
    expect(worker.output()).toContain('"msg":"stopped"');
    // Nothing was left half-done: no job is active, and every job not waiting any more was stored.
    const queue = h.api.producer.queue;
    expect(await queue.getActiveCount()).toBe(0);
    const waiting = (await queue.getWaiting(0, -1)).map((j) => j.id);
    const stored = (await storedCounts(h, acked)).map((r) => r.id);
    expect(waiting.length).toBeGreaterThan(0); // it stopped part-way, so the test saw a real stop
    expect(stored.length + waiting.length).toBe(acked.length);
    expect(stored.filter((id) => waiting.includes(id))).toEqual([]);
  });
});
