/** A comment's civility score next to its raters' toxicity share (0..1). */
export interface ScoredRating {
  score: number;
  rating: number;
}

/** Rated toxic: at least half the raters (Civil Comments' own label). */
export const TOXIC_AT = 0.5;

/** A site's share of toxic comments (the civil-comments README: about 8%). */
export const SITE_TOXIC_SHARE = 0.08;

/**
 * At a threshold: the held share among toxic and among non-toxic comments, and the share of all
 * comments held on a site with SITE_TOXIC_SHARE toxic (the sample reweighted).
 */
export function heldShares(rows: readonly ScoredRating[], threshold: number): { toxicHeld: number; nonToxicHeld: number; siteHeld: number; precisionOnSite: number } {
  const toxic = rows.filter((r) => r.rating >= TOXIC_AT);
  const civil = rows.filter((r) => r.rating < TOXIC_AT);
  const share = (part: readonly ScoredRating[]) => (part.length ? part.filter((r) => r.score >= threshold).length / part.length : 0);
  const toxicHeld = share(toxic);
  const nonToxicHeld = share(civil);
  const siteHeld = SITE_TOXIC_SHARE * toxicHeld + (1 - SITE_TOXIC_SHARE) * nonToxicHeld;
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  return { toxicHeld: r4(toxicHeld), nonToxicHeld: r4(nonToxicHeld), siteHeld: r4(siteHeld), precisionOnSite: r4(siteHeld ? (SITE_TOXIC_SHARE * toxicHeld) / siteHeld : 0) };
}

/**
 * The most non-toxic comments (under half the raters) the rule lets the check hold under
 * cross-validation: between the issue's aim (2%) and its limit (4%), a point to spare for another
 * site (3.5% picked 0.19, which held 4.1% of the validation rows' non-toxic comments).
 */
export const MAX_NON_TOXIC_HELD = 0.03;

/**
 * The hold threshold: the lowest (in steps of 0.005) at which at most MAX_NON_TOXIC_HELD of the
 * non-toxic comments are held, on scores from models that did not see them.
 */
export function chooseCivilityThreshold(rows: readonly ScoredRating[]): number {
  for (let t = 2; t <= 198; t += 1) {
    if (heldShares(rows, t / 200).nonToxicHeld <= MAX_NON_TOXIC_HELD) return t / 200;
  }
  return 0.99;
}

/** ROC AUC of scores for a binary label (ties count half). */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let pos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) if (positive[idx[k] as number]) {
      rankSum += rank;
      pos += 1;
    }
    i = j + 1;
  }
  const neg = scores.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}
