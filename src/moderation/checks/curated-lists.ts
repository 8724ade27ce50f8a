import { listedHost, listedPhrase } from '../../models/curated-lists';
import { findLinks } from '../link-scan';
import { findPhoneNumber, matchingText, MAX_SIGNAL_TEXT } from '../spam-signals';
import type { Check, CheckResult, Reason } from '../types';
import { hostOf } from './spam-signals';

/** Points for a phrase from the keyword list: weak (the list was written for Stack Exchange). */
export const CURATED_PHRASE_SCORE = 3;

/**
 * Curated spam lists (SmokeDetector's, by Charcoal; MIT): a link (or the website field) to a
 * listed spam site, or a listed fake support number, is strong evidence and bins; a listed phrase
 * adds weak points. Literal look-ups only (src/models/curated-lists.ts). No lists loaded: no opinion.
 */
export const curatedListsCheck: Check = {
  name: 'curated_lists',
  run({ comment, curatedLists: lists }): CheckResult {
    const pass: CheckResult = { check: 'curated_lists', verdict: 'pass', score: 0, reasons: [] };
    if (!lists) return pass;
    const body = comment.body ?? '';
    const reasons: Reason[] = [];
    const hosts = findLinks(body).map((l) => hostOf(l.text));
    if (comment.authorUrl) hosts.push(hostOf(comment.authorUrl));
    for (const host of hosts) {
      const site = host ? listedHost(lists, host) : null;
      if (site) {
        reasons.push({ code: 'curated_spam_site', message: `Links to ${site}, a site on SmokeDetector's list of spam sites.`, field: 'body', match: site });
        break;
      }
    }
    const text = matchingText(body).slice(0, MAX_SIGNAL_TEXT);
    const phone = findPhoneNumber(text);
    const digits = phone?.replace(/\D/g, '') ?? '';
    if (digits && (lists.numbers.has(digits) || lists.numbers.has(digits.replace(/^1/, '')))) {
      reasons.push({ code: 'curated_spam_number', message: "Gives a phone number on SmokeDetector's list of fake support lines.", field: 'body', match: phone ?? '' });
    }
    if (reasons.length) return { check: 'curated_lists', verdict: 'spam', score: 0, reasons };
    const phrase = listedPhrase(lists, text.match(/[\p{L}\p{N}']+/gu) ?? []);
    if (!phrase) return pass;
    return {
      check: 'curated_lists',
      verdict: 'pass',
      score: CURATED_PHRASE_SCORE,
      weak: true,
      reasons: [{ code: 'curated_spam_phrase', message: `Uses "${phrase}", a phrase on SmokeDetector's list of spam keywords.`, field: 'body', match: phrase }],
    };
  },
};
