import type { Check, CheckResult, HistoryLookup } from '../types';

const pass = (): CheckResult => ({ check: 'reply', verdict: 'pass', score: 0, reasons: [] });
const reject = (code: string, message: string): CheckResult => ({
  check: 'reply',
  verdict: 'reject',
  score: 0,
  reasons: [{ code, message, field: 'parentId' }],
});

/**
 * A reply must answer an approved comment of the same article (WordPress 6.2 refuses replies to
 * unapproved comments, which would otherwise leak their existence).
 */
export const replyCheck: Check = {
  name: 'reply',
  // Synchronous when there is nothing to look up (no parent, or no stored history): most comments.
  run({ comment, history }) {
    if (!comment.parentId || !history) return pass();
    return checkParent(comment, history, comment.parentId);
  },
};

async function checkParent(comment: { articleId: string }, history: HistoryLookup, parentId: string): Promise<CheckResult> {
  const parent = await history.findParent(parentId);
  if (!parent) return reject('parent_not_found', 'The comment being replied to does not exist.');
  if (parent.articleId !== comment.articleId) return reject('parent_other_article', 'The comment being replied to belongs to another article.');
  if (parent.status !== 'approved') return reject('parent_not_approved', 'Replies are only possible to published comments.');
  return pass();
}
