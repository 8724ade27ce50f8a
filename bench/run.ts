import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable } from '../scripts/lib/table';
import { createPool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { createBenchDatabase } from './lib/bench-db';
import { startApiProcess, startWorkerProcess, type BenchContext } from './lib/context';
import { obliterate } from './lib/queue-keys';
import { ROOT } from './lib/services';
import { drainNoop, drainReal } from './stages/drain';
import { endToEnd } from './stages/end-to-end';
import { ingest } from './stages/ingest';
import { listing } from './stages/listing';

/**
 * `npm run bench`: the service's figures beside the ceilings of its parts, all measured in this
 * run on this machine (loopback only), printed as a table and written to bench/results/latest.json.
 * Its own database and Redis prefix, dropped at the end. Servers are separate processes (the real
 * start command, ROLE=api / ROLE=worker), so the load generator never shares their event loop.
 * BENCH_CPU_PROF=<folder> makes every service process write a CPU profile there.
 */
const DRAIN_JOBS = Number(process.env.BENCH_DRAIN_JOBS ?? 50_000);
/** Worker settings for the runs (see README "Performance"). */
const WORKER_ENV = { WORKER_CONCURRENCY: '200', DATABASE_POOL_SIZE: '20' };
const TARGETS = { ingestRatio: 0.9, ingestP99Ms: 25, endToEnd: 6000, endToEndP99Ms: 100, drain: 15000, drainRatio: 0.5, listing: 5000, notModified: 10000, rssMb: 200 };

async function main(): Promise<void> {
  const startedAt = Date.now();
  const logDir = mkdtempSync(path.join(tmpdir(), 'comment-bench-'));
  const db = await createBenchDatabase();
  const ctx: BenchContext = {
    databaseUrl: db.url,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `bench-${Date.now().toString(36)}`,
    logDir,
    services: new Set(),
  };
  const say = (msg: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
  try {
    say(`ingest: bare Express vs POST /api/comments (logs in ${logDir})`);
    const ing = await ingest(ctx, { rounds: 3, seconds: 4, warmupSeconds: 2 });
    await obliterate(ctx.redisUrl, `${ctx.prefix}:ingest`);

    say(`drain: no-op ceiling, ${DRAIN_JOBS} queued comments with 1 worker process, ${Math.round(DRAIN_JOBS / 2)} with 2`);
    const noop = await drainNoop(ctx, DRAIN_JOBS, Number(WORKER_ENV.WORKER_CONCURRENCY));
    const drain1 = await drainReal(ctx, DRAIN_JOBS, 1, WORKER_ENV);
    // Half the backlog for the comparison run keeps the bench within its 3 minutes (rates, not totals, compare).
    const drain2 = await drainReal(ctx, Math.round(DRAIN_JOBS / 2), 2, WORKER_ENV);

    // The drains left 100,000 fresh rows: let Postgres's vacuum and statistics catch up now, as
    // autovacuum would between bursts, rather than in the middle of the next measurement.
    say('vacuum analyze after the drains');
    await vacuumAnalyze(ctx.databaseUrl);

    say('end to end: API + worker, full speed then 1,000 comments/s');
    const api = await startApiProcess(ctx, 'e2e', 'api-e2e');
    const worker = await startWorkerProcess(ctx, 'e2e', 'worker-e2e', WORKER_ENV);
    const e2e = await endToEnd(ctx, api.baseUrl, { seconds: 10, steadyRate: 1000 });

    say('reader listing: 200 approved comments, full and 304');
    const list = await listing(ctx, api.baseUrl, { seconds: 5 });

    const rssApi = Math.max(ing.peakRssMb, api.service.peakRssMb());
    const rssWorker = Math.max(drain1.peakRssMb, drain2.peakRssMb, worker.peakRssMb());
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg()[0] },
      seconds: Math.round((Date.now() - startedAt) / 1000),
      ingest: {
        reqPerSec: round(ing.api.reqPerSec),
        baselineReqPerSec: round(ing.baseline.reqPerSec),
        ratio: round(ing.api.reqPerSec / ing.baseline.reqPerSec, 3),
        p99Ms: ing.api.p99Ms,
        baselineP99Ms: ing.baseline.p99Ms,
        non202: ing.api.other + ing.api.errors,
        noFloodReqPerSec: round(ing.apiNoFlood.reqPerSec),
        noFloodRatio: round(ing.apiNoFlood.reqPerSec / ing.baseline.reqPerSec, 3),
      },
      endToEnd: {
        commentsPerSec: round(e2e.commentsPerSec),
        acked: e2e.acked,
        steadyRate: round(e2e.steadyRate),
        p50Ms: round(e2e.p50Ms, 1),
        p99Ms: round(e2e.p99Ms, 1),
        submitP50Ms: round(e2e.httpP50Ms, 1),
        submitP99Ms: round(e2e.httpP99Ms, 1),
      },
      drain: {
        jobs: DRAIN_JOBS,
        commentsPerSec: round(drain1.commentsPerSec),
        noopCeiling: round(noop),
        ratio: round(drain1.commentsPerSec / noop, 3),
        twoWorkersJobs: drain2.jobs,
        twoWorkersCommentsPerSec: round(drain2.commentsPerSec),
        twoWorkersSpeedup: round(drain2.commentsPerSec / drain1.commentsPerSec, 2),
        workerCpuUsPerComment: round(drain1.workerCpuUsPerComment),
        workerConcurrency: Number(WORKER_ENV.WORKER_CONCURRENCY),
      },
      listing: { reqPerSec: round(list.reqPerSec), p99Ms: list.p99Ms, notModifiedReqPerSec: round(list.notModifiedReqPerSec), notModifiedP99Ms: list.notModifiedP99Ms },
      rssMb: { api: round(rssApi), worker: round(rssWorker) },
    };
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(report(results));
    say('done: bench/results/latest.json');
  } finally {
    for (const service of ctx.services) await service.stop().catch(() => undefined);
    await obliterate(ctx.redisUrl, ctx.prefix).catch(() => undefined);
    await db.drop();
  }
}

