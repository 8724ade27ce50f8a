import { clientAddress } from '../ip-address';
import type { Check, CheckContext, CheckResult, HistoryLookup, Reason } from '../types';

/**
 * Points from earlier decisions. Spam from the same email or website weighs most; an address is
 * shared (offices, mobile carriers), so its spam weighs less and only for IP_SPAM_DAYS. A reader
 * with approved comments and no spam gets points off: enough to offset a mildly suspicious score,
 * never a spam, reject or review verdict of another check.
 */
export const HISTORY_SCORES = { spamByEmail: 6, spamByUrl: 6, spamByIp: 3, previouslyApproved: -4 } as const;
export const IP_SPAM_DAYS = 30;

/**
 * History (WordPress's comment_previously_approved; Antispam Bee's local spam database): an email
 * with approved comments and no spam anywhere in its history → `previously_approved` (negative
 * score); earlier spam from the same email, website or IP address → points, naming which.
 */
export const authorHistoryCheck: Check = {
  name: 'author_history',
  // Synchronous without stored history (eval, rule tester) or an email: no look-up, no promise.
  run(ctx) {
    const { comment, history } = ctx;
    if (!history || typeof comment.authorEmail !== 'string' || !comment.authorEmail) return { check: 'author_history', verdict: 'pass', score: 0, reasons: [] };
    return weighHistory(ctx, history, comment.authorEmail);
  },
};

async function weighHistory({ comment, request, settings }: CheckContext, history: HistoryLookup, email: string): Promise<CheckResult> {
  const ip = clientAddress(request.ip);
  const h = await history.authorHistory({
    email,
    ip,
    url: comment.authorUrl ?? null,
    ipSince: new Date(new Date(request.receivedAt).getTime() - IP_SPAM_DAYS * 24 * 3600 * 1000),
  });
  const reasons: Reason[] = [];
  let score = 0;
  if (h.spamByEmail > 0) {
    score += HISTORY_SCORES.spamByEmail;
    reasons.push({ code: 'spam_history_email', message: `This email address sent ${plural(h.spamByEmail, 'earlier spam comment')}.`, field: 'authorEmail' });
  }
  if (h.spamByUrl > 0 && comment.authorUrl) {
    score += HISTORY_SCORES.spamByUrl;
    reasons.push({ code: 'spam_history_url', message: `This website was given with ${plural(h.spamByUrl, 'earlier spam comment')}.`, field: 'authorUrl', match: comment.authorUrl });
  }
  if (h.spamByIp > 0 && ip) {
    score += HISTORY_SCORES.spamByIp;
    reasons.push({ code: 'spam_history_ip', message: `This IP address sent ${plural(h.spamByIp, 'spam comment')} in the last ${IP_SPAM_DAYS} days.`, field: 'ip', match: ip });
  }
  if (settings.previouslyApproved && h.approvedByEmail > 0 && score === 0) {
    score += HISTORY_SCORES.previouslyApproved;
    reasons.push({
      code: 'previously_approved',
      message: `This email address has ${plural(h.approvedByEmail, 'approved comment')} and no spam: points off, but other checks' verdicts still apply.`,
      field: 'authorEmail',
    });
  }
  return { check: 'author_history', verdict: 'pass', score, reasons };
}

function plural(n: number, noun: string): string {
  return `${n >= 100 ? '100 or more' : n} ${noun}${n === 1 ? '' : 's'}`;
}
