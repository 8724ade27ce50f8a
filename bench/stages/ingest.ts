import path from 'node:path';
import { submission } from '../lib/comments';
import { startApiProcess, stopService, type BenchContext } from '../lib/context';
import { load, type LoadResult } from '../lib/load';
import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { answers200, cpuMs, freePort, ROOT, sleep, startService } from '../lib/services';

export interface IngestResult {
  api: LoadResult;
  baseline: LoadResult;
  /** The same API with flood control turned off (settings), to show what the flood check costs. */
  apiNoFlood: LoadResult;
  peakRssMb: number;
  /** CPU time of the API process per answered request (µs), over the flood-control-on rounds; the same of bare Express. */
  apiCpuUsPerRequest: number;
  baselineCpuUsPerRequest: number;
}

/** Flood control off and back to its defaults, in the settings table (API processes re-read it within SETTINGS_REFRESH_MS). */
async function setFloodControl(databaseUrl: string, on: boolean): Promise<void> {
  const pool = createPool(databaseUrl, 1, createLogger('silent'));
  try {
    if (on) await pool.query(`DELETE FROM settings WHERE key IN ('floodSeconds', 'hourlyLimitPerIp')`);
    else await pool.query(`INSERT INTO settings (key, value) VALUES ('floodSeconds', '0'), ('hourlyLimitPerIp', '0') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
  } finally {
    await pool.end();
  }
}
/** The API's settings cache refresh (SETTINGS_REFRESH_MS default) plus a margin. */
const SETTINGS_SETTLE_MS = 2500;

/**
 * POST /api/comments (ROLE=api, no worker: every comment stays queued) against a bare Express 5
 * app that parses the same JSON and answers 202, 100 connections. The two alternate in rounds
 * (after a warm-up each), so a burst of other work on the machine hits both alike; the best round
 * of each is reported. Then the same API with flood control off (rounds − 1 of them), best round.
 */
export async function ingest(ctx: BenchContext, opts: { rounds: number; seconds: number; warmupSeconds: number }): Promise<IngestResult> {
  const port = await freePort();
  const baselineUrl = `http://127.0.0.1:${port}`;
  const baselineEnv = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port) };
  const baseline = await startService('baseline', path.join(ROOT, 'dist/bench/baseline-server.js'), [], baselineEnv, path.join(ctx.logDir, 'baseline.log'), answers200(`${baselineUrl}/healthz`));
  ctx.services.add(baseline);
  const api = await startApiProcess(ctx, 'ingest', 'api-ingest');
  try {
    const run = (url: string, article: string, seconds: number) => load({ url: `${url}/api/comments`, method: 'POST', seconds, expect: 202, body: () => submission(article) });
    await run(baselineUrl, 'warmup', opts.warmupSeconds);
    await run(api.baseUrl, 'warmup', opts.warmupSeconds);
    const best = { api: null as LoadResult | null, baseline: null as LoadResult | null };
    // CPU per request: a figure a busy machine disturbs far less than requests per second.
    const cpu = { api: 0, apiRequests: 0, baseline: 0, baselineRequests: 0 };
    const answered = (r: LoadResult) => r.ok + r.other;
    for (let i = 0; i < opts.rounds; i += 1) {
      let before = cpuMs(baseline.child.pid);
      const b = await run(baselineUrl, 'ingest', opts.seconds);
      cpu.baseline += cpuMs(baseline.child.pid) - before;
      cpu.baselineRequests += answered(b);
      before = cpuMs(api.service.child.pid);
      const a = await run(api.baseUrl, 'ingest', opts.seconds);
      cpu.api += cpuMs(api.service.child.pid) - before;
      cpu.apiRequests += answered(a);
      if (!best.baseline || b.reqPerSec > best.baseline.reqPerSec) best.baseline = b;
      if (!best.api || a.reqPerSec > best.api.reqPerSec) best.api = a;
    }
    // What the flood check (counters in the enqueue's own transaction) costs: the same API with it off.
    await setFloodControl(ctx.databaseUrl, false);
    await sleep(SETTINGS_SETTLE_MS);
    let apiNoFlood: LoadResult | null = null;
    try {
      for (let i = 0; i < opts.rounds - 1; i += 1) {
        const a = await run(api.baseUrl, 'ingest-no-flood', opts.seconds);
        if (!apiNoFlood || a.reqPerSec > apiNoFlood.reqPerSec) apiNoFlood = a;
      }
    } finally {
      await setFloodControl(ctx.databaseUrl, true);
    }
    return {
      api: best.api!,
      baseline: best.baseline!,
      apiNoFlood: apiNoFlood!,
      peakRssMb: api.service.peakRssMb(),
      apiCpuUsPerRequest: (cpu.api * 1000) / Math.max(1, cpu.apiRequests),
      baselineCpuUsPerRequest: (cpu.baseline * 1000) / Math.max(1, cpu.baselineRequests),
    };
  } finally {
    await stopService(ctx, baseline);
    await stopService(ctx, api.service);
  }
}
