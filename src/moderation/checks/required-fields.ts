import { parseSubmission } from '../comment-schema';
import type { Check, CheckResult } from '../types';

/**
 * The API's shape rules, applied again in the worker: a job from any producer (a replayed job, a
 * script that enqueues directly) is held to them. A failure rejects the comment with field reasons.
 */
export const requiredFieldsCheck: Check = {
  name: 'required_fields',
  run({ comment }): CheckResult {
    const parsed = parseSubmission(comment);
    if (parsed.ok) return { check: 'required_fields', verdict: 'pass', score: 0, reasons: [] };
    return {
      check: 'required_fields',
      verdict: 'reject',
      score: 0,
      reasons: parsed.fields.map((f) => ({ code: `invalid_${toSnake(f.field)}`, message: f.message, field: f.field })),
    };
  },
};

function toSnake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/\./g, '_');
}
