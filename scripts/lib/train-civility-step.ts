import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatSnapshot } from '../../src/models/shipped-model';
import type { CivilityModel } from '../../src/models/civility-model';
import { averageCivilityModels, DEFAULT_CIVILITY_TRAINING, trainCivilityModel } from '../../src/models/train-civility';
import { DEFAULT_SETTINGS } from '../../src/moderation/settings';
import { chooseCivilityThreshold, heldShares, type ScoredRating } from './civility-metrics';
import { CIVILITY_FOLDS, loadCivilRatings, toCivilityExamples, type RatedComment } from './civil-ratings';

/**
 * `npm run train`'s civility step (`--model civility` alone): cross-validates on the training side of
 * ../shared/data/civil-comments (5 folds by text hash) to choose the hold threshold on held-out scores,
 * and writes the folds' mean model (averageCivilityModels) to models/civility-model.json. Deterministic: the same data gives
 * the same file. Validation rows are never used here: `npm run eval -- --civility` reports them.
 */
export async function trainCivilityStep(dataDir: string, outPath: string): Promise<void> {
  const rows = loadCivilRatings(dataDir).filter((r) => r.split === 'train');
  const { scored, models } = crossValidateCivility(rows);
  const chosen = chooseCivilityThreshold(scored);
  const inUse = DEFAULT_SETTINGS.civilityHoldThreshold;
  const line = (t: number) => JSON.stringify({ threshold: t, ...heldShares(scored, t) });
  process.stdout.write(`civility cross-validation (${CIVILITY_FOLDS} folds by text hash, ${rows.length} rated comments):\n`);
  process.stdout.write(`  threshold in use: ${line(inUse)}\n  the rule picks:   ${line(chosen)}${chosen === inUse ? ' (match)' : ' (DIFFERENT: review civilityHoldThreshold in src/moderation/settings.ts)'}\n`);
  // The shipped model is the folds' mean: the threshold was chosen on its scale (averageCivilityModels).
  const model = averageCivilityModels(models);
  const text = formatSnapshot(model.toJSON());
  const out = resolve(process.cwd(), outPath);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
  process.stdout.write(`wrote ${out}: civility model, ${model.size} features, ${rows.length} rated comments, sha256 ${sha}\n`);
}

/** Every training row's toxicity score from a model trained without its fold, and the folds' models. */
export function crossValidateCivility(rows: readonly RatedComment[]): { scored: ScoredRating[]; models: CivilityModel[] } {
  const scored: ScoredRating[] = new Array<ScoredRating>(rows.length);
  const models: CivilityModel[] = [];
  for (let fold = 0; fold < CIVILITY_FOLDS; fold += 1) {
    const model = trainCivilityModel(toCivilityExamples(rows.filter((r) => r.fold !== fold)), DEFAULT_CIVILITY_TRAINING);
    models.push(model);
    rows.forEach((r, i) => {
      if (r.fold === fold) scored[i] = { score: model.assess(r.text, { evidence: false }).scores.toxicity, rating: r.ratings.toxicity };
    });
  }
  return { scored, models };
}
