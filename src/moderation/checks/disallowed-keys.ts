import { compiledFor, describeEntry, matchComment, skippedEntryReason } from '../word-list';
import type { Check, CheckResult, Reason } from '../types';

const MAX_REASONS = 10;

/**
 * WordPress's "Disallowed Comment Keys": a match in the author name, email, URL, text, IP or user
 * agent makes the comment spam, or trash when `disallowedAction` is `trash`. `decide` keys the trash
 * outcome on the reason code `disallowed_key`, so that code is part of the contract.
 */
export const disallowedKeysCheck: Check = {
  name: 'disallowed_keys',
  run(ctx): CheckResult {
    const list = compiledFor(ctx.settings, 'disallowedKeys', ctx.settings.disallowedKeys);
    const reasons: Reason[] = matchComment(list, ctx).map((m) => ({
      code: 'disallowed_key',
      message: `Contains ${describeEntry(m.entry)} from the disallowed list (in ${m.field}).`,
      field: m.field,
      match: m.match,
    }));
    const verdict = reasons.length ? 'spam' : 'pass';
    for (const bad of list.invalid) {
      reasons.push(skippedEntryReason('disallowed', bad));
    }
    return { check: 'disallowed_keys', verdict, score: 0, reasons: reasons.slice(0, MAX_REASONS) };
  },
};
