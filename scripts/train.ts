import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chooseOperatingPoints, operatingRates, type OperatingSample } from '../src/models/choose-operating-points';
import { OPERATING_POINTS, type OperatingPoints } from '../src/models/operating-points';
import { formatSnapshot, SHIPPED_MODEL_PATH } from '../src/models/shipped-model';
import { crossValidate, DEFAULT_TRAINING, trainSpamModel } from '../src/models/train-model';
import { buildOperatingSamples } from './lib/operating-samples';
import { formatTable } from './lib/table';
import { SHIPPED_TRAINING_FILES, toClassifierInput } from './lib/training-data';
import { loadYoutubeCsv } from './lib/youtube-csv';

const USAGE = 'usage: npm run train -- [FILE.csv …] [--out PATH]';

/**
 * `npm run train`: trains the shipped spam model on data/youtube-spam and writes
 * models/spam-model.json. Deterministic: the same data gives the same file, byte for byte.
 * First it cross-validates (leave one file out), runs the held-out comments through every check
 * that needs no stored history, and prints the rates under the anchors in use and the anchors the
 * rule picks (src/models/choose-operating-points.ts), so a drift is seen.
 * Optional arguments: training files (default: the three shipped ones) and `--out PATH`.
 */
async function main(argv: readonly string[]): Promise<void> {
  const files: string[] = [];
  let outPath: string = SHIPPED_MODEL_PATH;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--out') {
      outPath = argv[i + 1] ?? '';
      i += 1;
      if (!outPath) throw new Error(USAGE);
    } else files.push(arg);
  }
  const out = resolve(process.cwd(), outPath);
  const trainFiles = files.length ? files : [...SHIPPED_TRAINING_FILES];
  const rows = trainFiles.flatMap((file) => loadYoutubeCsv(file));
  const examples = rows.map((row) => ({ input: toClassifierInput(row), label: row.label, group: row.source }));

  const held = crossValidate(examples, DEFAULT_TRAINING);
  const samples = await buildOperatingSamples(rows, held);
  const chosen = chooseOperatingPoints(samples);
  const same = (Object.keys(chosen) as (keyof OperatingPoints)[]).every((k) => chosen[k] === OPERATING_POINTS[k]);
  process.stdout.write(`cross-validation (leave one file out): ${trainFiles.length} files, ${examples.length} comments, every no-history check\n\n`);
  process.stdout.write(ratesTable(samples, held.map((h) => h.group)));
  process.stdout.write(`\nanchors in use (zero, hold, steep, spam log-odds): ${describe(OPERATING_POINTS)}; the rule picks ${describe(chosen)}`);
  process.stdout.write(same ? ' (match)\n' : ' (DIFFERENT: review src/models/operating-points.ts)\n');

  const model = trainSpamModel(examples, DEFAULT_TRAINING);
  const text = formatSnapshot(model.toJSON());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
  process.stdout.write(`wrote ${out}: ${model.size} features, ${examples.length} comments, sha256 ${sha}\n`);
}

function describe(p: OperatingPoints): string {
  return `${p.zeroLogit}, ${p.holdLogit}, ${p.steepLogit ?? p.holdLogit}, ${p.spamLogit}`;
}

/** Held-out rates under the anchors in use, per file and overall; `groups` is aligned with `samples`. */
function ratesTable(samples: readonly OperatingSample[], groups: readonly string[]): string {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const line = (name: string, part: readonly OperatingSample[]) => {
    const r = operatingRates(part, OPERATING_POINTS);
    return [name, part.length, Math.round(r.f1 * 1000) / 1000, pct(r.hamBlocked), pct(r.hamHeld), pct(r.spamPublished)];
  };
  const names = [...new Set(groups)];
  const rows = names.map((name) => line(name, samples.filter((_, i) => groups[i] === name)));
  return formatTable(['held-out file', 'n', 'f1', 'ham blocked %', 'ham held %', 'spam published %'], [...rows, line('all', samples)]);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
