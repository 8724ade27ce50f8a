import { createWriteStream, type WriteStream } from 'node:fs';
import { loadShippedModel } from '../src/models/shipped-model';
import { trainSpamModel } from '../src/models/train-model';
import { dedupeByContent } from './lib/dedupe';
import { computeMetrics, type EvalMetrics, type EvaluatedComment, roundMetrics } from './lib/eval-metrics';
import { defaultCuratedLists, EVAL_SETTINGS, evaluateRows, evaluationChecks, perCommentLine, spamDecision } from './lib/evaluate';
import { civilityReport, loadRatedCsv } from './lib/civility-eval';
import { civilValidationRows } from './lib/civil-ratings';
import { loadShippedCivilityModel } from '../src/models/civility';
import type { Decision } from '../src/moderation/types';
import { DEFAULT_DATA_DIR, loadSharedData, toTrainingExamples } from './lib/shared-data';
import { formatTable } from './lib/table';
import { loadTrainingExamples } from './lib/training-data';
import { type LabelledComment, loadYoutubeCsv } from './lib/youtube-csv';

const USAGE = [
  'usage: npm run eval -- [FILE.csv …] [--train-on FILE.csv …] [--hold-out-video NAME] [--data DIR] [--dedupe] [--per-comment OUT.jsonl] [--toxicity-column NAME]',
  '  --toxicity-column NAME: also print, as the last line, the civility check alone on a 0–1 or 1–4 rating column (no FILE: the civil-comments validation rows)',
  '  no FILE: the validation side of every set in the data folder (../shared/data), with the shipped model',
  '  --hold-out-video NAME: train the shipped recipe without one YouTube video (e.g. Youtube03-LMFAO) and test on it',
].join('\n');

interface Options {
  files: string[];
  trainOn: string[];
  holdOutVideo: string | null;
  dataDir: string;
  dedupe: boolean;
  perComment: string | null;
  toxicityColumn: string | null;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { files: [], trainOn: [], holdOutVideo: null, dataDir: DEFAULT_DATA_DIR, dedupe: false, perComment: null, toxicityColumn: null };
  let list = o.files;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const value = () => {
      const v = argv[i + 1];
      i += 1;
      if (!v || v.startsWith('--')) throw new Error(USAGE);
      return v;
    };
    if (arg === '--') continue;
    else if (arg === '--dedupe') o.dedupe = true;
    else if (arg === '--train-on') list = o.trainOn;
    else if (arg === '--data') o.dataDir = value();
    else if (arg === '--per-comment') o.perComment = value();
    else if (arg === '--toxicity-column') o.toxicityColumn = value();
    else if (arg === '--hold-out-video') o.holdOutVideo = value();
    else if (arg.startsWith('--')) throw new Error(USAGE);
    else list.push(arg);
  }
  if (list === o.trainOn && o.trainOn.length === 0) throw new Error(USAGE);
  return o;
}

/**
 * `npm run eval`: runs labelled comments through the worker's checks that need no stored history,
 * and prints a table per file (or per set), then, as its last line, the overall metrics as one JSON
 * object. FILEs are CSVs shaped like the YouTube Spam Collection (COMMENT_ID, AUTHOR, DATE, CONTENT,
 * CLASS; other columns ignored). With no FILE it tests the validation side of each set in the data
 * folder (never trained on). The model: the shipped one; trained fresh on --train-on files; or the
 * shipped recipe without one video (--hold-out-video). --per-comment writes one JSON line per
 * comment: {"id","label","status","score","reasons":["check:code",…]}.
 */
async function main(argv: readonly string[]): Promise<void> {
  const o = parseArgs(argv);
  const groups: { name: string; rows: LabelledComment[] }[] = [];
  let model;
  let modelName: string;
  if (o.holdOutVideo) {
    const all = loadSharedData(o.dataDir).filter((r) => r.split === 'train');
    const video = o.holdOutVideo.replace(/\.csv$/i, '');
    const test = all.filter((r) => r.group === video);
    if (test.length === 0) throw new Error(`no video named ${video} in ${o.dataDir}/youtube-spam`);
    model = trainSpamModel(toTrainingExamples(all.filter((r) => r.group !== video)));
    modelName = `shipped recipe without ${video}`;
    groups.push({ name: video, rows: test });
  } else {
    model = o.trainOn.length ? trainSpamModel(loadTrainingExamples(o.trainOn)) : loadShippedModel();
    modelName = o.trainOn.length ? `trained on ${o.trainOn.join(', ')}` : 'shipped (models/spam-model.json)';
    if (o.files.length) for (const file of o.files) groups.push({ name: file, rows: o.toxicityColumn ? loadRatedCsv(file, o.toxicityColumn) : loadYoutubeCsv(file) });
    else if (o.toxicityColumn) groups.push({ name: 'civil-comments (validation)', rows: civilValidationRows(o.dataDir) });
    else {
      const validation = loadSharedData(o.dataDir).filter((r) => r.split === 'validation');
      for (const set of [...new Set(validation.map((r) => r.set))]) groups.push({ name: `${set} (validation)`, rows: validation.filter((r) => r.set === set) });
    }
  }

  const checks = evaluationChecks();
  // The civility check runs too (its codes are in --per-comment's reasons); the table's spam figures
  // are the spam checks' decision alone (spamDecision), and --toxicity-column reports civility's.
  const civility = loadShippedCivilityModel();
  const out: WriteStream | null = o.perComment ? createWriteStream(o.perComment) : null;
  const table: (string | number)[][] = [];
  const all: EvaluatedComment[] = [];
  const rated: { row: LabelledComment; decision: Decision }[] = [];
  for (const { name, rows } of groups) {
    const results = await evaluateRows(o.dedupe ? dedupeByContent(rows) : rows, model, checks, EVAL_SETTINGS, defaultCuratedLists(o.dataDir), civility);
    rated.push(...results);
    const evaluated: EvaluatedComment[] = results.map(({ row, decision }) => ({ label: row.label, status: spamDecision(decision).status }));
    if (out) for (const { row, decision } of results) out.write(`${perCommentLine(row, decision)}\n`);
    all.push(...evaluated);
    table.push(tableRow(name, roundMetrics(computeMetrics(evaluated)), evaluated));
  }
  if (groups.length > 1) table.push(tableRow('all', roundMetrics(computeMetrics(all)), all));
  if (out) await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));

  process.stdout.write(`model: ${modelName}\n`);
  if (o.dedupe) process.stdout.write('test files de-duplicated: exact repeats of a comment within a file dropped\n');
  process.stdout.write(`checks: ${checks.map((c) => c.name).join(', ')} (settings: defaults, missingTokenScore 0)\n`);
  process.stdout.write('spam figures: the spam checks\' decision (the civility check\'s holds are counted on their own: --toxicity-column)\n\n');
  process.stdout.write(
    formatTable(['file', 'n', 'accuracy', 'precision', 'recall', 'f1', 'mcc', 'spamPublished', 'hamBlocked', 'hamHeld', 'rejected'], table),
  );
  process.stdout.write(`${JSON.stringify(roundMetrics(computeMetrics(all)))}\n`);
  if (o.toxicityColumn) process.stdout.write(`${JSON.stringify(civilityReport(rated, o.toxicityColumn, civility, EVAL_SETTINGS))}\n`);
}

function tableRow(file: string, m: EvalMetrics, evaluated: readonly { status: string }[]): (string | number)[] {
  const rejected = evaluated.filter((e) => e.status === 'rejected').length;
  return [file, m.n, m.accuracy, m.precision, m.recall, m.f1, m.mcc, m.spamPublished, m.hamBlocked, m.hamHeld, rejected];
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
