import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chooseOperatingPoints, operatingRates, type OperatingSample } from '../src/models/choose-operating-points';
import { OPERATING_POINTS, type OperatingPoints } from '../src/models/operating-points';
import { formatSnapshot, SHIPPED_MODEL_PATH } from '../src/models/shipped-model';
import { crossValidate, DEFAULT_TRAINING, trainSpamModel } from '../src/models/train-model';
import { CIVILITY_MODEL_PATH } from '../src/models/civility';
import { buildOperatingSamples } from './lib/operating-samples';
import { trainCivilityStep } from './lib/train-civility-step';
import { formatTable } from './lib/table';
import { DEFAULT_DATA_DIR, FOLDS, loadSharedData, toTrainingExamples } from './lib/shared-data';

const USAGE = 'usage: npm run train -- [--model spam|civility] [--data DIR] [--out PATH]';

/**
 * `npm run train`: trains the shipped spam model on the training side of every set in the shared
 * data folder (../shared/data, or --data DIR; scripts/lib/shared-data.ts says how each is split)
 * and writes models/spam-model.json. Deterministic: the same data gives the same file, byte for byte.
 * First it cross-validates (FOLDS folds; each YouTube video is one fold), runs the held-out
 * comments through every check that needs no stored history, and prints the rates under the
 * anchors in use and the anchors the rule picks (src/models/choose-operating-points.ts), so a
 * drift is seen. Validation rows are not used here: `npm run eval` reports them.
 */
async function main(argv: readonly string[]): Promise<void> {
  let outPath: string = SHIPPED_MODEL_PATH;
  let dataDir = DEFAULT_DATA_DIR;
  let which: 'spam' | 'civility' | 'both' = 'both';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--out' || arg === '--data' || arg === '--model') {
      const value = argv[i + 1] ?? '';
      i += 1;
      if (!value) throw new Error(USAGE);
      if (arg === '--out') outPath = value;
      else if (arg === '--data') dataDir = value;
      else if (value === 'spam' || value === 'civility') which = value;
      else throw new Error(USAGE);
    } else throw new Error(USAGE);
  }
  if (which === 'both' && outPath !== SHIPPED_MODEL_PATH) throw new Error(`--out needs --model (spam or civility)\n${USAGE}`);
  // The civility model (docs/civility.md) is the second step: `--model civility` trains it alone.
  if (which === 'civility') return trainCivilityStep(dataDir, outPath === SHIPPED_MODEL_PATH ? CIVILITY_MODEL_PATH : outPath);
  const out = resolve(process.cwd(), outPath);
  const rows = loadSharedData(dataDir).filter((row) => row.split === 'train');
  const examples = toTrainingExamples(rows);

  const held = crossValidate(examples, DEFAULT_TRAINING);
  const samples = (await buildOperatingSamples(rows, held)).map((sample, i) => ({ ...sample, group: rows[i]?.group }));
  const chosen = chooseOperatingPoints(samples);
  const same = (Object.keys(chosen) as (keyof OperatingPoints)[]).every((k) => chosen[k] === OPERATING_POINTS[k]);
  process.stdout.write(`cross-validation (${FOLDS} folds, one YouTube video per fold): ${examples.length} training comments from ${dataDir}, every no-history check\n\n`);
  process.stdout.write(`under the anchors in use:\n${ratesTable(samples, rows.map((r) => r.group), OPERATING_POINTS)}`);
  process.stdout.write(`\nunder the anchors the rule picks:\n${ratesTable(samples, rows.map((r) => r.group), chosen)}`);
  process.stdout.write(`\nanchors in use (zero, hold, steep, spam log-odds): ${describe(OPERATING_POINTS)}; the rule picks ${describe(chosen)}`);
  process.stdout.write(same ? ' (match)\n' : ' (DIFFERENT: review src/models/operating-points.ts)\n');

  const model = trainSpamModel(examples, DEFAULT_TRAINING);
  const text = formatSnapshot(model.toJSON());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
  process.stdout.write(`wrote ${out}: ${model.size} features, ${examples.length} comments, sha256 ${sha}\n`);
  if (which === 'both') await trainCivilityStep(dataDir, CIVILITY_MODEL_PATH);
}

function describe(p: OperatingPoints): string {
  return `${p.zeroLogit}, ${p.holdLogit}, ${p.steepLogit ?? p.holdLogit}, ${p.spamLogit}, corroborated ${p.corroboratedLogit ?? p.spamLogit}`;
}

/** Held-out rates under the anchors in use, per file and overall; `groups` is aligned with `samples`. */
function ratesTable(samples: readonly OperatingSample[], groups: readonly string[], anchors: OperatingPoints): string {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const line = (name: string, part: readonly OperatingSample[]) => {
    const r = operatingRates(part, anchors);
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
