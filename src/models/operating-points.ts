/**
 * Where the model's log-odds meet the pipeline's points. The default settings hold at 5 points and
 * block at 10 (src/moderation/settings.ts); the classifier alone gives 0 points up to ZERO_LOGIT,
 * rising to 3 just under HOLD_LOGIT (a lean), 5 at HOLD_LOGIT, only 5.5 at STEEP_LOGIT (the hold
 * band), 10 at SPAM_LOGIT, linear in between, and keeps rising past SPAM_LOGIT to a cap.
 * The log-odds are chosen by `chooseOperatingPoints` on cross-validated scores of the shipped
 * training data (five folds over news, YouTube, SMS and scam comments; each YouTube video a fold
 * of its own), run through every check that needs no stored history, so the other checks' points
 * are accounted for. `npm run train` re-runs the rule and says if these drift. The model alone
 * bins only from SPAM_LOGIT (97.7%), or from CORROBORATED_LOGIT (50%) with a spam-shaped signal
 * beside it: text with no other evidence is weak (decide in ../moderation/pipeline.ts) and holds,
 * from HOLD_LOGIT (50%), in a narrow band.
 */
export const ZERO_LOGIT = -2.5;
export const HOLD_LOGIT = 0;
export const STEEP_LOGIT = 3.5;
export const SPAM_LOGIT = 3.75;
/**
 * From here up (and under SPAM_LOGIT) the model bins only when another check corroborates it with a
 * spam-shaped signal (`corroborates` in ../moderation/types.ts); chosen with the others.
 */
export const CORROBORATED_LOGIT = 0;

/** The points the anchors map to: the default hold and spam thresholds. */
const HOLD_POINTS = 5;
/**
 * Points just under the hold anchor: the model's lean adds up to this, so a lean needs 2 weak
 * points more (shouting, a phone number) to be held, and a missing form token alone (1) does not.
 */
const LEAN_POINTS = 3;
const SPAM_POINTS = 10;
/** Cap, so one check's certainty cannot bury every other check's say. */
export const MAX_POINTS = 20;

/**
 * Points at the steep anchor: from the hold anchor to there the classifier's points stay between
 * 5 and 5.5, so a held comment needs 4.5 points or more from other checks to be blocked.
 */
const BAND_TOP_POINTS = 5.5;

/** The anchors in log-odds, lowest first. */
export interface OperatingPoints {
  zeroLogit: number;
  holdLogit: number;
  /** Where the points leave the hold band and climb to the spam threshold; absent = holdLogit. */
  steepLogit?: number;
  spamLogit: number;
  /** From here the model bins with a spam-shaped signal beside it; absent = spamLogit (no such path). */
  corroboratedLogit?: number;
}

export const OPERATING_POINTS: Readonly<OperatingPoints> = Object.freeze({
  zeroLogit: ZERO_LOGIT,
  holdLogit: HOLD_LOGIT,
  steepLogit: STEEP_LOGIT,
  spamLogit: SPAM_LOGIT,
  corroboratedLogit: CORROBORATED_LOGIT,
});

/** Whether a log-odds is past the corroborated anchor (and under the spam anchor, where the model bins alone). */
export function isCorroborable(logit: number, anchors: OperatingPoints = OPERATING_POINTS): boolean {
  return logit >= (anchors.corroboratedLogit ?? anchors.spamLogit) && logit < anchors.spamLogit;
}

/** The log-odds of a probability, kept finite. */
export function logitOf(probability: number): number {
  const p = Math.min(Math.max(probability, 1e-9), 1 - 1e-9);
  return Math.log(p / (1 - p));
}

/**
 * Points for a log-odds under the given anchors (piecewise linear, floored at 0, capped). Past the
 * spam anchor they keep the slope of the last segment.
 */
export function pointsForLogit(logit: number, anchors: OperatingPoints = OPERATING_POINTS): number {
  const { zeroLogit, holdLogit, spamLogit } = anchors;
  const steepLogit = anchors.steepLogit ?? holdLogit;
  let points: number;
  if (logit >= steepLogit) {
    const from = steepLogit > holdLogit ? BAND_TOP_POINTS : HOLD_POINTS;
    points = from + ((SPAM_POINTS - from) * (logit - steepLogit)) / (spamLogit - steepLogit);
  } else if (logit >= holdLogit) points = HOLD_POINTS + ((BAND_TOP_POINTS - HOLD_POINTS) * (logit - holdLogit)) / (steepLogit - holdLogit);
  else if (logit <= zeroLogit) points = 0;
  else points = (LEAN_POINTS * (logit - zeroLogit)) / (holdLogit - zeroLogit);
  return Math.min(MAX_POINTS, Math.max(0, points));
}

/**
 * Maps a spam probability to points, rounded to 0.01. Below the hold band the model adds a little
 * (an uncertain comment can be tipped by another check's evidence); across the band it rises
 * steeply, so the model alone blocks what it is sure of.
 */
export function spamPoints(probability: number): number {
  return Math.round(pointsForLogit(logitOf(probability)) * 100) / 100;
}
