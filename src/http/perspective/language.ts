/**
 * A cheap language guess, so a comment in a language the civility model was not trained on is
 * refused as Perspective refuses one (400, "Attribute TOXICITY does not support request languages:
 * de") rather than scored as if it were English. It only says "not English" on clear evidence: a
 * script other than Latin for most letters, or another language's function words clearly
 * outnumbering English ones. Linear in the (capped) text; no regex with nested quantifiers.
 */

/** Only the start of a long comment is looked at. */
const SAMPLE_CHARS = 2000;

/** Common short words of each language (overlaps are fine: the counts are compared). */
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'is', 'are', 'was', 'of', 'to', 'you', 'this', 'that', 'it', 'not', 'with', 'for', 'have', 'be', 'they', 'what', 'on', 'but', 'your', 'we', 'he', 'she', 'i'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'du', 'sie', 'ein', 'eine', 'mit', 'auf', 'für', 'zu', 'den', 'dem', 'auch', 'wie', 'wir', 'bist', 'sind'],
  fr: ['le', 'la', 'les', 'et', 'est', 'une', 'des', 'pas', 'je', 'tu', 'vous', 'que', 'qui', 'dans', 'pour', 'sur', 'avec', 'ce', 'il', 'du', 'es', 'sont'],
  es: ['el', 'los', 'las', 'y', 'es', 'una', 'que', 'por', 'para', 'con', 'se', 'del', 'lo', 'su', 'pero', 'muy', 'como', 'está', 'yo', 'eres', 'son'],
  it: ['il', 'gli', 'e', 'è', 'una', 'che', 'per', 'con', 'non', 'sono', 'della', 'di', 'del', 'lo', 'questo', 'ma', 'come', 'anche', 'mi', 'ho', 'sei'],
  pt: ['o', 'os', 'as', 'e', 'é', 'uma', 'que', 'não', 'com', 'para', 'por', 'do', 'da', 'em', 'um', 'se', 'mais', 'mas', 'você', 'muito', 'são'],
  nl: ['de', 'het', 'een', 'en', 'niet', 'ik', 'je', 'van', 'dat', 'met', 'voor', 'op', 'zijn', 'maar', 'ook', 'wat', 'er', 'hij', 'zij', 'bent'],
};
const WORD_LANGUAGES = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) for (const w of words) WORD_LANGUAGES.set(w, [...(WORD_LANGUAGES.get(w) ?? []), lang]);

/** Another language wins only with at least this many function words, and more than twice English's. */
const MIN_FOREIGN_HITS = 3;
const FOREIGN_MARGIN = 2;

type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'hangul' | 'kana' | 'han' | 'other';
const SCRIPT_LANGUAGE: Record<Exclude<Script, 'latin'>, string> = {
  cyrillic: 'ru', greek: 'el', arabic: 'ar', hebrew: 'he', devanagari: 'hi', thai: 'th', hangul: 'ko', kana: 'ja', han: 'zh', other: 'und',
};

const LETTER = /\p{L}/u;

function scriptOf(cp: number): Script | null {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'latin';
  if (cp < 0xc0) return null; // digits, punctuation, spaces
  if (cp <= 0x24f || (cp >= 0x1e00 && cp <= 0x1eff)) return cp === 0xd7 || cp === 0xf7 ? null : 'latin';
  if (cp >= 0x370 && cp <= 0x3ff) return 'greek';
  if (cp >= 0x400 && cp <= 0x52f) return 'cyrillic';
  if (cp >= 0x590 && cp <= 0x5ff) return 'hebrew';
  if (cp >= 0x600 && cp <= 0x6ff) return 'arabic';
  if (cp >= 0x900 && cp <= 0x97f) return 'devanagari';
  if (cp >= 0xe00 && cp <= 0xe7f) return 'thai';
  if ((cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xac00 && cp <= 0xd7af)) return 'hangul';
  if (cp >= 0x3040 && cp <= 0x30ff) return 'kana';
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'han';
  return LETTER.test(String.fromCodePoint(cp)) ? 'other' : null;
}

/** An ISO 639-1 code for the comment's language: `en` unless clearly another; `und` when it has no letters. */
export function detectLanguage(text: string): string {
  const n = Math.min(text.length, SAMPLE_CHARS);
  const scripts = new Map<Script, number>();
  const hits = new Map<string, number>();
  let letters = 0;
  let latin = 0;
  // One pass: count letters by script, and look up each run of Latin letters as a word.
  let wordStart = -1;
  const endWord = (at: number) => {
    if (wordStart < 0) return;
    for (const lang of WORD_LANGUAGES.get(text.slice(wordStart, at).toLowerCase()) ?? []) hits.set(lang, (hits.get(lang) ?? 0) + 1);
    wordStart = -1;
  };
  for (let i = 0; i < n; i += 1) {
    let cp = text.charCodeAt(i);
    const start = i;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i += 1;
      }
    }
    const script = scriptOf(cp);
    if (script === 'latin') {
      latin += 1;
      if (wordStart < 0) wordStart = start;
    } else {
      endWord(start);
      if (script) scripts.set(script, (scripts.get(script) ?? 0) + 1);
    }
    if (script) letters += 1;
  }
  endWord(n);
  if (letters === 0) return 'und';
  if (latin * 2 < letters) {
    // Japanese mixes kana and Han: any kana says Japanese.
    if ((scripts.get('kana') ?? 0) > 0) return 'ja';
    let best: Script = 'other';
    let most = 0;
    for (const [script, count] of scripts) if (count > most) [best, most] = [script, count];
    return SCRIPT_LANGUAGE[best as Exclude<Script, 'latin'>];
  }
  const english = hits.get('en') ?? 0;
  let best = 'en';
  let most = 0;
  for (const [lang, count] of hits) if (lang !== 'en' && count > most) [best, most] = [lang, count];
  return most >= MIN_FOREIGN_HITS && most > FOREIGN_MARGIN * english ? best : 'en';
}

/** Whether the civility model handles text declared as `language` (a BCP 47 tag: en, en-GB, EN_us). */
export function isSupportedLanguage(language: string): boolean {
  return language.split(/[-_]/, 1)[0].toLowerCase() === 'en';
}
