import { findLinksIn, type FoundLink } from '../link-scan';
import { stripHtml, visibleText } from '../normalize';
import type { Check, CheckResult, Reason } from '../types';

/** Points per signal: each is weak alone (people shout, and post a link with a word or two). */
export const CONTENT_SCORES = { shouting: 2, repeatedCharacters: 2, linkOnly: 4 } as const;

/** Shouting: at least this many cased letters, and at least this share of them upper case. */
const SHOUT_MIN_LETTERS = 20;
const SHOUT_SHARE = 0.7;
/** The same character (not a space or digit) this many times in a row. */
const REPEAT_RUN = /([^\s\d])\1{9,}/u;
/** "Little more than a link": fewer words than this besides the links. */
const LINK_ONLY_MAX_WORDS = 3;

/**
 * The shape of the text: mostly capitals, a long run of one character ("!!!!!!!!!!!"), or a body
 * that is little more than a link. Each adds a few points; none decides alone.
 */
export const contentSignalsCheck: Check = {
  name: 'content_signals',
  run({ comment }): CheckResult {
    const body = comment.body ?? '';
    const reasons: Reason[] = [];
    let score = 0;
    const visible = visibleText(body);
    const links = findLinksIn(visible);
    const text = stripHtml(links.length ? removeSpans(visible, links) : visible);

    const [upper, lower] = countCases(text);
    if (upper + lower >= SHOUT_MIN_LETTERS && upper / (upper + lower) >= SHOUT_SHARE) {
      score += CONTENT_SCORES.shouting;
      reasons.push({ code: 'shouting', message: `Written mostly in capitals (${Math.round((100 * upper) / (upper + lower))}% of letters).`, field: 'body' });
    }
    const run = REPEAT_RUN.exec(text);
    if (run) {
      score += CONTENT_SCORES.repeatedCharacters;
      reasons.push({ code: 'repeated_characters', message: 'Repeats one character many times in a row.', field: 'body', match: run[0].slice(0, 20) });
    }
    if (links.length) {
      const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
      if (words.length < LINK_ONLY_MAX_WORDS) {
        score += CONTENT_SCORES.linkOnly;
        reasons.push({ code: 'link_only', message: 'Little more than a link.', field: 'body', match: links[0].text.slice(0, 200) });
      }
    }
    // What the text looks like is weak evidence: it can hold a comment, never bin it alone.
    return { check: 'content_signals', verdict: 'pass', score, reasons, ...(score > 0 ? { weak: true } : {}) };
  },
};

/** Upper- and lower-case letters of a text (a loop: this runs for every comment). */
function countCases(text: string): [number, number] {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c > 127) {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      if (ch.length === 2) i++;
      if (UPPER.test(ch)) upper++;
      else if (LOWER.test(ch)) lower++;
    }
  }
  return [upper, lower];
}
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** The text with each link replaced by a space. */
function removeSpans(text: string, links: readonly FoundLink[]): string {
  let out = '';
  let at = 0;
  for (const l of links) {
    out += text.slice(at, l.start) + ' ';
    at = l.end;
  }
  return out + text.slice(at);
}
