import { classifierResult } from '../moderation/checks/classifier';
import { decide } from '../moderation/pipeline';
import { DEFAULT_SETTINGS } from '../moderation/settings';
import type { CheckResult, Decision, ModerationSettings } from '../moderation/types';
import { MAX_POINTS, type OperatingPoints, pointsForLogit } from './operating-points';

/**
 * One held-out comment as the decision sees it: the model's log-odds (from a model that did not
 * train on it) and every other check's result, as the pipeline produced them (modes included).
 */
export interface OperatingSample {
  logit: number;
  spam: boolean;
  /** The other checks' results (not the classifier's). */
  others: readonly CheckResult[];
  /** Where it came from (a video); the share of ham held is limited in each group. */
  group?: string;
}

/** Limits the anchors are chosen under (kept under the targets, for margin). */
export interface OperatingTargets {
  /** Share of ham decided spam, over all samples. */
  maxHamBlocked: number;
  /** Share of ham decided spam in every group (video) on its own. */
  maxHamBlockedPerGroup: number;
  /** Share of ham held for review, in every group (video) on its own. */
  maxHamHeld: number;
}

/**
 * Under the 1% blocked and 15% held, for margin: blocked ham is the tightest target, and
 * the anchors must also serve a model trained on all three videos and tested on others. Pooled
 * 0.8%, and the 1% in each video, so no one video pays for the others (a pooled limit
 * alone let one video's blocked ham reach 1.14%).
 */
export const DEFAULT_TARGETS: Readonly<OperatingTargets> = Object.freeze({ maxHamBlocked: 0.008, maxHamBlockedPerGroup: 0.01, maxHamHeld: 0.12 });

const STATUSES: readonly Decision['status'][] = ['approved', 'pending', 'spam', 'rejected', 'trash'];
/** Statuses already decided, per sample and settings, by the classifier's points in hundredths (the check rounds to 0.01). */
const decided = new WeakMap<OperatingSample, WeakMap<ModerationSettings, Uint8Array>>();

/**
 * The status the service gives a sample when the classifier check scores `points`: the real
 * decide() (src/moderation/pipeline.ts) over the other checks' results and the classifier's own
 * result for those points (classifierResult, as the check builds it), under `settings` — so holding
 * every comment, observed checks and trash count here as they do in the worker. Remembered per
 * sample, as the anchor search asks the same points many times.
 */
export function decidedStatus(sample: OperatingSample, points: number, settings: ModerationSettings): Decision['status'] {
  const hundredths = Math.round(points * 100);
  let bySettings = decided.get(sample);
  if (!bySettings) decided.set(sample, (bySettings = new WeakMap()));
  let memo = bySettings.get(settings);
  if (!memo) bySettings.set(settings, (memo = new Uint8Array(MAX_POINTS * 100 + 1)));
  const known = memo[hundredths];
  if (known) return STATUSES[known - 1];
  const status = decide([...sample.others, classifierResult(hundredths / 100, settings)], settings).status;
  memo[hundredths] = STATUSES.indexOf(status) + 1;
  return status;
}

/** The settings the anchors are chosen for: the service's defaults (hold at 5 points, block at 10). */
export const OPERATING_SETTINGS: Readonly<ModerationSettings> = DEFAULT_SETTINGS;

