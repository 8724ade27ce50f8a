import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LogisticSpamModel, type SpamModelSnapshot } from '../src/models/logistic-model';
import { SHIPPED_MODEL_PATH } from '../src/models/shipped-model';
import { CIVILITY_MODEL_PATH, CivilityModel, readShippedCivilityModel } from '../src/models/civility';
import { decide, runChecks } from '../src/moderation/pipeline';
import { defaultCuratedLists, evaluationChecks, toCheckContext } from '../scripts/lib/evaluate';
import { formatTable } from '../scripts/lib/table';
import { SHIPPED_TRAINING_FILES } from '../scripts/lib/training-data';
import { loadYoutubeCsv } from '../scripts/lib/youtube-csv';

/**
 * `npm run bench:classifier`: how long the shipped models (spam and civility) take to load, and how
 * many comments per second one process gets through each model alone and through every check that
 * needs no stored history with both models (the worker's pipeline minus Postgres). Plain performance.now timing; each
 * throughput figure runs for at least RUN_MS after a warm-up.
 */
const RUN_MS = 2000;
const LOAD_RUNS = 20;
const TARGET_PER_SECOND = 10_000;
const TARGET_LOAD_MS = 200;

function loadModel(path: string): LogisticSpamModel {
  return LogisticSpamModel.fromJSON(JSON.parse(readFileSync(path, 'utf8')) as SpamModelSnapshot);
}

/** Per-call CPU time (user + system) of the last `throughput` run, in µs: steadier than the rate on a shared machine. */
let lastCpuMicros = 0;

/** Runs `step(i)` repeatedly for RUN_MS (after a short warm-up) and returns calls per second. */
async function throughput(step: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < 2000; i += 1) await step(i);
  let calls = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < RUN_MS) {
    for (let j = 0; j < 500; j += 1) await step(calls + j);
    calls += 500;
  }
  const used = process.cpuUsage(cpu);
  lastCpuMicros = (used.user + used.system) / calls;
  return calls / ((performance.now() - start) / 1000);
}

/** "123.4" µs of CPU per call of the last throughput run. */
function cpuMicros(): string {
  return lastCpuMicros.toFixed(1);
}

async function main(): Promise<void> {
  const path = resolve(process.cwd(), SHIPPED_MODEL_PATH);
  const loads: number[] = [];
  let model = loadModel(path);
  for (let i = 0; i < LOAD_RUNS; i += 1) {
    const start = performance.now();
    model = loadModel(path);
    loads.push(performance.now() - start);
  }
  loads.sort((a, b) => a - b);
  const medianLoad = loads[Math.floor(loads.length / 2)] ?? 0;
  const maxLoad = loads[loads.length - 1] ?? 0;
  const civilityPath = resolve(process.cwd(), CIVILITY_MODEL_PATH);
  const civilityLoads: number[] = [];
  let civility = CivilityModel.fromJSON(readShippedCivilityModel(civilityPath));
  for (let i = 0; i < LOAD_RUNS; i += 1) {
    const start = performance.now();
    civility = CivilityModel.fromJSON(readShippedCivilityModel(civilityPath));
    civilityLoads.push(performance.now() - start);
  }
  civilityLoads.sort((a, b) => a - b);
  const civilityMedian = civilityLoads[Math.floor(civilityLoads.length / 2)] ?? 0;
  const civilityMax = civilityLoads[civilityLoads.length - 1] ?? 0;

  const rows = SHIPPED_TRAINING_FILES.flatMap((file) => loadYoutubeCsv(resolve(process.cwd(), file)));
  // With the curated lists the workers load (SPAM_LISTS_DIR; the shared data folder's SmokeDetector lists).
  const lists = defaultCuratedLists();
  const contexts = rows.map((row, i) => toCheckContext(row, i, model, undefined, lists, civility));
  const inputs = contexts.map((ctx) => ({ body: ctx.comment.body, authorName: ctx.comment.authorName, authorEmail: ctx.comment.authorEmail }));
  const checks = evaluationChecks();

  const classifyRate = await throughput((i) => model.classify(inputs[i % inputs.length] ?? { body: '' }));
  const classifyCpu = cpuMicros();
  const civilityRate = await throughput((i) => civility.assess(inputs[i % inputs.length]?.body ?? '', { evidence: false }));
  const civilityCpu = cpuMicros();
  const pipelineRate = await throughput(async (i) => {
    const ctx = contexts[i % contexts.length];
    if (ctx) decide(await runChecks(checks, ctx), ctx.settings);
  });
  const pipelineCpu = cpuMicros();

  const status = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  process.stdout.write(`models: ${SHIPPED_MODEL_PATH} (${model.size} features), ${CIVILITY_MODEL_PATH} (${civility.size} features × 6 attributes); ${rows.length} distinct comments, cycled\n`);
  process.stdout.write(`checks: ${checks.map((c) => c.name).join(', ')}; curated lists ${lists ? 'loaded' : 'not found'}\n\n`);
  process.stdout.write(
    formatTable(
      ['measure', 'result', 'target', 'status', 'CPU µs per comment'],
      [
        ['model load, median of 20 (ms)', medianLoad.toFixed(1), `<= ${TARGET_LOAD_MS}`, status(medianLoad <= TARGET_LOAD_MS), '-'],
        ['model load, slowest of 20 (ms)', maxLoad.toFixed(1), `<= ${TARGET_LOAD_MS}`, status(maxLoad <= TARGET_LOAD_MS), '-'],
        ['civility model load, median of 20 (ms)', civilityMedian.toFixed(1), `<= ${TARGET_LOAD_MS}`, status(civilityMedian <= TARGET_LOAD_MS), '-'],
        ['civility model load, slowest of 20 (ms)', civilityMax.toFixed(1), `<= ${TARGET_LOAD_MS}`, status(civilityMax <= TARGET_LOAD_MS), '-'],
        ['classifier alone (comments/s)', Math.round(classifyRate).toString(), '-', '-', classifyCpu],
        ['civility model alone (comments/s)', Math.round(civilityRate).toString(), '-', '-', civilityCpu],
        // The CPU time says what the rate would be on a quiet core: 10,000/s is 100 µs.
        ['checks without history + both models (comments/s)', Math.round(pipelineRate).toString(), `>= ${TARGET_PER_SECOND}`, status(pipelineRate >= TARGET_PER_SECOND), pipelineCpu],
      ],
    ),
  );
  // BENCH_PER_CHECK=1: each check alone, to find the one that costs most.
  if (process.env.BENCH_PER_CHECK === '1') {
    const rows: string[][] = [];
    for (const check of checks) {
      const rate = await throughput(async (i) => {
        const ctx = contexts[i % contexts.length];
        if (ctx) await runChecks([check], ctx);
      });
      rows.push([check.name, Math.round(rate).toString(), cpuMicros()]);
    }
    process.stdout.write(`\n${formatTable(['check alone', 'comments/s', 'CPU µs per comment'], rows)}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
