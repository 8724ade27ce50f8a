import path from 'node:path';
import { createPool, type Pool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { createProducer, jobOptions } from '../../src/queue/moderation-queue';
import { queuedJob } from '../lib/comments';
import { serviceEnv, startWorkerProcess, stopService, type BenchContext } from '../lib/context';
import { cpuMs, cpuMsOf, ROOT, sleep, startService, type Service } from '../lib/services';

export interface DrainResult {
  /** Comments decided and stored per second, all checks on, by `workers` worker processes. */
  commentsPerSec: number;
  workers: number;
  jobs: number;
  peakRssMb: number;
  /** CPU time the worker processes spent per comment (µs), start-up excluded. */
  workerCpuUsPerComment: number;
  /**
   * CPU time during the drain, per comment (µs): of the Postgres processes serving the bench's database
   * and of Postgres's background processes (WAL writer, checkpointer…), and of every Redis server
   * process. Rough on a shared machine: other users' work in the background processes counts too.
   */
  postgresCpuUsPerComment: number;
  redisCpuUsPerComment: number;
}

/** The no-op ceiling, and what it cost the worker process and Redis per job. */
export interface NoopResult {
  jobsPerSec: number;
  workerCpuUsPerJob: number;
  redisCpuUsPerJob: number;
}

const QUEUE_SETTINGS = { attempts: 14, backoffMs: 1000 };

/** Puts `jobs` comments on a paused queue (as the API would have), so the workers start on a full backlog together. */
async function fillPaused(ctx: BenchContext, queueName: string, articleId: string, jobs: number) {
  const producer = createProducer({ redisUrl: ctx.redisUrl, prefix: ctx.prefix, name: queueName, enqueueTimeoutMs: 10000, ...QUEUE_SETTINGS });
  await producer.queue.waitUntilReady();
  await producer.queue.pause();
  for (let i = 0; i < jobs; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, jobs - i) }, () => queuedJob(articleId));
    await producer.queue.addBulk(chunk.map((data) => ({ name: 'moderate', data, opts: jobOptions(QUEUE_SETTINGS, data.comment.id) })));
  }
  return producer;
}

/**
 * The no-op ceiling: a BullMQ worker that does nothing, same concurrency, `jobs` queued jobs;
 * jobs per second between its first and last completion.
 */
