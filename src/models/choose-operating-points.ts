import { classifierResult } from '../moderation/checks/classifier';
import { decide } from '../moderation/pipeline';
import { DEFAULT_SETTINGS } from '../moderation/settings';
import type { CheckResult, Decision, ModerationSettings } from '../moderation/types';
import { isCorroborable, MAX_POINTS, type OperatingPoints, pointsForLogit } from './operating-points';

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
  /** Share of ham decided spam in every group on its own (unless `groupLimits` names the group). */
  maxHamBlockedPerGroup: number;
  /** Share of ham held for review, in every group on its own (unless `groupLimits` names the group). */
  maxHamHeld: number;
  /**
   * Limits for named groups: news comments are the service's own traffic and get the tightest
   * limits; YouTube's ham is chattier and spam-like, and may be held more.
   */
  groupLimits?: Readonly<Record<string, { maxHamBlocked: number; maxHamHeld: number }>>;
}

/**
 * Under the "must reach" column, for margin. News comments (civil-comments): at most 0.1%
 * binned (target 0.25%) and 2% held (target 3%). ScamSpot's real comments and SMS ham: 0.5% binned,
 * 5% held. YouTube videos: 1% binned, 15% held (the earlier issue's limits). Pooled: 0.3% binned.
 */
export const DEFAULT_TARGETS: Readonly<OperatingTargets> = Object.freeze({
  maxHamBlocked: 0.003,
  maxHamBlockedPerGroup: 0.01,
  maxHamHeld: 0.15,
  groupLimits: Object.freeze({
    'civil-comments': { maxHamBlocked: 0.001, maxHamHeld: 0.02 },
    scamspot: { maxHamBlocked: 0.005, maxHamHeld: 0.05 },
    'sms-spam': { maxHamBlocked: 0.005, maxHamHeld: 0.05 },
  }),
});

const STATUSES: readonly Decision['status'][] = ['approved', 'pending', 'spam', 'rejected', 'trash'];
/** Statuses already decided, per sample and settings, by the classifier's points in hundredths (the check rounds to 0.01). */
const decided = new WeakMap<OperatingSample, WeakMap<ModerationSettings, Uint8Array>>();

/**
 * The status the service gives a sample when the classifier check scores `points`: the real
 * decide() (src/moderation/pipeline.ts) over the other checks' results and the classifier's own
 * result for those points (classifierResult, as the check builds it), under `settings` — so holding
 * every comment, observed checks and trash count here as they do in the worker. Remembered per
 * sample, as the anchor search asks the same points many times. `corroborable`: the model is past
 * its corroborated anchor (a spam-shaped signal among the others then bins).
 */
export function decidedStatus(sample: OperatingSample, points: number, settings: ModerationSettings, corroborable = false): Decision['status'] {
  const hundredths = Math.round(points * 100);
  let bySettings = decided.get(sample);
  if (!bySettings) decided.set(sample, (bySettings = new WeakMap()));
  let memo = bySettings.get(settings);
  if (!memo) bySettings.set(settings, (memo = new Uint8Array(2 * (MAX_POINTS * 100 + 1))));
  const slot = hundredths + (corroborable ? MAX_POINTS * 100 + 1 : 0);
  const known = memo[slot];
  if (known) return STATUSES[known - 1];
  const status = decide([...sample.others, classifierResult(hundredths / 100, settings, undefined, corroborable)], settings).status;
  memo[slot] = STATUSES.indexOf(status) + 1;
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
    const status = decidedStatus(sample, pointsForLogit(sample.logit, anchors), settings, isCorroborable(sample.logit, anchors));
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
const grid = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => round2(from + i * step));
/**
 * The spam anchor starts at MIN_SPAM_LOGIT by policy: the model alone bins a comment only when it
 * is extremely sure (95% and up); text with no other evidence must not cost a reader their comment.
 */
export const MIN_SPAM_LOGIT = 3;
/** The grids searched, in log-odds. */
const SPAM_GRID = grid(MIN_SPAM_LOGIT, 8, 0.25);
/**
 * The hold anchor starts at MIN_HOLD_LOGIT by policy: the model alone holds only comments it rates
 * at least 27% spam, whatever the folds allow.
 */
export const MIN_HOLD_LOGIT = -1;
const HOLD_GRID = grid(MIN_HOLD_LOGIT, 6, 0.25);
/**
 * The zero anchor: from about 8% (-2.5) to 15% (-1.75) a comment starts getting points, so what
 * the model leans to shows in its score and a moderator's lessons move it visibly.
 */
