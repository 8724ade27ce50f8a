import { computeMetrics } from '../../../scripts/lib/eval-metrics';
import { evaluateRows, perCommentLine } from '../../../scripts/lib/evaluate';
import { loadSharedData, toTrainingExamples } from '../../../scripts/lib/shared-data';
import { loadShippedModel } from '../../../src/models/shipped-model';
import { trainSpamModel } from '../../../src/models/train-model';

/**
 * The figures `npm run eval` prints for the validation side of each set (docs/spam-eval.md),
 * pinned with a tolerance so a regression shows. Measured 2026-12-07 with the shipped model:
 * news binned 0 of 980 and held 1.84%; ScamSpot scam published 21.2%, real binned 0.69% and
 * held 7.9%; SMS spam published 6.0%, ham binned 0%. F1 (binned) since the corroborated path:
 * ScamSpot 0.502, SMS 0.766.
 */
const PINNED: Record<string, Partial<Record<'spamPublished' | 'hamBlocked' | 'hamHeld' | 'f1', number>>> = {
  'civil-comments': { hamBlocked: 0, hamHeld: 0.0184 },
  scamspot: { spamPublished: 0.2118, hamBlocked: 0.0069, hamHeld: 0.0787, f1: 0.5018 },
  'sms-spam': { spamPublished: 0.0603, hamBlocked: 0, hamHeld: 0.009, f1: 0.766 },
};
/* Tolerance: expect.closeTo(value, 2) allows a difference under 0.005 (half a percentage point). */

describe('validation figures (the validation side of each set in ../shared/data)', () => {
  const model = loadShippedModel();
  const rows = loadSharedData().filter((r) => r.split === 'validation');

  it.each(Object.keys(PINNED))('%s stays at its pinned figures', async (set) => {
    // Act
    const results = await evaluateRows(rows.filter((r) => r.set === set), model);
    const metrics = computeMetrics(results.map(({ row, decision }) => ({ label: row.label, status: decision.status })));

    // Assert
    for (const [name, value] of Object.entries(PINNED[set] ?? {})) {
      expect({ name, value: metrics[name as keyof typeof metrics] }).toEqual({ name, value: expect.closeTo(value, 2) });
    }
  }, 60_000);

  it('meets the issue\'s "must reach" column for news comments: at most 0.25% binned and 3% held', async () => {
    const results = await evaluateRows(rows.filter((r) => r.set === 'civil-comments'), model);
    const metrics = computeMetrics(results.map(({ row, decision }) => ({ label: row.label, status: decision.status })));
    expect(metrics.hamBlocked).toBeLessThanOrEqual(0.0025);
    expect(metrics.hamHeld).toBeLessThanOrEqual(0.03);
  }, 60_000);

  it('a YouTube video not trained on (Katy Perry) stays at its pinned figures: `npm run eval -- --hold-out-video Youtube02-KatyPerry`', async () => {
    // Arrange: the shipped recipe without the video, as the eval's --hold-out-video trains it.
    const train = loadSharedData().filter((r) => r.split === 'train');
    const model = trainSpamModel(toTrainingExamples(train.filter((r) => r.group !== 'Youtube02-KatyPerry')));

    // Act
    const results = await evaluateRows(train.filter((r) => r.group === 'Youtube02-KatyPerry'), model);
    const metrics = computeMetrics(results.map(({ row, decision }) => ({ label: row.label, status: decision.status })));

    // Assert: measured 2026-12-07: F1 (binned) 0.6275, F1 (not published) 0.9459, spam published 5.14%, ham binned 0.
    expect(metrics.f1).toBeCloseTo(0.6275, 2);
    expect(metrics.f1NotPublished).toBeCloseTo(0.9459, 2);
    expect(metrics.spamPublished).toBeCloseTo(0.0514, 2);
    expect(metrics.hamBlocked).toBe(0);
  }, 240_000);

  it('writes one audit line per comment with its id, label, status, score and every reason', async () => {
    const [result] = await evaluateRows(rows.filter((r) => r.set === 'scamspot' && r.label === 'spam').slice(0, 1), model);
    const line = JSON.parse(perCommentLine(result!.row, result!.decision)) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['id', 'label', 'status', 'score', 'reasons']);
    expect(line.id).toMatch(/^scamspot-/);
    expect(line.label).toBe(1);
    for (const reason of line.reasons as string[]) expect(reason).toMatch(/^[a-z_]+:[a-z_]+$/);
  });
});
