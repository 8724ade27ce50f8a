import { type OperatingPoints, pointsForLogit } from './operating-points';

/**
 * One held-out comment as the decision sees it: the model's log-odds (from a model that did not
 * train on it) and what the other checks said.
 */
export interface OperatingSample {
  logit: number;
  spam: boolean;
  /** Sum of the other enforced checks' points. */
  otherPoints: number;
  /** The strongest verdict among the other enforced checks. */
  otherVerdict: 'pass' | 'review' | 'spam' | 'reject';
}

/** Limits the anchors are chosen under (kept under the targets, for margin). */
export interface OperatingTargets {
  maxHamBlocked: number;
  maxHamHeld: number;
}

export const DEFAULT_TARGETS: Readonly<OperatingTargets> = Object.freeze({ maxHamBlocked: 0.01, maxHamHeld: 0.12 });

type Status = 'approved' | 'pending' | 'spam' | 'rejected';

/**
 * The status `decide` (src/moderation/pipeline.ts) gives, for the classifier's points added to the
 * other checks' (its verdict follows its own points against the thresholds, as the check does).
 */
export function simulateStatus(sample: OperatingSample, points: number, thresholds: { spam: number; hold: number }): Status {
  if (sample.otherVerdict === 'reject') return 'rejected';
  const total = points + sample.otherPoints;
  if (sample.otherVerdict === 'spam' || points >= thresholds.spam || total >= thresholds.spam) return 'spam';
  if (sample.otherVerdict === 'review' || points >= thresholds.hold || total >= thresholds.hold) return 'pending';
  return 'approved';
}

/** F1 of "decided spam", and the three shares the issue sets targets for. */
export function operatingRates(samples: readonly OperatingSample[], anchors: OperatingPoints, thresholds = { spam: 10, hold: 5 }) {
  let tp = 0;
  let fp = 0;
  let spamTotal = 0;
  let hamTotal = 0;
  let published = 0;
  let held = 0;
  for (const sample of samples) {
    const status = simulateStatus(sample, pointsForLogit(sample.logit, anchors), thresholds);
    if (sample.spam) {
      spamTotal += 1;
      if (status === 'spam') tp += 1;
      if (status === 'approved') published += 1;
    } else {
      hamTotal += 1;
      if (status === 'spam') fp += 1;
      if (status === 'pending') held += 1;
    }
  }
  const share = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    f1: share(2 * tp, 2 * tp + fp + (spamTotal - tp)),
    hamBlocked: share(fp, hamTotal),
    hamHeld: share(held, hamTotal),
    spamPublished: share(published, spamTotal),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
/** The grids searched, in log-odds. */
const SPAM_GRID = Array.from({ length: 81 }, (_, i) => round2(i * 0.05));
const HOLD_GRID = Array.from({ length: 81 }, (_, i) => round2(-4 + i * 0.05));
/**
 * The zero anchor starts at MIN_ZERO_LOGIT by policy, not by fit: a comment the model rates under
 * about 8% spam adds no points, so an ordinary reader's comment sent without a form token (a
 * point) is still published. Lower anchors hold a little more YouTube spam but many more plain
 * news comments, which the training videos do not represent.
 */
export const MIN_ZERO_LOGIT = -2.5;
const ZERO_GRID = Array.from({ length: 9 }, (_, i) => round2(MIN_ZERO_LOGIT + i * 0.25));
/** F1 within this of the best counts as a tie, broken by fewer spam published. */
const F1_TIE = 0.002;

/**
 * The rule: among anchors on the grids that block at most `maxHamBlocked` of ham and hold at most
 * `maxHamHeld`, take the best F1 of "decided spam"; among those within F1_TIE of it, the fewest
 * spam published, then the fewest ham held. Deterministic (grids in fixed order, first wins).
 */
export function chooseOperatingPoints(samples: readonly OperatingSample[], targets: OperatingTargets = DEFAULT_TARGETS): OperatingPoints {
  const feasible: (OperatingPoints & ReturnType<typeof operatingRates>)[] = [];
  for (const spamLogit of SPAM_GRID) {
    for (const holdLogit of HOLD_GRID) {
      if (holdLogit >= spamLogit) continue;
      for (const zeroLogit of ZERO_GRID) {
        if (zeroLogit > holdLogit - 0.5) continue;
        const anchors = { zeroLogit, holdLogit, spamLogit };
        const rates = operatingRates(samples, anchors);
        if (rates.hamBlocked <= targets.maxHamBlocked && rates.hamHeld <= targets.maxHamHeld) feasible.push({ ...anchors, ...rates });
      }
    }
  }
  if (feasible.length === 0) throw new Error('no operating points meet the targets on these samples');
  const bestF1 = Math.max(...feasible.map((f) => f.f1));
  const [best] = feasible
    .filter((f) => f.f1 >= bestF1 - F1_TIE)
    .sort((a, b) => a.spamPublished - b.spamPublished || a.hamHeld - b.hamHeld);
  return { zeroLogit: best?.zeroLogit ?? 0, holdLogit: best?.holdLogit ?? 0, spamLogit: best?.spamLogit ?? 0 };
}
