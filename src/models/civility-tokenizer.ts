import { lexiconFamilies, phrasesFrom, unmask } from './civility-lexicon';
import { FUNCTION_WORDS } from './describe-feature';

/**
 * Features of a comment for the civility model, each with where it sits in the text, so the model's
 * evidence can point at the words that weighed. Bumped whenever the features change: a model trained
 * on other features must not be read with these.
 */
export const CIVILITY_FEATURE_VERSION = 3;

/** Which feature families to emit (stored with the model, so a model is read as it was trained). */
export interface CivilityTokenizerOptions {
  /**
   * Adjacent word pairs ("you idiot", "shut up"). Off in the shipped model: with `@word` (aimed at the
   * reader) and the word families they added nothing under cross-validation (ROC AUC 0.877 without, 0.876
   * with) for six times the features, a slower load and a slower check (docs/civility.md).
   */
  bigrams: boolean;
  /**
   * Words aimed at the reader: `@word` for a content word within three words after "you"/"your" (or
   * two before it: "idiots like you"). "You are an idiot" carries `@idiot`; "this policy is idiotic"
   * carries no `@` feature, which is what tells a personal insult from a harsh opinion.
   */
  targeting: boolean;
  /** Facts about the form: shouting, "!!", length bucket. Trained only, never moved by lessons. */
  shapes: boolean;
  /** Word families of civility-lexicon.ts (`lex:insult`, and `@lex:insult` aimed at the reader). Trained only. */
  lexicon: boolean;
  /**
   * What a word inside quotation marks counts for (0..1): quoting an insult to criticise it
   * ("calling people 'idiots' is not an argument") is not using it.
   */
  quotedValue: number;
}

export const DEFAULT_CIVILITY_TOKENIZER: Readonly<CivilityTokenizerOptions> = Object.freeze({ bigrams: false, targeting: true, shapes: true, lexicon: true, quotedValue: 0.3 });

/** One feature of a comment: its name, what it counts for (quoted words count less), and the span of its content word(s). */
export interface CivilityFeature {
  feature: string;
  value: number;
  /** Offsets into the input of the content word(s) it stands for; -1 when it has none (function words, shapes). */
  start: number;
  end: number;
}

/** At most this much of a comment is read: abuse is in the words a reader reads first, and the cost stays bounded. */
export const MAX_CIVILITY_TEXT = 20000;
/** Words longer than this are ids or junk, not words. */
const MAX_WORD = 30;
/** A quotation that has not closed within this many characters was no quotation. */
const MAX_QUOTE = 300;

const SECOND_PERSON = new Set(['you', 'your', "you're", 'youre', 'yours', 'yourself', 'yourselves', 'u', 'ur', 'ya', "y'all", 'yall', 'thou', 'thee']);
/**
 * Letters, digits, marks; an apostrophe joins ("don't"), and so do asterisks ("f*ck", unmasked by the
 * lexicon). Each repetition starts with a character the one before cannot take: linear time.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019][\p{L}\p{M}]+|\*+[\p{L}\p{M}]+)*/gu;
const STRETCHED = /(.)\1{2,}/gu;
/** A digit standing for a letter between two letters ("stup1d", "sh1t", "h3ll"); "covid19" and "2nd" keep theirs. */
const LEET_INSIDE = /(?<=\p{L})[013457](?=\p{L})/gu;
const HAS_LEET = /\p{L}[013457]\p{L}/u;
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };

interface Word {
  text: string;
  info: WordInfo;
  start: number;
  end: number;
  quoted: boolean;
  content: boolean;
  /** Index of the clause the word is in. */
  clause: number;
  /** On the site's allow-list: it adds no feature, alone or in a pair. */
  allowed: boolean;
}

/**
 * A word as the model reads it: lower case, curly apostrophes straight, a digit between letters read as
 * the letter it stands for ("stup1d" → "stupid"), runs of a letter cut to two ("stuuupid" → "stuupid").
 */
export function foldWord(raw: string): string {
  let w = raw.toLowerCase();
  if (!/^[\x00-\x7F]*$/.test(w)) w = w.normalize('NFKC').replace(/\u2019/g, "'");
  if (HAS_LEET.test(w)) w = w.replace(LEET_INSIDE, (d) => LEET[d] ?? d);
  return w.replace(STRETCHED, '$1$1');
}

