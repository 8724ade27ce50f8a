import type { Decision } from '../../src/moderation/types';

/** One evaluated comment: its true label and the status the pipeline decided. */
export interface EvaluatedComment {
  label: 'spam' | 'ham';
  status: Decision['status'];
}

/**
 * Scores of "decided spam" (binned: spam or trash) against the true label, as the metric has always
 * been counted, plus the operational shares the issue sets targets for. `spamPublished` = spam
 * approved; `hamBlocked` = ham decided spam; `hamHeld` = ham held for review. `f1NotPublished` is
 * the F1 of "not published" (held, binned or rejected) against the label: held spam never reaches
 * readers, held ham costs a reader a wait. Shares are 0 when their denominator is.
 */
export interface EvalMetrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
  spamPublished: number;
  hamBlocked: number;
  hamHeld: number;
  f1NotPublished: number;
}

/** "Decided spam" is status `spam` or `trash` (trash is spam a site chose to bin). */
function blocked(status: Decision['status']): boolean {
  return status === 'spam' || status === 'trash';
}

export function computeMetrics(comments: readonly EvaluatedComment[]): EvalMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let spamPublished = 0;
  let hamHeld = 0;
  let hamWithheld = 0;
  for (const { label, status } of comments) {
    const decidedSpam = blocked(status);
    if (label === 'spam') {
      if (decidedSpam) tp += 1;
      else fn += 1;
      if (status === 'approved') spamPublished += 1;
    } else {
      if (decidedSpam) fp += 1;
      else tn += 1;
      if (status === 'pending') hamHeld += 1;
      if (status !== 'approved') hamWithheld += 1;
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const mccDenominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return {
    n: comments.length,
    accuracy: ratio(tp + tn, comments.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    mcc: ratio(tp * tn - fp * fn, mccDenominator),
    spamPublished: ratio(spamPublished, tp + fn),
    hamBlocked: ratio(fp, fp + tn),
    hamHeld: ratio(hamHeld, fp + tn),
    f1NotPublished: ratio(2 * (tp + fn - spamPublished), 2 * (tp + fn - spamPublished) + hamWithheld + spamPublished),
  };
}

/** The metrics rounded to 4 decimals, for printing and for the JSON line. */
export function roundMetrics(m: EvalMetrics): EvalMetrics {
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return {
    n: m.n,
    accuracy: r(m.accuracy),
    precision: r(m.precision),
    recall: r(m.recall),
    f1: r(m.f1),
    mcc: r(m.mcc),
    spamPublished: r(m.spamPublished),
    hamBlocked: r(m.hamBlocked),
    hamHeld: r(m.hamHeld),
    f1NotPublished: r(m.f1NotPublished),
  };
}
