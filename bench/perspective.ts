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
import { load, type LoadResult } from './lib/load';
import { obliterate } from './lib/queue-keys';
import { answers200, freePort, ROOT, startService } from './lib/services';

/**
 * `npm run bench:perspective`: POST /v1alpha1/comments:analyze (the exact JSON Coral Talk sends) with
 * 1,000-character comments at 200 requests a second, against the real start command (ROLE=api,
 * production mode) and, as the baseline in the same run, a bare Express app that parses the same
 * JSON and answers at once. Target: p99 ≤ 20 ms. Then the endpoint's ceiling (as fast as it
 * answers). Its own database and Redis prefix; figures to bench/results/perspective.json.
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

    const paced = (url: string, expect: number, seconds: number) => load({ url, method: 'POST', seconds, connections: CONNECTIONS, overallRate: RATE, expect, body: coralBody });
    say(`warm-up, then ${ROUNDS} rounds of ${SECONDS} s at ${RATE} req/s, alternating with the baseline`);
    await paced(`${baselineUrl}/api/comments`, 202, 3);
    await paced(analyzeUrl, 200, 3);
    const rounds: { api: LoadResult; baseline: LoadResult }[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const b = await paced(`${baselineUrl}/api/comments`, 202, SECONDS);
      const a = await paced(analyzeUrl, 200, SECONDS);
      rounds.push({ api: a, baseline: b });
      say(`round ${i + 1}: p99 ${a.p99Ms} ms (baseline ${b.p99Ms} ms), ${a.ok} answered 200, ${a.other} other, ${a.errors} errors`);
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
      connections: CONNECTIONS,
      p99Ms: median.api.p99Ms,
      p50Ms: median.api.p50Ms,
      baselineP99Ms: median.baseline.p99Ms,
      non200: rounds.reduce((s, r) => s + r.api.other + r.api.errors, 0),
      rounds: rounds.map((r) => ({ p50Ms: r.api.p50Ms, p99Ms: r.api.p99Ms, reqPerSec: round(r.api.reqPerSec), baselineP99Ms: r.baseline.p99Ms, statuses: r.api.statuses })),
      ceilingReqPerSec: round(ceiling.reqPerSec),
      baselineCeilingReqPerSec: round(baselineCeiling.reqPerSec),
      apiPeakRssMb: round(api.service.peakRssMb()),
    };
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench/results/perspective.json'), `${JSON.stringify(results, null, 2)}\n`);
    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    process.stdout.write(
      `npm run bench:perspective: ${results.machine.cpus} CPUs, load average ${results.machine.loadAverageAtStart.toFixed(2)} at start\n\n` +
        formatTable(
          ['figure', 'value', 'baseline (same run)', 'target', ''],
          [
            [`Perspective analyze p99 at ${RATE}/s, ${TEXT_CHARS}-char comments (ms)`, results.p99Ms, `${results.baselineP99Ms} bare Express`, `<= ${TARGET_P99_MS}`, mark(results.p99Ms <= TARGET_P99_MS && results.non200 === 0)],
            [`Perspective analyze p50 at ${RATE}/s (ms)`, results.p50Ms, `${median.baseline.p50Ms} bare Express`, '-', '-'],
            ['Perspective analyze, as fast as it answers (req/s)', results.ceilingReqPerSec, `${results.baselineCeilingReqPerSec} bare Express`, '-', '-'],
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
