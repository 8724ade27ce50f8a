import { assessFormToken } from '../form-token';
import type { Check, CheckResult } from '../types';

/**
 * Points for each token problem. A forged token is deliberate; a token for another article or an
 * expired one also happens to people (two tabs, a form left open for days), so those weigh less.
 * Too soon alone reaches the default hold threshold: a person does not write a comment in 3 s.
 * Missing, expired and other-article tokens are weak evidence (readers without JavaScript, a tab
 * left open): they can hold a comment, never bin it alone (decide in ../pipeline.ts).
 */
export const FORM_TOKEN_SCORES = { forged: 8, tooSoon: 5, otherArticle: 4, expired: 3 } as const;

const result = (verdict: CheckResult['verdict'], score: number, reasons: CheckResult['reasons'], weak = false): CheckResult => ({
  check: 'form_token',
  verdict,
  score,
  reasons,
  ...(weak ? { weak } : {}),
});

/**
 * The signed form token (../form-token.ts): missing, forged, expired, for another article, or
 * submitted sooner than `minSubmitSeconds` after the form was shown adds points. No secret (the
 * offline rule tester) → no opinion.
 */
export const formTokenCheck: Check = {
  name: 'form_token',
  run({ comment, request, settings, formTokenSecret }): CheckResult {
    if (!formTokenSecret) return result('pass', 0, []);
    const token = typeof comment.formToken === 'string' ? comment.formToken.trim() : '';
    if (!token) {
      const score = settings.missingTokenScore;
      return result('pass', score, score > 0 ? [{ code: 'form_token_missing', message: 'Sent without a form token (not from our comment form).', field: 'formToken' }] : [], true);
    }
    const a = assessFormToken(formTokenSecret, token, {
      articleId: comment.articleId,
      receivedAt: new Date(request.receivedAt),
      minSubmitSeconds: settings.minSubmitSeconds,
      maxAgeSeconds: settings.formTokenMaxAgeSeconds,
    });
    switch (a.status) {
      case 'ok':
        return result('pass', 0, []);
      case 'forged':
        return result('pass', FORM_TOKEN_SCORES.forged, [{ code: 'form_token_invalid', message: `The form token is not one of ours (${a.problem.replace(/_/g, ' ')}).`, field: 'formToken' }]);
      case 'other_article':
        return result('pass', FORM_TOKEN_SCORES.otherArticle, [{ code: 'form_token_other_article', message: 'The form token was issued for another article.', field: 'formToken', match: a.tokenArticleId }], true);
      case 'expired':
        return result('pass', FORM_TOKEN_SCORES.expired, [{ code: 'form_token_expired', message: `The form token had expired (issued ${Math.round(a.elapsedSeconds / 3600)} h before).`, field: 'formToken' }], true);
      case 'too_soon':
        return result('pass', FORM_TOKEN_SCORES.tooSoon, [
          { code: 'submitted_too_soon', message: `Submitted ${a.elapsedSeconds.toFixed(1)} s after the form was shown (a person needs at least ${settings.minSubmitSeconds} s).`, field: 'formToken' },
        ]);
    }
  },
};
