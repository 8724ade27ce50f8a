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
 * Measured 2026-12-07 (session 6) with the shipped model at the default threshold 0.19:
 * `npm run eval -- --toxicity-column toxicity` held 45.2% of the 493 validation comments rated toxic
 * and 2.67% of the 487 rated not toxic, binned none, ROC AUC 0.881; `npm run train -- --model civility`
 * (5 folds by text hash) held 42.5% and 3.43%, and its rule picked 0.19.
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
    expect(at.toxicHeld).toBeCloseTo(0.425, 2);
    expect(at.nonToxicHeld).toBeCloseTo(0.0343, 2);
    expect(at.nonToxicHeld).toBeLessThanOrEqual(0.04);
  });

  it('the validation rows stay at their pinned figures, none binned', async () => {
    const civility = loadShippedCivilityModel();
    const results = await evaluateRows(civilValidationRows(DEFAULT_DATA_DIR), loadShippedModel(), evaluationChecks(), EVAL_SETTINGS, defaultCuratedLists(DEFAULT_DATA_DIR), civility);
    const report = civilityReport(results, 'toxicity', civility, EVAL_SETTINGS);
    expect(report).toMatchObject({ toxic: 493, nonToxic: 487, binnedByCheck: 0 });
    expect(report.toxicHeld).toBeCloseTo(0.4523, 2);
    expect(report.nonToxicHeld).toBeCloseTo(0.0267, 2);
    expect(report.rocAuc).toBeCloseTo(0.881, 2);
    expect(report.nonToxicHeld as number).toBeLessThanOrEqual(0.04);
  }, 60_000);
});