/** Whether a (folded) word is a function word: never evidence, never taught by a lesson. */
export function isFunctionWord(word: string): boolean {
  return SECOND_PERSON.has(word) || FUNCTION_WORDS.has(word.replace(/'/g, ''));
}

/**
 * Spans of the text inside quotation marks: "…", “…”, «…», and '…' where the quote marks stand at
 * word edges (not the apostrophe of "don't"). A mark with no partner within MAX_QUOTE is ignored.
 */
export function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const close = ch === '"' ? '"' : ch === '\u201C' ? '\u201D' : ch === '\u00AB' ? '\u00BB' : ch === "'" || ch === '\u2018' ? (ch === "'" ? "'" : '\u2019') : null;
    const opensHere = close !== null && (ch === '"' || ch === '\u201C' || ch === '\u00AB' || i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1] ?? ''));
    if (close && opensHere) {
      const limit = Math.min(text.length, i + 1 + MAX_QUOTE);
      let j = i + 1;
      for (; j < limit; j += 1) {
        if (text[j] !== close) continue;
        // A single quote closes only at a word's end ("the 'idiots' here"), not inside "don't".
        if ((close === "'" || close === '\u2019') && /[\p{L}\p{N}]/u.test(text[j + 1] ?? '')) continue;
        break;
      }
      if (j < limit && j > i + 1) {
        spans.push([i + 1, j]);
        i = j + 1;
        continue;
      }
    }
    i += 1;
  }
  return spans;
}

/** What a raw token reads as, the same in every comment: cached (WORD_CACHE). */
interface WordInfo {
  /** Folded and unmasked; '' when the token is no word (a lone letter). */
  text: string;
  content: boolean;
  second: boolean;
  /** The feature names it adds, precomputed: `@word`, `lex:family`, `@lex:family`. */
  aimed: string;
  families: readonly string[];
  aimedFamilies: readonly string[];
  /** Stock phrases that start with this word (civility-lexicon's PHRASES). */
  phrases: ReturnType<typeof phrasesFrom>;
}

/**
 * Raw tokens already read; cleared whole when full, so it stays bounded whatever readers write: in
 * entries, and in bytes because a token is at most MAX_WORD characters (20,000 of them and their
 * readings are a few MB). Not src/lib/bounded-cache: lru-cache's bookkeeping on every word made the
 * model alone about a fifth slower (10.7–15.0 against 8.4–11.4 µs a comment, bench:classifier).
 */
const WORD_CACHE = new Map<string, WordInfo>();
const WORD_CACHE_MAX = 20000;

function wordInfo(raw: string): WordInfo {
  let info = WORD_CACHE.get(raw);
  if (info) return info;
  const text = unmask(foldWord(raw));
  const keep = text.length >= 2 || /\d/.test(text) || text === 'u';
  const families = keep ? lexiconFamilies(text) : [];
  info = {
    text: keep ? text : '',
    content: keep && !isFunctionWord(text),
    second: SECOND_PERSON.has(text),
    aimed: `@${text}`,
    families: families.map((f) => `lex:${f}`),
    aimedFamilies: families.map((f) => `@lex:${f}`),
    phrases: keep ? phrasesFrom(text) : [],
  };
  if (WORD_CACHE.size >= WORD_CACHE_MAX) WORD_CACHE.clear();
  WORD_CACHE.set(raw, info);
  return info;
}

/** . ! ? ; : and newline end a clause. */
function endsClause(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10;
}

function words(text: string, allow?: ReadonlySet<string>): Word[] {
  const quotes = quotedSpans(text);
  const out: Word[] = [];
  let q = 0;
  let clause = 0;
  let last = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const start = m.index;
    const raw = m[0];
    const end = start + raw.length;
    // Clause breaks between the previous word and this one.
    for (let k = last; k < start; k += 1) if (endsClause(text.charCodeAt(k))) clause += 1;
    last = end;
    if (raw.length > MAX_WORD) continue;
    const info = wordInfo(raw);
    if (!info.text) continue;
    while (q < quotes.length && (quotes[q]?.[1] ?? 0) <= start) q += 1;
    const quote = quotes[q];
    const quoted = quote !== undefined && start >= quote[0] && end <= quote[1];
    out.push({ text: info.text, info, start, end, quoted, content: info.content, clause, allowed: allow?.has(info.text) ?? false });
  }
  return out;
}

