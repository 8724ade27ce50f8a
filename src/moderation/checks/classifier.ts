import { describeFeature, isEvidence } from '../../models/describe-feature';
import { isCorroborable, logitOf, spamPoints } from '../../models/operating-points';
import type { Check, CheckContext, CheckResult, ModerationSettings, Reason } from '../types';

const NAME = 'classifier';
/** Clues named in the reason: the strongest spam-ward features, at most this many. */
const CLUES_SHOWN = 4;

/**
 * The trained spam model's opinion, as points and a verdict. The probability is mapped to points
 * (see spamPoints) so the model alone reaches the spam threshold for clear spam and the hold
 * threshold when unsure, and other checks' points add to it. Without a loaded model the comment
 * goes to a human (`spam_check_unavailable`), never silently to readers.
 */
export const classifierCheck: Check = {
  name: NAME,
  run(ctx: CheckContext): CheckResult {
    if (!ctx.classifier) {
      return {
        check: NAME,
        verdict: 'review',
        score: 0,
        reasons: [{ code: 'spam_check_unavailable', message: 'The spam model is not loaded, so a moderator should look.' }],
      };
    }
    const { comment, settings } = ctx;
    const { spamProbability, topTokens } = ctx.classifier.classify({
      body: comment.body,
      authorName: comment.authorName,
      authorEmail: comment.authorEmail,
      authorUrl: comment.authorUrl,
    });
    const score = spamPoints(spamProbability);
    // Only what carried weight, in words: never "for", "our", "have" or a length bucket.
    const clues = topTokens.filter((t) => isEvidence(t.token, t.weight)).slice(0, CLUES_SHOWN);
    const percent = formatPercent(spamProbability);
    const because = clues.length ? ` (${clues.map((t) => describeFeature(t.token)).join(', ')})` : '';
    const reason = (code: string, message: string): Reason => ({
      code,
      message,
      field: 'body',
      // A word's spelling is highlighted as the word itself.
      ...(clues.length ? { match: clues.map((t) => (t.token.startsWith('spelling:') ? t.token.slice(9) : t.token)).join(', ') } : {}),
    });

    const corroborable = isCorroborable(logitOf(spamProbability));
    // Said where it applies, so a comment binned by the model and a signal together says why.
    const withSignal = corroborable ? ' Binned if it also promotes a channel or site, hides a link in anchor text or has an advert for a name.' : '';
    return classifierResult(
      score,
      settings,
      {
        spam: () => [reason('classifier_spam', `The spam model rates this ${percent} likely spam${because}.`)],
        unsure: () => [reason('classifier_unsure', `The spam model is unsure: ${percent} likely spam${because}.${withSignal}`)],
        leaning: () => [reason('classifier_score', `The spam model rates this ${percent} likely spam${because}.${withSignal}`)],
      },
      corroborable,
    );
  },
};

/** "97%"; never "100%" or "0%", which the model cannot know. */
function formatPercent(p: number): string {
  if (p > 0.99) return 'over 99%';
  if (p < 0.01) return 'under 1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * The classifier's result for `score` points: spam from the spam threshold, review from the hold
 * threshold, else a pass (with its points). The check and the choice of operating points
 * (src/models/choose-operating-points.ts) both build it here, so the anchors are chosen for the
 * verdicts the check gives. `reasons` words each case (none: no reasons). `corroborable`: the
 * log-odds are past the corroborated anchor, so a spam-shaped signal from another check bins.
 */
export function classifierResult(
  score: number,
  settings: Pick<ModerationSettings, 'spamThreshold' | 'holdThreshold'>,
  reasons?: { spam: () => Reason[]; unsure: () => Reason[]; leaning: () => Reason[] },
  corroborable = false,
): CheckResult {
  // Text alone is weak evidence: only the model's own spam verdict (past the sure anchor) bins, or
  // the model past the corroborated anchor with a spam-shaped signal beside it (decide()).
  const sure = corroborable ? { binIfCorroborated: true } : {};
  if (score >= settings.spamThreshold) return { check: NAME, verdict: 'spam', score, reasons: reasons?.spam() ?? [], weak: true };
  if (score >= settings.holdThreshold) return { check: NAME, verdict: 'review', score, reasons: reasons?.unsure() ?? [], weak: true, ...sure };
  if (score > 0) return { check: NAME, verdict: 'pass', score, reasons: reasons?.leaning() ?? [], weak: true, ...sure };
  return { check: NAME, verdict: 'pass', score: 0, reasons: [], ...sure };
}