type Results = {
  ingest: { reqPerSec: number; baselineReqPerSec: number; ratio: number; p99Ms: number; baselineP99Ms: number; noFloodReqPerSec: number; noFloodRatio: number };
  endToEnd: { commentsPerSec: number; steadyRate: number; p99Ms: number };
  drain: { commentsPerSec: number; noopCeiling: number; ratio: number; twoWorkersCommentsPerSec: number; twoWorkersSpeedup: number };
  listing: { reqPerSec: number; p99Ms: number; notModifiedReqPerSec: number };
  rssMb: { api: number; worker: number };
  machine: { cpus: number; loadAverageAtStart: number };
  seconds: number;
};

/** The table: each figure, its baseline from this run, the ratio, the target and whether it is met. */
function report(r: Results): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rows: (string | number)[][] = [
    ['ingest POST /api/comments (req/s)', r.ingest.reqPerSec, `${r.ingest.baselineReqPerSec} bare Express`, r.ingest.ratio, `>= ${TARGETS.ingestRatio}x`, mark(r.ingest.ratio >= TARGETS.ingestRatio)],
    ['ingest, flood control off (req/s)', r.ingest.noFloodReqPerSec, `${r.ingest.baselineReqPerSec} bare Express`, r.ingest.noFloodRatio, '-', '-'],
    ['ingest p99 at 100 connections (ms)', r.ingest.p99Ms, `${r.ingest.baselineP99Ms} bare Express`, '-', `<= ${TARGETS.ingestP99Ms}`, mark(r.ingest.p99Ms <= TARGETS.ingestP99Ms)],
    ['end to end, submit to decided row (comments/s)', r.endToEnd.commentsPerSec, `${r.ingest.reqPerSec} ingest`, round(r.endToEnd.commentsPerSec / r.ingest.reqPerSec, 3), `>= ${TARGETS.endToEnd}`, mark(r.endToEnd.commentsPerSec >= TARGETS.endToEnd)],
    [`end to end p99 at ${r.endToEnd.steadyRate}/s (ms)`, r.endToEnd.p99Ms, '-', '-', `<= ${TARGETS.endToEndP99Ms}`, mark(r.endToEnd.p99Ms <= TARGETS.endToEndP99Ms)],
    ['backlog drain, every check on (comments/s)', r.drain.commentsPerSec, `${r.drain.noopCeiling} no-op worker`, r.drain.ratio, `>= ${TARGETS.drain}, >= ${TARGETS.drainRatio}x`, mark(r.drain.commentsPerSec >= TARGETS.drain && r.drain.ratio >= TARGETS.drainRatio)],
    ['backlog drain, 2 worker processes (comments/s)', r.drain.twoWorkersCommentsPerSec, `${r.drain.commentsPerSec} 1 process`, r.drain.twoWorkersSpeedup, '-', '-'],
    ['reader listing, 200 comments (req/s)', r.listing.reqPerSec, '-', '-', `>= ${TARGETS.listing}`, mark(r.listing.reqPerSec >= TARGETS.listing)],
    ['reader listing, matching ETag: 304 (req/s)', r.listing.notModifiedReqPerSec, `${r.ingest.baselineReqPerSec} bare Express POST`, round(r.listing.notModifiedReqPerSec / r.ingest.baselineReqPerSec, 3), `>= ${TARGETS.notModified}`, mark(r.listing.notModifiedReqPerSec >= TARGETS.notModified)],
    ['peak RSS, API process (MB)', r.rssMb.api, '-', '-', `< ${TARGETS.rssMb}`, mark(r.rssMb.api < TARGETS.rssMb)],
    ['peak RSS, worker process (MB)', r.rssMb.worker, '-', '-', `< ${TARGETS.rssMb}`, mark(r.rssMb.worker < TARGETS.rssMb)],
  ];
  const header = `npm run bench: ${r.machine.cpus} CPUs, load average ${r.machine.loadAverageAtStart.toFixed(2)} at start, ${r.seconds} s\n\n`;
  return header + formatTable(['figure', 'value', 'baseline (same run)', 'ratio', 'target', ''], rows);
}

async function vacuumAnalyze(databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, 1, createLogger('silent'));
  try {
    await pool.query('VACUUM (ANALYZE) comments, moderation_events');
  } finally {
    await pool.end();
  }
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
