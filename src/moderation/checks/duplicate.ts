import type { Check, CheckContext, CheckResult, HistoryLookup } from '../types';
import { commentFingerprint } from '../fingerprint';

/** WordPress's words, which integrators and readers already know. */
export const DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!";

/**
 * WordPress's duplicate rule: the same article, parent, author, email and body as a stored comment
 * that is not in the trash → rejected with `duplicate` (the submitter sees the message). Without
 * stored history (eval, rule tester) → no opinion.
 */
export const duplicateCheck: Check = {
  name: 'duplicate',
  // Synchronous without stored history (eval, rule tester): no look-up, no promise.
  run({ comment, history }) {
    if (!history || typeof comment.body !== 'string') return { check: 'duplicate', verdict: 'pass', score: 0, reasons: [] };
    return findDuplicate(comment, history);
  },
};

async function findDuplicate(comment: CheckContext['comment'], history: HistoryLookup): Promise<CheckResult> {
  const earlier = await history.findDuplicate(comment, commentFingerprint(comment).hash);
  if (!earlier) return { check: 'duplicate', verdict: 'pass', score: 0, reasons: [] };
  return { check: 'duplicate', verdict: 'reject', score: 0, reasons: [{ code: 'duplicate', message: DUPLICATE_MESSAGE, field: 'body', match: earlier }] };
}
