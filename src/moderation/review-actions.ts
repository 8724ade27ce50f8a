import type { CheckResult, CommentStatus } from './types';

/** What a moderator can do to a comment's status (edit and delete are separate operations). */
export type ReviewAction = 'approve' | 'unapprove' | 'spam' | 'not-spam' | 'trash' | 'restore' | 'abusive';

export const REVIEW_ACTIONS: readonly ReviewAction[] = ['approve', 'unapprove', 'spam', 'not-spam', 'trash', 'restore', 'abusive'];

export const COMMENT_STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'rejected', 'trash'];

/**
 * Each action: the statuses it may start from, and where it leads. `restore` leads back to the
 * status the comment had before it was trashed or marked spam (read from the moderation trail).
 * An action never starts from its own target, so two moderators doing the same thing at once
 * cannot both succeed.
 */
export const ACTION_RULES: Readonly<Record<ReviewAction, { from: readonly CommentStatus[]; to: CommentStatus | 'previous' }>> = {
  approve: { from: ['pending', 'spam', 'rejected', 'trash'], to: 'approved' },
  unapprove: { from: ['approved'], to: 'pending' },
  spam: { from: ['pending', 'approved', 'rejected', 'trash'], to: 'spam' },
  'not-spam': { from: ['spam'], to: 'approved' },
  trash: { from: ['pending', 'approved', 'spam', 'rejected'], to: 'trash' },
  restore: { from: ['trash', 'spam'], to: 'previous' },
  // "Hold as abusive": unpublishes a published comment, keeps a held one held, and teaches the civility
  // model either way. The one action that may start from its own target: a second press teaches nothing
  // more (the lesson is keyed by the comment).
  abusive: { from: ['approved', 'pending'], to: 'pending' },
};

/**
 * What the spam filter learns from an action: spam teaches spam; not spam, and publishing a comment
 * the pipeline held or blocked (approve from pending or spam), teach ham. Without the approvals,
 * lessons would only ever say "spam" about whatever held comments share, and the model would drift
 * towards holding them (docs/spam-eval.md, "What lessons do not teach"). Approving from trash or
 * rejected, unapproving, trashing and restoring teach nothing: they say nothing about spam.
 */
export function feedbackLabel(action: ReviewAction, from: CommentStatus): 'spam' | 'ham' | null | undefined {
  // Abuse says nothing about spam: the spam model's lesson on the comment (if any) is left alone.
  if (action === 'abusive') return undefined;
  if (action === 'spam') return 'spam';
  if (action === 'not-spam') return 'ham';
  if (action === 'approve' && (from === 'pending' || from === 'spam')) return 'ham';
  return null;
}

/**
 * The statuses an action's conditional update may match: the one the moderator expects (when it is
 * a valid start for the action), else every valid start. Null when the expected status can never be
 * a start for this action.
 */
export function allowedFrom(action: ReviewAction, expected: CommentStatus | undefined): CommentStatus[] | null {
  const from = ACTION_RULES[action].from;
  if (expected === undefined) return [...from];
  return from.includes(expected) ? [expected] : null;
}

/** Whether the civility check held the comment (an enforced `review` verdict of the civility check). */
export function heldForCivility(verdicts: readonly CheckResult[] | null | undefined): boolean {
  return (verdicts ?? []).some((v) => v.check === 'civility' && v.verdict === 'review' && (v.mode ?? 'enforce') === 'enforce');
}

/**
 * What the civility model learns from an action: "hold as abusive" teaches abusive; approving a
 * comment the civility check held teaches civil. Approving anything else, unapproving and restoring
 * take the comment's civility lesson back (they undo or reverse the decision that taught it: `z`
 * after `h` approves the comment again). Spam, not-spam and trash leave it as it is (undefined).
 */
export function civilityLabel(action: ReviewAction, from: CommentStatus, verdicts: readonly CheckResult[] | null | undefined): 'civil' | 'abusive' | null | undefined {
  if (action === 'abusive') return 'abusive';
  if (action === 'approve') return from === 'pending' && heldForCivility(verdicts) ? 'civil' : null;
  if (action === 'unapprove' || action === 'restore') return null;
  return undefined;
}
