import type { Check, CheckResult } from '../types';

/** Akismet's documented test values: integrators use them to see the spam path end to end. */
const TEST_AUTHORS = new Set(['viagra-test-123', 'akismet-guaranteed-spam']);
const TEST_EMAILS = new Set(['akismet-guaranteed-spam@example.com']);

/**
 * Author `viagra-test-123` or `akismet-guaranteed-spam`, or email
 * `akismet-guaranteed-spam@example.com`, is always spam, as with Akismet, so a site can test its
 * spam handling without writing spam.
 */
export const akismetTestCheck: Check = {
  name: 'akismet_test',
  run({ comment }): CheckResult {
    const name = (comment.authorName ?? '').trim().toLowerCase();
    const email = (comment.authorEmail ?? '').trim().toLowerCase();
    const field = TEST_AUTHORS.has(name) ? 'authorName' : TEST_EMAILS.has(email) ? 'authorEmail' : null;
    if (!field) return { check: 'akismet_test', verdict: 'pass', score: 0, reasons: [] };
    return {
      check: 'akismet_test',
      verdict: 'spam',
      score: 0,
      reasons: [{ code: 'test_spam', message: 'An Akismet test value: always spam, for testing the spam path.', field, match: field === 'authorName' ? name : email }],
    };
  },
};
