import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable } from '../scripts/lib/table';
import { createPool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { createBenchDatabase } from './lib/bench-db';
import { startApiProcess, startWorkerProcess, stopService, type BenchContext } from './lib/context';
import { obliterate } from './lib/queue-keys';
import { ROOT } from './lib/services';
import { drainNoop, drainReal, type DrainResult, type NoopResult } from './stages/drain';
import { endToEnd } from './stages/end-to-end';
import { ingest } from './stages/ingest';
import { listing } from './stages/listing';
import { akismet, type AkismetResult } from './stages/akismet';
import { cachedListing } from './stages/cached-listing';

/**
 * `npm run bench`: the service's figures beside the ceilings of its parts, all measured in this
 * run on this machine (loopback only), printed as a table and written to bench/results/latest.json.
 * Its own database and Redis prefix, dropped at the end. Servers are separate processes (the real
 * start command, ROLE=api / ROLE=worker), so the load generator never shares their event loop.
 * BENCH_CPU_PROF=<folder> makes every service process write a CPU profile there.
 */
const DRAIN_JOBS = Number(process.env.BENCH_DRAIN_JOBS ?? 50_000);
/**
 * BENCH_STAGES=drain (or a comma list of ingest, drain, e2e, cdn) runs only those stages, for quick
 * iteration on one part; the figures go to bench/results/partial.json, not latest.json, and the
 * table shows only their rows. BENCH_DRAIN_TWO=0 skips the 2-process drain.
 */
const ALL_STAGES = ['ingest', 'drain', 'e2e', 'akismet', 'cdn'] as const;
/** Views of one article through the nginx cache (stage cdn). */
const CACHED_VIEWS = Number(process.env.BENCH_CACHED_VIEWS ?? 10_000);
const STAGES = new Set((process.env.BENCH_STAGES ?? ALL_STAGES.join(',')).split(',').map((s) => s.trim()).filter(Boolean));
const FULL = ALL_STAGES.every((s) => STAGES.has(s));
const DRAIN_TWO = process.env.BENCH_DRAIN_TWO !== '0';
/** Worker settings for the runs (see docs/operations.md, "Performance"). */
const WORKER_ENV = { WORKER_CONCURRENCY: '200', DATABASE_POOL_SIZE: '20' };
const TARGETS = { originPer10k: 5, approvalVisibleSeconds: 2, ingestRatio: 0.9, ingestP99Ms: 25, endToEnd: 6000, endToEndP99Ms: 100, drain: 15000, drainRatio: 0.5, listing: 5000, notModified: 10000, rssMb: 200, akismetP99Ms: 50 };

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
    let ing: Awaited<ReturnType<typeof ingest>> | undefined;
    if (STAGES.has('ingest')) {
      say(`ingest: bare Express vs POST /api/comments (logs in ${logDir})`);
      ing = await ingest(ctx, { rounds: 3, seconds: 4, warmupSeconds: 2 });
      await obliterate(ctx.redisUrl, `${ctx.prefix}:ingest`);
    }

    let drain: { noop: NoopResult; one: DrainResult; two?: DrainResult } | undefined;
    if (STAGES.has('drain')) {
      say(`drain: no-op ceiling, ${DRAIN_JOBS} queued comments with 1 worker process${DRAIN_TWO ? `, ${Math.round(DRAIN_JOBS / 2)} with 2` : ''} (logs in ${logDir})`);
      const noop = await drainNoop(ctx, DRAIN_JOBS, Number(WORKER_ENV.WORKER_CONCURRENCY));
      const one = await drainReal(ctx, DRAIN_JOBS, 1, WORKER_ENV);
      // Half the backlog for the comparison run keeps the bench within its 3 minutes (rates, not totals, compare).
      const two = DRAIN_TWO ? await drainReal(ctx, Math.round(DRAIN_JOBS / 2), 2, WORKER_ENV) : undefined;
      drain = { noop, one, two };
    }

    let e2e: Awaited<ReturnType<typeof endToEnd>> | undefined;
    let list: Awaited<ReturnType<typeof listing>> | undefined;
    let rssApiE2e = 0;
    let rssWorkerE2e = 0;
    if (STAGES.has('e2e')) {
      if (drain) {
        // The drains left 100,000 fresh rows: let Postgres's vacuum and statistics catch up now, as
        // autovacuum would between bursts, rather than in the middle of the next measurement.
        say('vacuum analyze after the drains');
        await vacuumAnalyze(ctx.databaseUrl);
      }
      say('end to end: API + worker, full speed then 1,000 comments/s');
      const api = await startApiProcess(ctx, 'e2e', 'api-e2e');
      const worker = await startWorkerProcess(ctx, 'e2e', 'worker-e2e', WORKER_ENV);
      e2e = await endToEnd(ctx, api.baseUrl, { seconds: 10, steadyRate: 1000 });

      say('reader listing: 200 approved comments, full and 304');
      list = await listing(ctx, api.baseUrl, { seconds: 5 });
      rssApiE2e = api.service.peakRssMb();
      rssWorkerE2e = worker.peakRssMb();
    }

    let ak: AkismetResult | undefined;
    if (STAGES.has('akismet')) {
      say('akismet: comment-check and verify-key at 100 requests/s (logs in ' + logDir + ')');
      const api = await startApiProcess(ctx, 'akismet', 'api-akismet');
      ak = await akismet(ctx, api.baseUrl, { seconds: 10, rate: 100, connections: 10 });
      await stopService(ctx, api.service);
    }

    let cached: Awaited<ReturnType<typeof cachedListing>> | undefined;
    if (STAGES.has('cdn')) {
      say(`cached listing: ${CACHED_VIEWS} views of one article through nginx proxy_cache, an approval half-way`);
      const api = await startApiProcess(ctx, 'cdn', 'api-cdn');
      cached = await cachedListing(ctx, api.baseUrl, { views: CACHED_VIEWS });
      await stopService(ctx, api.service);
    }

    const rssApi = Math.max(ing?.peakRssMb ?? 0, rssApiE2e);
    const rssWorker = Math.max(drain?.one.peakRssMb ?? 0, drain?.two?.peakRssMb ?? 0, rssWorkerE2e);
    const results: Results = {
      measuredAt: new Date().toISOString(),
      stages: [...STAGES],
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg()[0] },
      seconds: Math.round((Date.now() - startedAt) / 1000),
      ingest: ing && {
        reqPerSec: round(ing.api.reqPerSec),
        baselineReqPerSec: round(ing.baseline.reqPerSec),
        ratio: round(ing.api.reqPerSec / ing.baseline.reqPerSec, 3),
        p99Ms: ing.api.p99Ms,
        baselineP99Ms: ing.baseline.p99Ms,
        non202: ing.api.other + ing.api.errors,
        noFloodReqPerSec: round(ing.apiNoFlood.reqPerSec),
        noFloodRatio: round(ing.apiNoFlood.reqPerSec / ing.baseline.reqPerSec, 3),
        cpuUsPerRequest: round(ing.apiCpuUsPerRequest),
        baselineCpuUsPerRequest: round(ing.baselineCpuUsPerRequest),
      },
      endToEnd: e2e && {
        commentsPerSec: round(e2e.commentsPerSec),
        acked: e2e.acked,
        steadyRate: round(e2e.steadyRate),
        p50Ms: round(e2e.p50Ms, 1),
        p99Ms: round(e2e.p99Ms, 1),
        submitP50Ms: round(e2e.httpP50Ms, 1),
        submitP99Ms: round(e2e.httpP99Ms, 1),
      },
      drain: drain && {
        jobs: DRAIN_JOBS,
        commentsPerSec: round(drain.one.commentsPerSec),
        noopCeiling: round(drain.noop.jobsPerSec),
        ratio: round(drain.one.commentsPerSec / drain.noop.jobsPerSec, 3),
        twoWorkersJobs: drain.two?.jobs ?? 0,
        twoWorkersCommentsPerSec: round(drain.two?.commentsPerSec ?? 0),
        twoWorkersSpeedup: round((drain.two?.commentsPerSec ?? 0) / drain.one.commentsPerSec, 2),
        workerCpuUsPerComment: round(drain.one.workerCpuUsPerComment),
        postgresCpuUsPerComment: round(drain.one.postgresCpuUsPerComment),
        redisCpuUsPerComment: round(drain.one.redisCpuUsPerComment),
        noopWorkerCpuUsPerJob: round(drain.noop.workerCpuUsPerJob),
        noopRedisCpuUsPerJob: round(drain.noop.redisCpuUsPerJob),
        twoWorkersCpuUsPerComment: round(drain.two?.workerCpuUsPerComment ?? 0),
        workerConcurrency: Number(WORKER_ENV.WORKER_CONCURRENCY),
      },
      cachedListing: cached && {
        views: cached.views,
        viewsPerSec: round(cached.viewsPerSec),
        originRequests: cached.originRequests,
        originRequestsPer10k: round(cached.originRequestsPer10k, 1),
        approvalVisibleSeconds: round(cached.approvalVisibleSeconds, 2),
      },
      listing: list && { reqPerSec: round(list.reqPerSec), p99Ms: list.p99Ms, notModifiedReqPerSec: round(list.notModifiedReqPerSec), notModifiedP99Ms: list.notModifiedP99Ms },
      akismet: ak,
      rssMb: { api: round(rssApi), worker: round(rssWorker) },
    };
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    const out = FULL ? 'latest.json' : 'partial.json';
    writeFileSync(path.join(ROOT, 'bench/results', out), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(report(results));
    say(`done: bench/results/${out}`);
  } finally {
    for (const service of ctx.services) await service.stop().catch(() => undefined);
    await obliterate(ctx.redisUrl, ctx.prefix).catch(() => undefined);
    // BENCH_KEEP_DB=1 keeps the database (its URL is printed), to look at its tables and plans afterwards.
    if (process.env.BENCH_KEEP_DB === '1') process.stderr.write(`kept database ${db.url}\n`);
    else await db.drop();
  }
}

