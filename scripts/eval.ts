import { loadShippedModel } from '../src/models/shipped-model';
import { trainSpamModel } from '../src/models/train-model';
import { dedupeByContent } from './lib/dedupe';
import { computeMetrics, type EvalMetrics, type EvaluatedComment, roundMetrics } from './lib/eval-metrics';
import { evaluateRows, evaluationChecks } from './lib/evaluate';
import { formatTable } from './lib/table';
import { loadTrainingExamples } from './lib/training-data';
import { loadYoutubeCsv } from './lib/youtube-csv';

const USAGE = 'usage: npm run eval -- FILE.csv [FILE.csv …] [--train-on FILE.csv …] [--dedupe]';

/**
 * `npm run eval`: runs labelled comments (YouTube Spam Collection format) through the worker's
 * checks that need no stored history, and prints a table per file, then, as its last line, the
 * overall metrics as one JSON object. With --train-on, a fresh model is trained on those files
 * first; otherwise the shipped model (models/spam-model.json) is used. With --dedupe, exact
 * duplicate comments (same CONTENT) are dropped within each test file before testing.
 */
async function main(rawArgv: readonly string[]): Promise<void> {
  const dedupe = rawArgv.includes('--dedupe');
  const argv = rawArgv.filter((a) => a !== '--dedupe');
  const split = argv.indexOf('--train-on');
  const testFiles = (split < 0 ? argv : argv.slice(0, split)).filter((a) => a !== '--');
  const trainFiles = split < 0 ? [] : argv.slice(split + 1);
  if (testFiles.length === 0 || (split >= 0 && trainFiles.length === 0) || testFiles.some((f) => f.startsWith('--'))) {
    throw new Error(USAGE);
  }

  const model = trainFiles.length ? trainSpamModel(loadTrainingExamples(trainFiles)) : loadShippedModel();
  const checks = evaluationChecks();
  const rows: (string | number)[][] = [];
  const all: EvaluatedComment[] = [];
  for (const file of testFiles) {
    const loaded = loadYoutubeCsv(file);
    const results = await evaluateRows(dedupe ? dedupeByContent(loaded) : loaded, model, checks);
    const evaluated: EvaluatedComment[] = results.map(({ row, decision }) => ({ label: row.label, status: decision.status }));
    all.push(...evaluated);
    rows.push(tableRow(file, roundMetrics(computeMetrics(evaluated)), evaluated));
  }
  if (testFiles.length > 1) rows.push(tableRow('all', roundMetrics(computeMetrics(all)), all));

  process.stdout.write(`model: ${trainFiles.length ? `trained on ${trainFiles.join(', ')}` : 'shipped (models/spam-model.json)'}\n`);
  if (dedupe) process.stdout.write('test files de-duplicated: exact repeats of a comment within a file dropped\n');
  process.stdout.write(`checks: ${checks.map((c) => c.name).join(', ')} (settings: defaults, missingTokenScore 0)\n\n`);
  process.stdout.write(
    formatTable(['file', 'n', 'accuracy', 'precision', 'recall', 'f1', 'mcc', 'spamPublished', 'hamBlocked', 'hamHeld', 'rejected'], rows),
  );
  process.stdout.write(`${JSON.stringify(roundMetrics(computeMetrics(all)))}\n`);
}

function tableRow(file: string, m: EvalMetrics, evaluated: readonly { status: string }[]): (string | number)[] {
  const rejected = evaluated.filter((e) => e.status === 'rejected').length;
  return [file, m.n, m.accuracy, m.precision, m.recall, m.f1, m.mcc, m.spamPublished, m.hamBlocked, m.hamHeld, rejected];
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
