import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatTable } from '../scripts/lib/table';
import { DEFAULT_DATA_DIR } from '../scripts/lib/shared-data';
import { insertPerspectiveKey } from '../src/db/perspective-key-repository';
import { createPool } from '../src/db/pool';
import { newPerspectiveKey } from '../src/http/perspective/keys';
import { createLogger } from '../src/logger';
import { createBenchDatabase } from './lib/bench-db';
import { startApiProcess, type BenchContext } from './lib/context';
import { load, paced as pacedLoad } from './lib/load';
import { obliterate } from './lib/queue-keys';
import { answers200, cpuMs, freePort, ROOT, startService } from './lib/services';

/**
 * `npm run bench:perspective`: POST /v1alpha1/comments:analyze (the exact JSON Coral Talk sends) with
 * 1,000-character comments at 200 requests a second, evenly paced (as the end-to-end stage's steady
 * rate: autocannon's overallRate sends each second's quota as a burst), against the real start
 * command (ROLE=api, production mode) and, as the baseline in the same run, a bare Express app that
 * parses the same JSON and answers at once. Target: p99 ≤ 20 ms. Then the endpoint's ceiling with
 * autocannon (as fast as it answers, 20 connections). Its own database and Redis prefix; figures to
 * bench/results/perspective.json.
 */
const RATE = Number(process.env.BENCH_PERSPECTIVE_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_PERSPECTIVE_SECONDS ?? 10);
const ROUNDS = 3;
const CONNECTIONS = 20;
const TEXT_CHARS = 1000;
const TARGET_P99_MS = 20;