/** Length bucket of a word count ("4_7", "32_plus"). */
function lengthBucket(n: number): string {
  const bounds = [3, 7, 15, 31, 63];
  let lower = 0;
  for (const upper of bounds) {
    if (n <= upper) return `${lower}_${upper}`;
    lower = upper + 1;
  }
  return `${lower}_plus`;
}

/**
 * Every feature of a comment with its value and span: each distinct feature once (presence, not
 * frequency), at its strongest occurrence (an unquoted use beats a quoted one), first occurrence's
 * span. Deterministic order: the order of first occurrence.
 */
export function civilityFeatures(input: string, options: CivilityTokenizerOptions = DEFAULT_CIVILITY_TOKENIZER, allow?: ReadonlySet<string>): CivilityFeature[] {
  const text = input.length > MAX_CIVILITY_TEXT ? input.slice(0, MAX_CIVILITY_TEXT) : input;
  const ws = words(text, allow && allow.size ? allow : undefined);
  const found = new Map<string, CivilityFeature>();
  const add = (feature: string, value: number, start: number, end: number) => {
    const prior = found.get(feature);
    if (!prior) found.set(feature, { feature, value, start, end });
    else if (value > prior.value) {
      prior.value = value;
      prior.start = start;
      prior.end = end;
    }
  };
  const valueOf = (w: Word) => (w.quoted ? options.quotedValue : 1);

  for (let i = 0; i < ws.length; i += 1) {
    const w = ws[i] as Word;
    if (w.allowed) continue;
    add(w.text, valueOf(w), w.content ? w.start : -1, w.content ? w.end : -1);
    if (options.bigrams && i > 0) {
      const p = ws[i - 1] as Word;
      if (p.clause === w.clause && !p.allowed) {
        // The span of the pair's content words: "an idiot" points at "idiot", "you idiot" at "idiot".
        const start = p.content ? p.start : w.content ? w.start : -1;
        const end = w.content ? w.end : p.content ? p.end : -1;
        add(`${p.text} ${w.text}`, Math.min(valueOf(p), valueOf(w)), start, end);
      }
    }
    const targeted = options.targeting && w.content && isTargeted(ws, i);
    if (targeted) add(w.info.aimed, valueOf(w), w.start, w.end);
    if (options.lexicon) {
      for (const phrase of w.info.phrases) {
        let value = valueOf(w);
        let k = 0;
        for (; k < phrase.rest.length; k += 1) {
          const next = ws[i + 1 + k];
          if (!next || next.text !== phrase.rest[k] || next.allowed) break;
          value = Math.min(value, valueOf(next));
        }
        if (k === phrase.rest.length) add(phrase.feature, value, w.start, (ws[i + k] as Word).end);
      }
      const { families, aimedFamilies } = w.info;
      for (let k = 0; k < families.length; k += 1) {
        add(families[k] as string, valueOf(w), w.start, w.end);
        if (targeted) add(aimedFamilies[k] as string, valueOf(w), w.start, w.end);
      }
    }
  }
  if (options.shapes) {
    for (const shape of civilityShapes(text, ws.length)) add(shape, 1, -1, -1);
  }
  return [...found.values()];
}

/** Whether word `i` is aimed at the reader: "you"/"your" up to three words before it, or two after, in the same clause. */
function isTargeted(ws: readonly Word[], i: number): boolean {
  const clause = ws[i]?.clause;
  for (let k = Math.max(0, i - 3); k <= Math.min(ws.length - 1, i + 2); k += 1) {
    const other = ws[k] as Word;
    if (k !== i && other.clause === clause && other.info.second && !other.quoted) return true;
  }
  return false;
}

/** Shape features: shouting, repeated "!", and the length bucket. */
function civilityShapes(text: string, wordCount: number): string[] {
  const shapes = [`shape:words_${lengthBucket(wordCount)}`];
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters += 1;
      upper += 1;
    } else if (c >= 97 && c <= 122) letters += 1;
  }
  if (letters >= 12 && upper / letters >= 0.6) shapes.push('shape:shouting');
  if (text.includes('!!')) shapes.push('shape:exclaims');
  return shapes;
}

/** Shapes and word families are set by training only (see civility-model's `learnsOnline`). */
export function isTrainedOnly(feature: string): boolean {
  return feature.startsWith('shape:') || feature.startsWith('lex:') || feature.startsWith('@lex:');
}
