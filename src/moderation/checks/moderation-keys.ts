import { compiledFor, describeEntry, matchComment, skippedEntryReason } from '../word-list';
import type { Check, CheckResult, Reason } from '../types';

/** Reasons listed per check at most: enough to explain, not a wall of text. */
const MAX_REASONS = 10;

/**
 * WordPress's "Comment Moderation" list: a comment that contains one of these words in its author
 * name, email, URL, text, IP or user agent is held for a moderator (`review`). Matching is on whole
 * words after normalisation (see ../word-list.ts), unless the entry says substring or regex.
 */
export const moderationKeysCheck: Check = {
  name: 'moderation_keys',
  run(ctx): CheckResult {
    const list = compiledFor(ctx.settings, 'moderationKeys', ctx.settings.moderationKeys);
    const reasons: Reason[] = matchComment(list, ctx).map((m) => ({
      code: 'moderation_key',
      message: `Contains ${describeEntry(m.entry)} from the moderation list (in ${m.field}).`,
      field: m.field,
      match: m.match,
    }));
    const verdict = reasons.length ? 'review' : 'pass';
    for (const bad of list.invalid) {
      reasons.push(skippedEntryReason('moderation', bad));
    }
    return { check: 'moderation_keys', verdict, score: 0, reasons: reasons.slice(0, MAX_REASONS) };
  },
};