interface Results {
  measuredAt: string;
  stages: string[];
  ingest?: { reqPerSec: number; baselineReqPerSec: number; ratio: number; p99Ms: number; baselineP99Ms: number; non202: number; noFloodReqPerSec: number; noFloodRatio: number; cpuUsPerRequest: number; baselineCpuUsPerRequest: number };
  endToEnd?: { commentsPerSec: number; acked: number; steadyRate: number; p50Ms: number; p99Ms: number; submitP50Ms: number; submitP99Ms: number };
  drain?: {
    jobs: number;
    commentsPerSec: number;
    noopCeiling: number;
    ratio: number;
    twoWorkersJobs: number;
    twoWorkersCommentsPerSec: number;
    twoWorkersSpeedup: number;
    workerCpuUsPerComment: number;
    postgresCpuUsPerComment: number;
    redisCpuUsPerComment: number;
    noopWorkerCpuUsPerJob: number;
    noopRedisCpuUsPerJob: number;
    twoWorkersCpuUsPerComment: number;
    workerConcurrency: number;
  };
  listing?: { reqPerSec: number; p99Ms: number; notModifiedReqPerSec: number; notModifiedP99Ms: number };
  akismet?: AkismetResult;
  cachedListing?: { views: number; viewsPerSec: number; originRequests: number; originRequestsPer10k: number; approvalVisibleSeconds: number };
  rssMb: { api: number; worker: number };
  machine: { cpus: number; model: string; loadAverageAtStart: number };
  seconds: number;
}

