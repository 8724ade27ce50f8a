import {
  chooseOperatingPoints,
  type OperatingSample,
  operatingRates,
  decidedStatus,
} from '../../../src/models/choose-operating-points';
import { describeFeature } from '../../../src/models/describe-feature';
import { HOLD_LOGIT, MAX_POINTS, pointsForLogit, SPAM_LOGIT, spamPoints, STEEP_LOGIT, ZERO_LOGIT } from '../../../src/models/operating-points';
import { decide } from '../../../src/moderation/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import type { CheckResult } from '../../../src/moderation/types';

const probabilityAt = (logit: number) => 1 / (1 + Math.exp(-logit));

describe('spamPoints', () => {
  it('gives 0 up to ZERO_LOGIT, the hold threshold at HOLD_LOGIT and the spam threshold at SPAM_LOGIT', () => {
    expect(spamPoints(probabilityAt(ZERO_LOGIT - 1))).toBe(0);
    expect(spamPoints(probabilityAt(HOLD_LOGIT))).toBeCloseTo(DEFAULT_SETTINGS.holdThreshold, 1);
    expect(spamPoints(probabilityAt(SPAM_LOGIT))).toBeCloseTo(DEFAULT_SETTINGS.spamThreshold, 1);
  });

  it('stays in the hold band up to STEEP_LOGIT, so a few points from another check hold rather than block', () => {
    // Arrange: a comment just under the steep anchor, with 4 points of shouting and repeats.
    const points = spamPoints(probabilityAt(STEEP_LOGIT - 0.01));
    const sample: OperatingSample = { logit: STEEP_LOGIT - 0.01, spam: false, others: [{ check: 'content_signals', verdict: 'pass', score: 4, reasons: [] }] };

    // Act
    const status = decidedStatus(sample, points, DEFAULT_SETTINGS);

    // Assert
    expect(points).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.holdThreshold);
    expect(points).toBeLessThanOrEqual(5.5);
    expect(status).toBe('pending');
  });

  it('rises with the probability, from 0 to the cap', () => {
    const points = [0, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.95, 0.999, 1].map(spamPoints);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points[0]).toBe(0);
    expect(points[points.length - 1]).toBe(MAX_POINTS);
  });
});

describe('decidedStatus', () => {
  const other = (verdict: CheckResult['verdict'], score: number, mode: CheckResult['mode'] = 'enforce'): CheckResult => ({ check: 'other', verdict, score, reasons: [], mode });

  it('is what decide() gives for the classifier plus the other checks', () => {
    // Arrange: combinations of classifier points, other points and other verdicts.
    const verdicts = ['pass', 'review', 'spam', 'reject'] as const;
    for (const points of [0, 3, 5, 7, 10, 14]) {
      for (const otherPoints of [0, 2, 4, 6]) {
        for (const otherVerdict of verdicts) {
          const sample: OperatingSample = { logit: 0, spam: true, others: [other(otherVerdict, otherPoints)] };
          const own: CheckResult['verdict'] = points >= 10 ? 'spam' : points >= 5 ? 'review' : 'pass';
          const results: CheckResult[] = [{ check: 'classifier', verdict: own, score: points, reasons: [] }, other(otherVerdict, otherPoints)];

          // Act
          const status = decidedStatus(sample, points, DEFAULT_SETTINGS);

          // Assert
          expect(status).toBe(decide(results, { ...DEFAULT_SETTINGS }).status);
        }
      }
    }
  });

  it('honours the settings the service runs with: hold everything, observed checks, trash', () => {
    const plain: OperatingSample = { logit: 0, spam: false, others: [other('pass', 0)] };
    expect(decidedStatus(plain, 1, DEFAULT_SETTINGS)).toBe('approved');
    expect(decidedStatus(plain, 1, { ...DEFAULT_SETTINGS, holdAll: true })).toBe('pending');

    const observed: OperatingSample = { logit: 0, spam: false, others: [other('spam', 12, 'observe')] };
    expect(decidedStatus(observed, 1, DEFAULT_SETTINGS)).toBe('approved');

    const disallowed: OperatingSample = {
      logit: 0,
      spam: true,
      others: [{ check: 'disallowed_keys', verdict: 'spam', score: 0, reasons: [{ code: 'disallowed_key', message: 'x' }], mode: 'enforce' }],
    };
    expect(decidedStatus(disallowed, 0, { ...DEFAULT_SETTINGS, disallowedAction: 'trash' })).toBe('trash');
    // Trash counts as blocked: the one spam sample is caught.
    expect(operatingRates([disallowed], { zeroLogit: -2, holdLogit: -1, spamLogit: 1 }, { ...DEFAULT_SETTINGS, disallowedAction: 'trash' }).f1).toBe(1);
  });
});

describe('chooseOperatingPoints', () => {
  it('meets the ham limits it is given', () => {
    // Arrange: ham spread over log-odds -6…-1, two confident-looking ham at +2; spam over 0…5.
    const ham: OperatingSample[] = Array.from({ length: 100 }, (_, i) => ({ logit: -6 + i * 0.05, spam: false, others: [] }));
    ham.push({ logit: 2, spam: false, others: [] }, { logit: 2, spam: false, others: [] });
    const spam: OperatingSample[] = Array.from({ length: 100 }, (_, i) => ({ logit: i * 0.05, spam: true, others: [] }));
    const targets = { maxHamBlocked: 0.01, maxHamBlockedPerGroup: 0.01, maxHamHeld: 0.1 };

    // Act
    const anchors = chooseOperatingPoints([...ham, ...spam], targets);
    const rates = operatingRates([...ham, ...spam], anchors);

    // Assert: two of 102 ham at +2 would be 2% blocked, so the spam anchor sits above 2.
    expect(anchors.spamLogit).toBeGreaterThan(2);
    expect(rates.hamBlocked).toBeLessThanOrEqual(targets.maxHamBlocked);
    expect(rates.hamHeld).toBeLessThanOrEqual(targets.maxHamHeld);
    expect(pointsForLogit(anchors.spamLogit, anchors)).toBeCloseTo(10, 6);
  });
});

