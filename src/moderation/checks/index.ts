import type { Check } from '../types';
import { requiredFieldsCheck } from './required-fields';
import { replyCheck } from './reply';

/**
 * The moderation policy on one page. Every check runs for every comment (no short-circuit), so a
 * moderator sees every reason; `decide` in ../pipeline.ts turns the verdicts into a status.
 */
export const ALL_CHECKS: Check[] = [
  // Rules the reader must fix: missing or malformed fields reject the comment with field messages.
  requiredFieldsCheck,
  // Threads: a reply must answer a published comment of the same article.
  replyCheck,
];