/** The table: each figure, its baseline from this run, the ratio, the target and whether it is met (only the stages run). */
function report(r: Results): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rows: (string | number)[][] = [];
  const { ingest: ing, endToEnd: e2e, drain, listing: list } = r;
  if (ing) {
    rows.push(['ingest POST /api/comments (req/s)', ing.reqPerSec, `${ing.baselineReqPerSec} bare Express`, ing.ratio, `>= ${TARGETS.ingestRatio}x`, mark(ing.ratio >= TARGETS.ingestRatio)]);
    rows.push(['ingest, flood control off (req/s)', ing.noFloodReqPerSec, `${ing.baselineReqPerSec} bare Express`, ing.noFloodRatio, '-', '-']);
    rows.push(['ingest, API CPU per request (µs)', ing.cpuUsPerRequest, `${ing.baselineCpuUsPerRequest} bare Express`, round(ing.baselineCpuUsPerRequest / Math.max(1, ing.cpuUsPerRequest), 3), '-', '-']);
    rows.push(['ingest p99 at 100 connections (ms)', ing.p99Ms, `${ing.baselineP99Ms} bare Express`, '-', `<= ${TARGETS.ingestP99Ms}`, mark(ing.p99Ms <= TARGETS.ingestP99Ms)]);
  }
  if (e2e) {
    rows.push(['end to end, submit to decided row (comments/s)', e2e.commentsPerSec, ing ? `${ing.reqPerSec} ingest` : '-', ing ? round(e2e.commentsPerSec / ing.reqPerSec, 3) : '-', `>= ${TARGETS.endToEnd}`, mark(e2e.commentsPerSec >= TARGETS.endToEnd)]);
    rows.push([`end to end p99 at ${e2e.steadyRate}/s (ms)`, e2e.p99Ms, '-', '-', `<= ${TARGETS.endToEndP99Ms}`, mark(e2e.p99Ms <= TARGETS.endToEndP99Ms)]);
  }
  if (drain) {
    rows.push(['backlog drain, every check on (comments/s)', drain.commentsPerSec, `${drain.noopCeiling} no-op worker`, drain.ratio, `>= ${TARGETS.drain}, >= ${TARGETS.drainRatio}x`, mark(drain.commentsPerSec >= TARGETS.drain && drain.ratio >= TARGETS.drainRatio)]);
    rows.push(['backlog drain, worker CPU per comment (µs)', drain.workerCpuUsPerComment, `${drain.noopWorkerCpuUsPerJob} no-op worker`, round(drain.workerCpuUsPerComment / drain.noopWorkerCpuUsPerJob, 2), '-', '-']);
    rows.push(['backlog drain, Postgres + Redis CPU per comment (µs)', drain.postgresCpuUsPerComment + drain.redisCpuUsPerComment, `${drain.noopRedisCpuUsPerJob} no-op (Redis)`, '-', '-', '-']);
    if (drain.twoWorkersJobs) rows.push(['backlog drain, 2 worker processes (comments/s)', drain.twoWorkersCommentsPerSec, `${drain.commentsPerSec} 1 process`, drain.twoWorkersSpeedup, '-', '-']);
  }
  if (list) {
    rows.push(['reader listing, 200 comments (req/s)', list.reqPerSec, '-', '-', `>= ${TARGETS.listing}`, mark(list.reqPerSec >= TARGETS.listing)]);
    rows.push(['reader listing, matching ETag: 304 (req/s)', list.notModifiedReqPerSec, ing ? `${ing.baselineReqPerSec} bare Express POST` : '-', ing ? round(list.notModifiedReqPerSec / ing.baselineReqPerSec, 3) : '-', `>= ${TARGETS.notModified}`, mark(list.notModifiedReqPerSec >= TARGETS.notModified)]);
  }
  if (r.akismet) {
    const a = r.akismet;
    rows.push([`Akismet comment-check p50 at ${a.rate}/s (ms)`, a.checkP50Ms, `${a.verifyP50Ms} verify-key`, '-', '-', '-']);
    rows.push([`Akismet comment-check p99 at ${a.rate}/s (ms)`, a.checkP99Ms, `${a.verifyP99Ms} verify-key`, '-', `<= ${TARGETS.akismetP99Ms}`, mark(a.checkP99Ms <= TARGETS.akismetP99Ms && a.checkOther === 0)]);
  }
  const cdn = r.cachedListing;
  if (cdn) {
    rows.push([`cached listing via nginx: origin requests per 10,000 views`, cdn.originRequestsPer10k, `${cdn.viewsPerSec} views/s, ${cdn.originRequests} of ${cdn.views}`, '-', `<= ${TARGETS.originPer10k} (must <= 20)`, mark(cdn.originRequestsPer10k <= TARGETS.originPer10k)]);
    rows.push(['cached listing: approval visible through the cache (s)', cdn.approvalVisibleSeconds, `LISTING_CDN_MAX_AGE 1 s`, '-', `<= ${TARGETS.approvalVisibleSeconds} (must <= 10)`, mark(cdn.approvalVisibleSeconds <= TARGETS.approvalVisibleSeconds)]);
  }
  if (ing || e2e) rows.push(['peak RSS, API process (MB)', r.rssMb.api, '-', '-', `< ${TARGETS.rssMb}`, mark(r.rssMb.api < TARGETS.rssMb)]);
  if (drain || e2e) rows.push(['peak RSS, worker process (MB)', r.rssMb.worker, '-', '-', `< ${TARGETS.rssMb}`, mark(r.rssMb.worker < TARGETS.rssMb)]);
  const header = `npm run bench: ${r.machine.cpus} CPUs, load average ${r.machine.loadAverageAtStart.toFixed(2)} at start, ${r.seconds} s${FULL ? '' : ` (stages: ${r.stages.join(', ')})`}\n\n`;
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
