import path from 'node:path';
import { submission } from '../lib/comments';
import { startApiProcess, stopService, type BenchContext } from '../lib/context';
import { load, type LoadResult } from '../lib/load';
import { answers200, freePort, ROOT, startService } from '../lib/services';

export interface IngestResult {
  api: LoadResult;
  baseline: LoadResult;
  peakRssMb: number;
}

/**
 * POST /api/comments (ROLE=api, no worker: every comment stays queued) against a bare Express 5
 * app that parses the same JSON and answers 202, 100 connections. The two alternate in rounds
 * (after a warm-up each), so a burst of other work on the machine hits both alike; the best round
 * of each is reported.
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
    for (let i = 0; i < opts.rounds; i += 1) {
      const b = await run(baselineUrl, 'ingest', opts.seconds);
      const a = await run(api.baseUrl, 'ingest', opts.seconds);
      if (!best.baseline || b.reqPerSec > best.baseline.reqPerSec) best.baseline = b;
      if (!best.api || a.reqPerSec > best.api.reqPerSec) best.api = a;
    }
    return { api: best.api!, baseline: best.baseline!, peakRssMb: api.service.peakRssMb() };
  } finally {
    await stopService(ctx, baseline);
    await stopService(ctx, api.service);
  }
}