/** 1,000-character comments made of real reader comments (Civil Comments, ../shared/data), civil and not. */
function commentTexts(): string[] {
  const file = path.join(path.resolve(ROOT, DEFAULT_DATA_DIR), 'civil-comments/civil-comments-5000.csv');
  const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as { text: string }[];
  const texts: string[] = [];
  let i = 0;
  while (texts.length < 500) {
    let text = '';
    while (text.length < TEXT_CHARS) text += `${rows[i++ % rows.length].text} `;
    texts.push(text.slice(0, TEXT_CHARS));
  }
  return texts;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const say = (msg: string) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
  const logDir = mkdtempSync(path.join(tmpdir(), 'perspective-bench-'));
  const db = await createBenchDatabase();
  const ctx: BenchContext = { databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `bench-${Date.now().toString(36)}`, logDir, services: new Set() };
  const texts = commentTexts();
  let n = 0;
  const coralBody = () => ({ comment: { text: texts[n++ % texts.length] }, doNotStore: true, requestedAttributes: { TOXICITY: {} }, languages: ['en'] });
  try {
    const pool = createPool(db.url, 1, createLogger('silent'));
    const fresh = newPerspectiveKey();
    await insertPerspectiveKey(pool, { keyHash: fresh.keyHash, keyHint: fresh.keyHint, label: 'bench' });
    await pool.end();

    say(`servers (logs in ${logDir})`);
    const port = await freePort();
    const baselineUrl = `http://127.0.0.1:${port}`;
    const baseline = await startService('baseline', path.join(ROOT, 'dist/bench/baseline-server.js'), [], { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port) }, path.join(logDir, 'baseline.log'), answers200(`${baselineUrl}/healthz`));
    ctx.services.add(baseline);
    const api = await startApiProcess(ctx, 'perspective', 'api-perspective', { PERSPECTIVE_REQUESTS_PER_MINUTE: '1000000' });
    const analyzeUrl = `${api.baseUrl}/v1alpha1/comments:analyze?key=${fresh.key}`;

    const probe = await fetch(analyzeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(coralBody()) });
    if (probe.status !== 200) throw new Error(`the endpoint answered ${probe.status}: ${await probe.text()}`);

    type Round = Awaited<ReturnType<typeof pacedLoad>>;
    const paced = (url: string, expect: number, seconds: number) => pacedLoad({ url, rate: RATE, seconds, expect, body: coralBody });
    say(`warm-up, then ${ROUNDS} rounds of ${SECONDS} s at ${RATE} req/s, alternating with the baseline`);
    await paced(`${baselineUrl}/api/comments`, 202, 3);
    await paced(analyzeUrl, 200, 3);
    const rounds: { api: Round; baseline: Round; apiCpuUs: number; baselineCpuUs: number }[] = [];
    const cpuPer = async (pid: number | undefined, run: () => Promise<Round>) => {
      const before = cpuMs(pid);
      const r = await run();
      return { r, us: ((cpuMs(pid) - before) * 1000) / Math.max(1, r.ok + r.other) };
    };
    for (let i = 0; i < ROUNDS; i += 1) {
      const b = await cpuPer(baseline.child.pid, () => paced(`${baselineUrl}/api/comments`, 202, SECONDS));
      const a = await cpuPer(api.service.child.pid, () => paced(analyzeUrl, 200, SECONDS));
      rounds.push({ api: a.r, baseline: b.r, apiCpuUs: a.us, baselineCpuUs: b.us });
      say(`round ${i + 1}: p99 ${a.r.p99Ms.toFixed(1)} ms (baseline ${b.r.p99Ms.toFixed(1)} ms), ${a.r.ok} answered 200, ${a.r.other} other, ${a.us.toFixed(0)} µs CPU a request (baseline ${b.us.toFixed(0)})`);
    }
    say('ceiling: as fast as it answers, 5 s');
    const ceiling = await load({ url: analyzeUrl, method: 'POST', seconds: 5, connections: CONNECTIONS, expect: 200, body: coralBody });
    const baselineCeiling = await load({ url: `${baselineUrl}/api/comments`, method: 'POST', seconds: 5, connections: CONNECTIONS, expect: 202, body: coralBody });

    // The median round is the figure; every round is kept in the results file.
    const byP99 = [...rounds].sort((x, y) => x.api.p99Ms - y.api.p99Ms);
    const median = byP99[Math.floor(byP99.length / 2)];
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg()[0] },
      rate: RATE,
      seconds: SECONDS,
      textChars: TEXT_CHARS,
      ceilingConnections: CONNECTIONS,
      p99Ms: round(median.api.p99Ms, 1),
      p50Ms: round(median.api.p50Ms, 1),
      baselineP99Ms: round(median.baseline.p99Ms, 1),
      baselineP50Ms: round(median.baseline.p50Ms, 1),
      non200: rounds.reduce((s, r) => s + r.api.other, 0),
      rounds: rounds.map((r) => ({ p50Ms: round(r.api.p50Ms, 1), p99Ms: round(r.api.p99Ms, 1), reqPerSec: round(r.api.reqPerSec), baselineP50Ms: round(r.baseline.p50Ms, 1), baselineP99Ms: round(r.baseline.p99Ms, 1), apiCpuUsPerRequest: round(r.apiCpuUs), baselineCpuUsPerRequest: round(r.baselineCpuUs) })),
      apiCpuUsPerRequest: round(median.apiCpuUs),
      baselineCpuUsPerRequest: round(median.baselineCpuUs),
      ceilingReqPerSec: round(ceiling.reqPerSec),
      baselineCeilingReqPerSec: round(baselineCeiling.reqPerSec),
      apiPeakRssMb: round(api.service.peakRssMb()),
      loadAverageAtEnd: loadavg()[0],
    };
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench/results/perspective.json'), `${JSON.stringify(results, null, 2)}\n`);
    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    process.stdout.write(
      `npm run bench:perspective: ${results.machine.cpus} CPUs, load average ${results.machine.loadAverageAtStart.toFixed(2)} at start, ${results.loadAverageAtEnd.toFixed(2)} at the end\n\n` +
        formatTable(
          ['figure', 'value', 'baseline (same run)', 'target', ''],
          [
            [`Perspective analyze p99 at ${RATE}/s, ${TEXT_CHARS}-char comments (ms)`, results.p99Ms, `${results.baselineP99Ms} bare Express`, `<= ${TARGET_P99_MS}`, mark(results.p99Ms <= TARGET_P99_MS && results.non200 === 0)],
            [`Perspective analyze p50 at ${RATE}/s (ms)`, results.p50Ms, `${results.baselineP50Ms} bare Express`, '-', '-'],
            [`Perspective analyze, as fast as it answers, ${CONNECTIONS} connections (req/s)`, results.ceilingReqPerSec, `${results.baselineCeilingReqPerSec} bare Express`, '-', '-'],
            ['API process CPU per analyze request (µs)', results.apiCpuUsPerRequest, `${results.baselineCpuUsPerRequest} bare Express`, '-', '-'],
            ['answers other than 200 during the rounds', results.non200, '-', '0', mark(results.non200 === 0)],
          ],
        ),
    );
    say('done: bench/results/perspective.json');
  } finally {
    for (const service of ctx.services) await service.stop().catch(() => undefined);
    await obliterate(ctx.redisUrl, ctx.prefix).catch(() => undefined);
    await db.drop();
  }
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