/** F1 of "decided spam" (spam or trash), and the three shares the issue sets targets for. */
export function operatingRates(samples: readonly OperatingSample[], anchors: OperatingPoints, settings: ModerationSettings = OPERATING_SETTINGS) {
  let tp = 0;
  let fp = 0;
  let spamTotal = 0;
  let hamTotal = 0;
  let published = 0;
  let held = 0;
  for (const sample of samples) {
    const status = decidedStatus(sample, pointsForLogit(sample.logit, anchors), settings);
    const blocked = status === 'spam' || status === 'trash';
    if (sample.spam) {
      spamTotal += 1;
      if (blocked) tp += 1;
      if (status === 'approved') published += 1;
    } else {
      hamTotal += 1;
      if (blocked) fp += 1;
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
/**
 * And it ends at MAX_ZERO_LOGIT: from about 15% spam a comment gets some points, so what the model
 * leans to shows in the score (a moderator's lessons move it visibly) and can add to another
 * check's weak evidence. The videos barely choose here (with the model before text scaling every
 * zero anchor from -2.5 to -1.25 gave the same F1 and spam published).
 */
export const MAX_ZERO_LOGIT = -1.75;
const ZERO_GRID = Array.from({ length: Math.round((MAX_ZERO_LOGIT - MIN_ZERO_LOGIT) / 0.25) + 1 }, (_, i) => round2(MIN_ZERO_LOGIT + i * 0.25));
/**
 * The hold anchor starts at MIN_HOLD_LOGIT by policy, for the same reason: the model alone holds
 * only comments it rates at least 38% spam. Cross-validation on the videos alone would hold from
 * about 27% (-1.0): spam published 4.4% -> 4.1% pooled, but 6 of the 30 plain news comments in
 * tests/fixtures/news-comments.json held instead of 1, more than the 15% of ham the issue allows.
 */
export const MIN_HOLD_LOGIT = -0.5;
/** Step of the steep anchor's grid, from the hold anchor up. */
const STEEP_STEP = 0.25;
/** F1 within this of the best counts as a tie, broken by fewer spam published. */
const F1_TIE = 0.002;

/**
 * The rule: among anchors on the grids that block at most `maxHamBlocked` of ham (all samples
 * together) and `maxHamBlockedPerGroup` in every group, and hold at most `maxHamHeld` of ham
 * (overall and in every group, so no one video pays for the others), take the best F1 of
 * "decided spam"; among those within F1_TIE of it, the fewest spam published, then the fewest ham
 * held, then the highest zero anchor (points for the fewest comments). Deterministic (grids in fixed order, first wins).
 */
export function chooseOperatingPoints(samples: readonly OperatingSample[], targets: OperatingTargets = DEFAULT_TARGETS, settings: ModerationSettings = OPERATING_SETTINGS): OperatingPoints {
  const feasible: (OperatingPoints & ReturnType<typeof operatingRates>)[] = [];
  const groups = [...new Set(samples.map((s) => s.group))];
  const parts = groups.length > 1 ? groups.map((g) => samples.filter((s) => s.group === g)) : [];
  for (const spamLogit of SPAM_GRID) {
    for (const holdLogit of HOLD_GRID) {
      if (holdLogit >= spamLogit || holdLogit < MIN_HOLD_LOGIT) continue;
      for (const zeroLogit of ZERO_GRID) {
        if (zeroLogit > holdLogit - 0.5) continue;
        for (let steepLogit = holdLogit; steepLogit < spamLogit; steepLogit = round2(steepLogit + STEEP_STEP)) {
          const anchors = { zeroLogit, holdLogit, steepLogit, spamLogit };
          const rates = operatingRates(samples, anchors, settings);
          if (rates.hamBlocked > targets.maxHamBlocked || rates.hamHeld > targets.maxHamHeld) continue;
          const eachGroup = (part: readonly OperatingSample[]) => {
            const r = operatingRates(part, anchors, settings);
            return r.hamHeld <= targets.maxHamHeld && r.hamBlocked <= targets.maxHamBlockedPerGroup;
          };
          if (parts.every(eachGroup)) feasible.push({ ...anchors, ...rates });
        }
      }
    }
  }
  if (feasible.length === 0) throw new Error('no operating points meet the targets on these samples');
  const bestF1 = feasible.reduce((best, f) => Math.max(best, f.f1), 0);
  const [best] = feasible
    .filter((f) => f.f1 >= bestF1 - F1_TIE)
    .sort((a, b) => a.spamPublished - b.spamPublished || a.hamHeld - b.hamHeld || b.zeroLogit - a.zeroLogit);
  return { zeroLogit: best?.zeroLogit ?? 0, holdLogit: best?.holdLogit ?? 0, steepLogit: best?.steepLogit ?? 0, spamLogit: best?.spamLogit ?? 0 };
}
