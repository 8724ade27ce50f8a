import { compiledFor, describeEntry, matchComment, skippedEntryReason } from '../word-list';
import type { Check, CheckResult, Reason, Verdict } from '../types';

/** Reasons listed per check at most: enough to explain, not a wall of text. */
const MAX_REASONS = 10;

/** One of WordPress's two word lists, and what a match does. */
interface WordListCheck {
  name: 'moderation_keys' | 'disallowed_keys';
  list: 'moderationKeys' | 'disallowedKeys';
  /** The list's name in reasons ("from the moderation list"). */
  label: 'moderation' | 'disallowed';
  code: 'moderation_key' | 'disallowed_key';
  outcome: Extract<Verdict, 'review' | 'spam'>;
}

/**
 * A word list check: a comment that contains one of the list's entries in its author name, email, URL,
 * text, IP or user agent gets the list's outcome. Matching is on whole words after normalisation (see
 * ../word-list.ts), unless the entry says substring or regex (run in RE2). An entry that cannot run is
 * skipped and named in the reasons.
 */
function wordListCheck(c: WordListCheck): Check {
  return {
    name: c.name,
    run(ctx): CheckResult {
      const list = compiledFor(ctx.settings, c.list, ctx.settings[c.list]);
      const reasons: Reason[] = matchComment(list, ctx).map((m) => ({
        code: c.code,
        message: `Contains ${describeEntry(m.entry)} from the ${c.label} list (in ${m.field}).`,
        field: m.field,
        match: m.match,
      }));
      const verdict = reasons.length ? c.outcome : 'pass';
      for (const bad of list.invalid) reasons.push(skippedEntryReason(c.label, bad));
      return { check: c.name, verdict, score: 0, reasons: reasons.slice(0, MAX_REASONS) };
    },
  };
}

/** WordPress's "Comment Moderation" list: a match holds the comment for a moderator (`review`). */
export const moderationKeysCheck = wordListCheck({ name: 'moderation_keys', list: 'moderationKeys', label: 'moderation', code: 'moderation_key', outcome: 'review' });

/**
 * WordPress's "Disallowed Comment Keys": a match makes the comment spam, or trash when
 * `disallowedAction` is `trash`. `decide` keys the trash outcome on the reason code `disallowed_key`, so
 * that code is part of the contract.
 */
export const disallowedKeysCheck = wordListCheck({ name: 'disallowed_keys', list: 'disallowedKeys', label: 'disallowed', code: 'disallowed_key', outcome: 'spam' });
