import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import type { Check, CheckResult } from '../types';

/** Points for a throwaway address: people use them too (privacy), so it only tips a close call. */
export const DISPOSABLE_EMAIL_SCORE = 3;

let domains: Set<string> | null = null;

/**
 * The domain, or a parent of it, is on the community-maintained disposable-email list
 * (disposable-email-domains, packaged by disposable-email-domains-js). Loaded once, on first use.
 */
export function disposableDomainOf(email: string): string | null {
  domains ??= disposableEmailBlocklistSet();
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  let domain = email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  while (domain.includes('.')) {
    if (domains.has(domain)) return domain;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return null;
}

export const disposableEmailCheck: Check = {
  name: 'disposable_email',
  run({ comment }): CheckResult {
    const domain = disposableDomainOf(comment.authorEmail ?? '');
    if (!domain) return { check: 'disposable_email', verdict: 'pass', score: 0, reasons: [] };
    return {
      check: 'disposable_email',
      verdict: 'pass',
      score: DISPOSABLE_EMAIL_SCORE,
      // Readers use throwaway addresses for privacy too: it can hold, never bin, alone.
      weak: true,
      reasons: [{ code: 'disposable_email', message: `Uses a disposable email address (${domain}).`, field: 'authorEmail', match: domain }],
    };
  },
};