export async function drainNoop(ctx: BenchContext, jobs: number, concurrency: number): Promise<NoopResult> {
  const queueName = 'drain-noop';
  const producer = await fillPaused(ctx, queueName, 'drain-noop', jobs);
  const env = serviceEnv(ctx, { QUEUE_NAME: queueName, WORKER_CONCURRENCY: String(concurrency), BENCH_JOBS: String(jobs) });
  const logFile = path.join(ctx.logDir, 'noop-worker.log');
  const worker = await startService('noop-worker', path.join(ROOT, 'dist/bench/noop-worker.js'), [], env, logFile, /"worker started"/);
  ctx.services.add(worker);
  try {
    const cpuBefore = cpuMs(worker.child.pid);
    const redisBefore = cpuMsOf('redis-server');
    await producer.queue.resume();
    const line = await waitForLine(worker, /\{"msg":"drained"[^\n]*/, 120000);
    const { firstAt, lastAt } = JSON.parse(line) as { firstAt: number; lastAt: number };
    return {
      jobsPerSec: ((jobs - 1) * 1000) / Math.max(1, lastAt - firstAt),
      workerCpuUsPerJob: ((cpuMs(worker.child.pid) - cpuBefore) * 1000) / jobs,
      redisCpuUsPerJob: ((cpuMsOf('redis-server') - redisBefore) * 1000) / jobs,
    };
  } finally {
    await stopService(ctx, worker);
    await producer.queue.obliterate({ force: true }).catch(() => undefined);
    await producer.close();
  }
}

/**
 * The backlog: `jobs` comments queued, then `workers` real worker processes (ROLE=worker, every
 * check on) decide and store them all; comments per second between the first and the last commit.
 */
export async function drainReal(ctx: BenchContext, jobs: number, workers: number, extraEnv: Record<string, string> = {}): Promise<DrainResult> {
  const queueName = `drain-${workers}`;
  const articleId = `drain-${workers}-${Date.now().toString(36)}`;
  const producer = await fillPaused(ctx, queueName, articleId, jobs);
  const started: Service[] = [];
  const pool = createPool(ctx.databaseUrl, 1, createLogger('silent'));
  try {
    for (let i = 0; i < workers; i += 1) started.push(await startWorkerProcess(ctx, queueName, `worker-drain-${workers}-${i + 1}`, extraEnv));
    const cpuBefore = started.reduce((sum, s) => sum + cpuMs(s.child.pid), 0);
    const postgresBefore = await postgresCpu(pool);
    const redisBefore = cpuMsOf('redis-server');
    await producer.queue.resume();
    const deadline = Date.now() + 150000;
    for (;;) {
      // Watch the queue (a few Redis commands), and count the rows only once it is empty: counting an
      // article's fresh rows every 100 ms cost Postgres about as much CPU as a tenth of the drain.
      const counts = await producer.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId]);
        if (rows[0].n >= jobs) break;
      }
      if (Date.now() > deadline) throw new Error(`drain with ${workers} worker(s): not all ${jobs} stored in time (${JSON.stringify(counts)})`);
      await sleep(100);
    }
    // Between the first and the last commit; the first batch's comments count as done at the start.
    const { rows } = await pool.query<{ span_ms: number; first_batch: number }>(
      `SELECT extract(epoch FROM max(decided_at) - min(decided_at)) * 1000 AS span_ms,
              count(*) FILTER (WHERE decided_at = (SELECT min(decided_at) FROM comments WHERE article_id = $1))::int AS first_batch
       FROM comments WHERE article_id = $1`,
      [articleId],
    );
    const peakRssMb = Math.max(...started.map((s) => s.peakRssMb()));
    const cpu = started.reduce((sum, s) => sum + cpuMs(s.child.pid), 0) - cpuBefore;
    const postgres = await postgresCpuSince(pool, postgresBefore);
    const redis = cpuMsOf('redis-server') - redisBefore;
    return {
      commentsPerSec: ((jobs - rows[0].first_batch) * 1000) / Math.max(1, rows[0].span_ms),
      workers,
      jobs,
      peakRssMb,
      workerCpuUsPerComment: (cpu * 1000) / jobs,
      postgresCpuUsPerComment: (postgres * 1000) / jobs,
      redisCpuUsPerComment: (redis * 1000) / jobs,
    };
  } finally {
    for (const s of started) await stopService(ctx, s);
    await producer.queue.obliterate({ force: true }).catch(() => undefined);
    await producer.close();
    await pool.end();
  }
}

async function waitForLine(service: Service, pattern: RegExp, timeoutMs: number): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(await readFile(service.logFile, 'utf8'));
    if (m) return m[0];
    if (Date.now() > deadline) throw new Error(`${service.name}: no ${pattern} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** CPU time (ms) so far of each Postgres process that serves this database or none (background), with its kind. */
async function postgresCpu(pool: Pool): Promise<Map<number, { ms: number; kind: string }>> {
  const { rows } = await pool.query<{ pid: number; kind: string }>(
    'SELECT pid, backend_type AS kind FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL',
  );
  return new Map(rows.map((r) => [r.pid, { ms: cpuMs(r.pid), kind: r.kind }]));
}

/**
 * CPU time (ms) those processes used since `before` (a process started since counts from 0).
 * BENCH_VERBOSE=1 prints it by kind of process (client backend, walwriter, autovacuum worker…).
 */
async function postgresCpuSince(pool: Pool, before: Map<number, { ms: number; kind: string }>): Promise<number> {
  let total = 0;
  const byKind = new Map<string, number>();
  for (const [pid, now] of await postgresCpu(pool)) {
    const ms = now.ms - (before.get(pid)?.ms ?? 0);
    total += ms;
    byKind.set(now.kind, (byKind.get(now.kind) ?? 0) + ms);
  }
  if (process.env.BENCH_VERBOSE === '1') process.stderr.write(`postgres CPU ms by process kind: ${JSON.stringify(Object.fromEntries(byKind))}\n`);
  return total;
}
