import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatSnapshot } from '../../src/models/shipped-model';
import { DEFAULT_CIVILITY_TRAINING, trainCivilityModel } from '../../src/models/train-civility';
import { loadCivilRatings, toCivilityExamples } from './civil-ratings';

/**
 * `npm run train`'s civility step (`--model civility` alone): trains the civility model on the
 * training side of ../shared/data/civil-comments, reweighted to a real site's share of toxic comments,
 * and writes models/civility-model.json. Deterministic: the same data gives the same file.
 */
export async function trainCivilityStep(dataDir: string, outPath: string): Promise<void> {
  const rows = loadCivilRatings(dataDir).filter((r) => r.split === 'train');
  const model = trainCivilityModel(toCivilityExamples(rows), DEFAULT_CIVILITY_TRAINING);
  const text = formatSnapshot(model.toJSON());
  const out = resolve(process.cwd(), outPath);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
  process.stdout.write(`wrote ${out}: civility model, ${model.size} features, ${rows.length} rated comments, sha256 ${sha}\n`);
}