describe('chooseOperatingPoints per group', () => {
  it('keeps the share of ham held under the limit in every group, not just overall', () => {
    // Arrange: group "a" has all the borderline ham (log-odds -0.5); pooled, it would be 10% held.
    const sample = (logit: number, spam: boolean, group: string): OperatingSample => ({ logit, spam, others: [], group });
    const hamA = [...Array.from({ length: 40 }, () => sample(-6, false, 'a')), ...Array.from({ length: 10 }, () => sample(-0.5, false, 'a'))];
    const hamB = Array.from({ length: 50 }, () => sample(-6, false, 'b'));
    const spam = [...Array.from({ length: 50 }, (_, i) => sample(-0.5 + i * 0.1, true, i % 2 ? 'a' : 'b'))];
    const samples = [...hamA, ...hamB, ...spam];
    const targets = { maxHamBlocked: 0.01, maxHamBlockedPerGroup: 0.01, maxHamHeld: 0.12 };

    // Act
    const anchors = chooseOperatingPoints(samples, targets);

    // Assert: 10 of group a's 50 ham (20%) may not be held, although that is 10% of all ham.
    expect(operatingRates(hamA, anchors).hamHeld).toBeLessThanOrEqual(targets.maxHamHeld);
    expect(operatingRates(samples, anchors).hamBlocked).toBeLessThanOrEqual(targets.maxHamBlocked);
  });
});

describe('chooseOperatingPoints, blocked ham per group', () => {
  it('keeps the share of ham blocked under the limit in every group, not just overall', () => {
    // Arrange: group "a" has the one confident-looking ham (log-odds +4.5) among 50; group "b" has
    // 60 clear ham. Pooled, blocking it would be 0.9% of ham; in group a it is 2%.
    const sample = (logit: number, spam: boolean, group: string): OperatingSample => ({ logit, spam, others: [], group });
    const hamA = [...Array.from({ length: 49 }, () => sample(-6, false, 'a')), sample(4.5, false, 'a')];
    const hamB = Array.from({ length: 60 }, () => sample(-6, false, 'b'));
    const spam = Array.from({ length: 30 }, (_, i) => sample(2 + i * 0.2, true, i % 2 ? 'a' : 'b'));
    const samples = [...hamA, ...hamB, ...spam];

    // Act
    const pooledOnly = chooseOperatingPoints(samples, { maxHamBlocked: 0.01, maxHamBlockedPerGroup: 1, maxHamHeld: 0.12 });
    const perGroup = chooseOperatingPoints(samples, { maxHamBlocked: 0.01, maxHamBlockedPerGroup: 0.01, maxHamHeld: 0.12 });

    // Assert: a pooled limit alone blocks group a's ham; the per-group limit puts the spam anchor above it.
    expect(operatingRates(hamA, pooledOnly).hamBlocked).toBeCloseTo(0.02, 6);
    expect(operatingRates(hamA, perGroup).hamBlocked).toBe(0);
    expect(perGroup.spamLogit).toBeGreaterThan(4.5);
  });
});

describe('chooseOperatingPoints, the corroborated anchor', () => {
  it('picks the lowest anchor at which a spam-shaped signal beside the model bins no more ham than the limits allow', () => {
    // Arrange: spam with a spam-shaped signal at log-odds 0.5…2.4; one ham with the same signal at 1.2.
    const shaped: CheckResult = { check: 'spam_signals', verdict: 'pass', score: 0, reasons: [], mode: 'enforce', corroborates: true };
    const clearHam: OperatingSample[] = Array.from({ length: 60 }, () => ({ logit: -6, spam: false, others: [] }));
    const shapedHam: OperatingSample = { logit: 1.2, spam: false, others: [shaped] };
    const spam: OperatingSample[] = Array.from({ length: 20 }, (_, i) => ({ logit: 0.5 + i * 0.1, spam: true, others: [shaped] }));
    const samples = [...clearHam, shapedHam, ...spam];
    const targets = { maxHamBlocked: 0.01, maxHamBlockedPerGroup: 0.01, maxHamHeld: 0.5 };

    // Act
    const anchors = chooseOperatingPoints(samples, targets);
    const rates = operatingRates(samples, anchors);

    // Assert: binning the shaped ham (1 of 61, 1.6%) is over the limit, so the anchor sits just above it,
    // and the spam past it is binned although the model alone would only hold it.
    expect(anchors.corroboratedLogit).toBe(1.25);
    expect(rates.hamBlocked).toBe(0);
    expect(decidedStatus(spam[19]!, pointsForLogit(spam[19]!.logit, anchors), DEFAULT_SETTINGS, true)).toBe('spam');
    expect(decidedStatus(spam[19]!, pointsForLogit(spam[19]!.logit, anchors), DEFAULT_SETTINGS, false)).toBe('pending');
  });
});

describe('describeFeature', () => {
  it("puts features in a moderator's words", () => {
    expect(describeFeature('subscribe')).toBe('"subscribe"');
    expect(describeFeature('my channel')).toBe('"my channel"');
    expect(describeFeature('domain:youtube.com')).toBe('host youtube.com');
    expect(describeFeature('name:gaming')).toBe('author name "gaming"');
    expect(describeFeature('shape:shouting')).toBe('mostly capitals');
    expect(describeFeature('shape:words_32_plus')).toBe('length 32+ words');
  });
});
