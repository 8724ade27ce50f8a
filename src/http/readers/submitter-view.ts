import type { StoredComment } from '../../db/comment-repository';

export const AWAITING_MODERATION = 'Your comment is awaiting moderation.';

/**
 * The submitter's view of a stored comment. Spam (and trash) look exactly like "awaiting
 * moderation", so a spammer learns nothing; a rejection lists the field messages to fix.
 */
export function submitterView(c: StoredComment) {
  switch (c.status) {
    case 'approved':
      return { id: c.id, status: 'approved' as const, message: 'Your comment has been published.' };
    case 'rejected':
      return {
        id: c.id,
        status: 'rejected' as const,
        message: 'Your comment could not be published.',
        fields: c.verdicts
          .filter((v) => v.verdict === 'reject' && (v.mode ?? 'enforce') === 'enforce')
          .flatMap((v) => v.reasons.map((r) => ({ field: r.field ?? null, code: r.code, message: r.message }))),
      };
    default:
      return { id: c.id, status: 'pending' as const, message: AWAITING_MODERATION };
  }
}
