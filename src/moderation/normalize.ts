/**
 * Text normalisation for matching (word lists, fingerprints): the forms a spammer uses to dodge a
 * filter ("ｃｉａｌｉｓ", "ci\u200Dalis", "cіalis" with a Cyrillic і, "CIÁLIS") all become "cialis".
 * Pure and allocation-light: ASCII text (most comments) takes a fast path.
 */

/**
 * Characters that render as nothing: every format character (zero-width space/joiners, word joiner,
 * BOM, soft hyphen, bidi marks: Unicode's Cf), the combining grapheme joiner, variation selectors and
 * the blank "filler" letters (Hangul fillers, Khmer inherent vowels, braille blank).
 */
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180D\u3164\uFE00-\uFE0F\uFFA0\u2800]/gu;

/**
 * Letters of other scripts that look like Latin letters (Unicode's confusables, the common subset).
 * Upper case is listed on its own: Greek "Ν" looks like N but its lower case "ν" looks like v.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic, lower case
  а: 'a', с: 'c', ԁ: 'd', е: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', о: 'o', р: 'p', ԛ: 'q', ѕ: 's', у: 'y', ү: 'y', ԝ: 'w', х: 'x',
  // Cyrillic, upper case
  А: 'a', В: 'b', С: 'c', Е: 'e', Н: 'h', І: 'i', Ї: 'i', Ј: 'j', К: 'k', Ӏ: 'l', М: 'm', О: 'o', Р: 'p', Ԛ: 'q', Ѕ: 's', Т: 't', У: 'y', Ү: 'y', Ԝ: 'w', Х: 'x',
  // Greek, lower case
  α: 'a', ϲ: 'c', ε: 'e', η: 'n', ι: 'i', ϳ: 'j', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y',
  // Greek, upper case
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  // Armenian and Latin oddities
  օ: 'o', ս: 'u', ı: 'i', ȷ: 'j',
};
const CONFUSABLE_CHARS = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'u');

/** A word: letters (with their combining marks) and digits. */
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Folds look-alike letters inside one word. Only words that are already partly Latin ("cіalis") or
 * made entirely of look-alikes ("ѕех") are folded: a genuine Russian or Greek word that contains
 * letters with no Latin twin ("рынок") is left alone, so it cannot turn into an English word.
 */
function foldWord(word: string): string {
  if (!CONFUSABLE_CHARS.test(word)) return word;
  let allLookAlike = true;
  let hasLatin = false;
  for (const ch of word) {
    if (CONFUSABLES[ch]) continue;
    if (LATIN.test(ch)) hasLatin = true;
    else if (LETTER.test(ch)) allLookAlike = false;
  }
  if (!hasLatin && !allLookAlike) return word;
  let out = '';
  for (const ch of word) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/**
 * The matching form of a text: NFKC (full-width and mathematical letters, ligatures), invisible
 * characters removed, look-alike letters folded to Latin, lower case, accents on Latin letters
 * removed ("viágra" → "viagra"). Other scripts keep their marks.
 */
export function normalizeText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = text.normalize('NFKC').replace(INVISIBLE, '');
  if (CONFUSABLE_CHARS.test(out)) out = out.replace(TOKEN, foldWord);
  out = out.toLowerCase();
  if (ASCII.test(out)) return out;
  const decomposed = out.normalize('NFD');
  return LATIN_WITH_MARK.test(decomposed) ? decomposed.replace(LATIN_MARKS, '$1').normalize('NFC') : out;
}

const LATIN_WITH_MARK = /\p{Script=Latin}\p{Mn}/u;
const LATIN_MARKS = /(\p{Script=Latin})\p{Mn}+/gu;

/** NFKC with the invisible characters removed: case and letters kept (for link and shape checks). */
export function visibleText(text: string): string {
  return ASCII.test(text) ? text : text.normalize('NFKC').replace(INVISIBLE, '');
}

/** Digits that stand for letters inside words ("v1agra", "c1al1s"). */
const DIGIT_AS_LETTER: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
const HAS_DIGIT = /\d/;
const LETTER_NEXT_TO_DIGIT = /\p{L}\p{M}*\d|\d\p{L}/u;

/**
 * The text with digits read as letters, but only inside words that mix letters and digits: numbers,
 * prices, dates and IP addresses are untouched, so "5 mg" or "10.0.0.1" never become words.
 * Returns null when no word mixes letters and digits (nothing to add). Expects normalized text.
 */
export function foldDigitLookalikes(normalized: string): string | null {
  if (!HAS_DIGIT.test(normalized) || !LETTER_NEXT_TO_DIGIT.test(normalized)) return null;
  return normalized.replace(TOKEN, (word) =>
    HAS_DIGIT.test(word) && LETTER.test(word) ? word.replace(/[013457]/g, (d) => DIGIT_AS_LETTER[d]) : word,
  );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text a reader would see of an HTML body: tags removed (without a space, so "vi<b></b>agra"
 * reads "viagra"), comments removed, the common entities and numeric references decoded.
 */
export function stripHtml(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  return removeTags(removeHtmlComments(html))
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

/**
 * `/<!--[\s\S]*?-->/g` removed in one pass: each `<!--` up to the first `-->` after it. When no
 * `-->` is left, no later `<!--` can close either (the pattern would retry each: quadratic).
 */
function removeHtmlComments(html: string): string {
  let out = '';
  let last = 0;
  for (let open = html.indexOf('<!--'); open >= 0; open = html.indexOf('<!--', last)) {
    const close = html.indexOf('-->', open + 4);
    if (close < 0) break;
    out += html.slice(last, open);
    last = close + 3;
  }
  return last ? out + html.slice(last) : html;
}

const TAG_START = /<\/?[a-z]/gi;

/**
 * `/<\/?[a-z][^>]*>/gi` removed in one pass: a tag runs to the next `>`; with no `>` left, no later
 * tag can end either (the pattern would read to the end from every `<`: quadratic).
 */
function removeTags(html: string): string {
  let out = '';
  let last = 0;
  TAG_START.lastIndex = 0;
  for (let m = TAG_START.exec(html); m; m = TAG_START.exec(html)) {
    const close = html.indexOf('>', m.index + m[0].length);
    if (close < 0) break;
    out += html.slice(last, m.index);
    last = close + 1;
    TAG_START.lastIndex = last;
  }
  return last ? out + html.slice(last) : html;
}

/** The words of a normalized text, with their positions (for word-boundary matching). */
export interface Token {
  value: string;
  start: number;
  end: number;
}

/** The words of a normalized text, as wordTokens() finds them, without their positions. */
export function wordsOf(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

export function wordTokens(normalized: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(normalized); m; m = TOKEN.exec(normalized)) {
    tokens.push({ value: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}