export const MIN_ZERO_LOGIT = -2.5;
export const MAX_ZERO_LOGIT = -1.75;
const ZERO_GRID = grid(MIN_ZERO_LOGIT, MAX_ZERO_LOGIT, 0.25);
/**
 * The corroborated anchor starts at the hold anchor's floor by policy: a spam-shaped signal bins only
 * beside a model that leans to spam (50% and up).
 */
export const MIN_CORROBORATED_LOGIT = 0;
/** The hold band ends this far under the spam anchor, where the points climb to the spam threshold. */
const STEEP_BELOW_SPAM = 0.25;
/** Shares of spam published closer than this count as a tie, broken by the better F1. */
const SPAM_PUBLISHED_TIE = 0.002;

/**
 * The rule: among anchors on the grids that block at most `maxHamBlocked` of ham (all samples
 * together) and keep every group under its limits of ham blocked and held (`groupLimits`, else the
 * per-group defaults), take the fewest spam published (what readers see is what matters most;
 * held spam costs a moderator a key press); among those within SPAM_PUBLISHED_TIE, the best F1
 * of "decided spam", then the fewest ham held, then the highest zero anchor. Deterministic
 * (grids in fixed order, a stable sort).
 */
export function chooseOperatingPoints(samples: readonly OperatingSample[], targets: OperatingTargets = DEFAULT_TARGETS, settings: ModerationSettings = OPERATING_SETTINGS): OperatingPoints {
  const feasible: (OperatingPoints & ReturnType<typeof operatingRates>)[] = [];
  const groups = [...new Set(samples.map((s) => s.group ?? ''))];
  const parts = groups.length > 1 ? groups.map((g) => ({ group: g, part: samples.filter((s) => (s.group ?? '') === g) })) : [];
  const limitsOf = (group: string) => targets.groupLimits?.[group] ?? { maxHamBlocked: targets.maxHamBlockedPerGroup, maxHamHeld: targets.maxHamHeld };
  for (const spamLogit of SPAM_GRID) {
    for (const holdLogit of HOLD_GRID) {
      if (holdLogit >= spamLogit) continue;
      for (const zeroLogit of ZERO_GRID) {
        const steepLogit = Math.max(holdLogit, round2(spamLogit - STEEP_BELOW_SPAM));
        const anchors = { zeroLogit, holdLogit, steepLogit, spamLogit };
        const rates = operatingRates(samples, anchors, settings);
        if (rates.hamBlocked > targets.maxHamBlocked) continue;
        if (parts.length === 0 && (rates.hamHeld > targets.maxHamHeld || rates.hamBlocked > targets.maxHamBlockedPerGroup)) continue;
        const eachGroup = ({ group, part }: { group: string; part: readonly OperatingSample[] }) => {
          const r = operatingRates(part, anchors, settings);
          const limits = limitsOf(group);
          return r.hamHeld <= limits.maxHamHeld && r.hamBlocked <= limits.maxHamBlocked;
        };
        if (parts.every(eachGroup)) feasible.push({ ...anchors, ...rates });
      }
    }
  }
  if (feasible.length === 0) throw new Error('no operating points meet the targets on these samples');
  const [best] = feasible.sort(
    (a, b) => Math.round((a.spamPublished - b.spamPublished) / SPAM_PUBLISHED_TIE) || b.f1 - a.f1 || a.hamHeld - b.hamHeld || b.zeroLogit - a.zeroLogit,
  );
  const chosen = { zeroLogit: best?.zeroLogit ?? 0, holdLogit: best?.holdLogit ?? 0, steepLogit: best?.steepLogit ?? 0, spamLogit: best?.spamLogit ?? 0 };
  // Then the corroborated anchor, the others fixed: it only bins comments those anchors publish or
  // hold, so spam published stays as chosen; the lowest one on its grid that keeps every group under
  // its limit of ham binned (more F1, no less caution), else none (the spam anchor).
  const blockedWithin = (anchors: OperatingPoints) =>
    operatingRates(samples, anchors, settings).hamBlocked <= targets.maxHamBlocked &&
    parts.every(({ group, part }) => operatingRates(part, anchors, settings).hamBlocked <= limitsOf(group).maxHamBlocked) &&
    (parts.length > 0 || operatingRates(samples, anchors, settings).hamBlocked <= targets.maxHamBlockedPerGroup);
  const corroboratedLogit = grid(MIN_CORROBORATED_LOGIT, chosen.spamLogit, 0.25).find((c) => blockedWithin({ ...chosen, corroboratedLogit: c })) ?? chosen.spamLogit;
  return { ...chosen, corroboratedLogit };
}
