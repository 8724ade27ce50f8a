import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { civilityReport } from '../../../scripts/lib/civility-eval';
import { civilValidationRows, loadCivilRatings } from '../../../scripts/lib/civil-ratings';
import { chooseCivilityThreshold, heldShares } from '../../../scripts/lib/civility-metrics';
import { defaultCuratedLists, EVAL_SETTINGS, evaluateRows, evaluationChecks } from '../../../scripts/lib/evaluate';
import { DEFAULT_DATA_DIR } from '../../../scripts/lib/shared-data';
import { crossValidateCivility } from '../../../scripts/lib/train-civility-step';
import { CIVILITY_MODEL_PATH, loadShippedCivilityModel } from '../../../src/models/civility';
import { formatSnapshot, loadShippedModel } from '../../../src/models/shipped-model';
import { averageCivilityModels } from '../../../src/models/train-civility';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';

/**
 * The civility figures docs/civility.md reports, pinned with a tolerance so a regression shows.
 * Measured 2026-12-08 (session 6) with the shipped model at the default threshold 0.195:
 * `npm run train -- --model civility` (5 folds by text hash) held 44.7% of the toxic and 2.93% of the
 * non-toxic training comments from models that did not see them, and its rule picked 0.195;
 * `npm run eval -- --toxicity-column toxicity` held 48.3% of the 493 validation comments rated toxic
 * and 4.11% (20) of the 487 rated not toxic, binned none, ROC AUC 0.895. The 4% limit is asserted on
 * the cross-validation, four times as many comments as the validation rows (where 4.11% is one
 * comment over it, docs/civility.md).
 */
describe('civility figures (../shared/data/civil-comments)', () => {
  const rows = loadCivilRatings(DEFAULT_DATA_DIR).filter((r) => r.split === 'train');
  const cv = crossValidateCivility(rows);

  it('reproduces the shipped civility model file (npm run train -- --model civility)', () => {
    const shipped = readFileSync(resolve(process.cwd(), CIVILITY_MODEL_PATH), 'utf8');
    expect(formatSnapshot(averageCivilityModels(cv.models).toJSON()) === shipped).toBe(true);
  });

  it("the training rule's threshold is the default, and cross-validation stays at its figures", () => {
    expect(chooseCivilityThreshold(cv.scored)).toBe(DEFAULT_SETTINGS.civilityHoldThreshold);
    const at = heldShares(cv.scored, DEFAULT_SETTINGS.civilityHoldThreshold);
    expect(at.toxicHeld).toBeCloseTo(0.4469, 2);
    expect(at.nonToxicHeld).toBeCloseTo(0.0293, 2);
    expect(at.nonToxicHeld).toBeLessThanOrEqual(0.04);
  });

  it('the validation rows stay at their pinned figures, none binned', async () => {
    const civility = loadShippedCivilityModel();
    const results = await evaluateRows(civilValidationRows(DEFAULT_DATA_DIR), loadShippedModel(), evaluationChecks(), EVAL_SETTINGS, defaultCuratedLists(DEFAULT_DATA_DIR), civility);
    const report = civilityReport(results, 'toxicity', civility, EVAL_SETTINGS);
    expect(report).toMatchObject({ toxic: 493, nonToxic: 487, binnedByCheck: 0 });
    expect(report.toxicHeld).toBeCloseTo(0.4828, 2);
    expect(report.nonToxicHeld).toBeCloseTo(0.0411, 2);
    expect(report.rocAuc).toBeCloseTo(0.8949, 2);
  }, 60_000);
});
