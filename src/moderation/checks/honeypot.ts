import type { Check, CheckResult } from '../types';

/**
 * The hidden form field people never see (JSON `honeypot`, form field `hp_url`): filled means a bot
 * filled every field it found. Absent (a JSON client that never rendered the form) or empty is no
 * opinion and never a penalty: a honeypot that flags comments without the field flags every real
 * comment from such a client (antispam-bee#544).
 */
export const honeypotCheck: Check = {
  name: 'honeypot',
  run({ comment }): CheckResult {
    const value = comment.honeypot;
    if (typeof value !== 'string' || value.trim() === '') return { check: 'honeypot', verdict: 'pass', score: 0, reasons: [] };
    return {
      check: 'honeypot',
      verdict: 'spam',
      score: 10,
      reasons: [{ code: 'honeypot_filled', message: 'Filled in the hidden field that only bots can see.', field: 'honeypot', match: value.trim().slice(0, 100) }],
    };
  },
};
