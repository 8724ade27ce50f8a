import { isSourceHost } from '../../models/source-hosts';
import { findLinks } from '../link-scan';
import { findSignals, keywordAuthor, matchingText } from '../spam-signals';
import type { Check, CheckResult, Reason } from '../types';

/**
 * Points per signal. Each is weak evidence (decide() never bins on them alone): one signal with no
 * other clue publishes or holds, never bins. A support number and anchor-text links hold alone.
 */
export const SIGNAL_SCORES: Readonly<Record<string, number>> = Object.freeze({
  support_number: 5,
  anchor_link: 5,
  keyword_author: 4,
  messaging_contact: 3,
  earnings_claim: 3,
  praise_with_link: 3,
  self_promotion: 3,
  phone_number: 2,
  author_website: 1,
});

/**
 * Signals shaped like spam and nothing else, which corroborate a sure model (decide() bins the two
 * together): self-promotion, anchor-text links, an advert for an author name. Not a support number
 * (a reader passing on the council's helpline, "call … on 0300 123 4567", is rated 89% spam by the
 * model), messaging handles or earnings talk (ScamSpot's real commenters @-mention and talk money),
 * a bare phone-like number (view counts), nor the website field (readers fill it in).
 */
export const CORROBORATING_SIGNALS: ReadonlySet<string> = new Set(['self_promotion', 'anchor_link', 'keyword_author']);

/**
 * Signals that carry across sites (../spam-signals.ts): a support number, a messaging handle, an
 * earnings claim, praise around a link, self-promotion, anchor-text links, an author name stuffed with keywords,
 * and a website in the website field (WordPress spam's main channel). Each is named, with points.
 */
export const spamSignalsCheck: Check = {
  name: 'spam_signals',
  run({ comment }): CheckResult {
    const body = comment.body ?? '';
    const reasons: Reason[] = [];
    const links = findLinks(body);
    const otherLink = links.some((l) => !isSourceHost(hostOf(l.text)));
    const website = typeof comment.authorUrl === 'string' && comment.authorUrl.trim() !== '' && !isSourceHost(hostOf(comment.authorUrl)) ? comment.authorUrl.trim() : null;
    for (const hit of findSignals(matchingText(body), body, { hasLink: otherLink, hasWebsite: website !== null })) {
      reasons.push({ code: hit.code, message: hit.message, field: 'body', match: hit.match });
    }
    const stuffed = keywordAuthor(comment.authorName ?? '');
    if (stuffed) reasons.push({ code: 'keyword_author', message: 'The author name reads like an advert (keywords or a web address).', field: 'authorName', match: stuffed });
    if (website) reasons.push({ code: 'author_website', message: 'Gives a website in the website field, where WordPress spam puts its links.', field: 'authorUrl', match: website.slice(0, 100) });
    const score = reasons.reduce((sum, r) => sum + (SIGNAL_SCORES[r.code] ?? 0), 0);
    const corroborates = reasons.some((r) => CORROBORATING_SIGNALS.has(r.code));
    return { check: 'spam_signals', verdict: 'pass', score, reasons, ...(score > 0 ? { weak: true } : {}), ...(corroborates ? { corroborates: true } : {}) };
  },
};

/** The host of a link as written ("https://www.bbc.co.uk/x" → "www.bbc.co.uk"); '' when there is none. */
export function hostOf(link: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/)?([^/?#\s:@]{1,253})/i.exec(link.trim().replace(/^\[(?:url|link)=?/i, '').replace(/^<a\s[^>]*href\s*=\s*["']?/i, ''));
  return m?.[1]?.toLowerCase() ?? '';
}
