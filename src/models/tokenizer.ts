import type { ClassifierInput } from '../moderation/types';
import { scanLinks } from './url-features';

/**
 * Turns a comment into the set of features the spam model counts. Bumped whenever the features
 * change, because a model trained on other features must not be read with these.
 */
export const FEATURE_VERSION = 1;

/** Which feature families to emit. The defaults are what cross-validation kept (docs/spam-eval.md). */
export interface TokenizerOptions {
  /** Adjacent word pairs ("check out", "my channel"): spam is phrased, ham is not. */
  bigrams: boolean;
  /** Words of the author's name ("official", "gaming", "channel" are favourite spammer names). */
  authorName: boolean;
  /** Shape of the text: length bucket, link count, shouting, emoji, money, long numbers… */
  shapes: boolean;
  /**
   * How much a comment's words and word pairs count together: with k of them, each counts
   * min(1, textScale / √k) instead of 1, so a long comment cannot pile up evidence from function
   * words ("if", "on", "your") that short spam happens to share. Shapes, links and author-name
   * features always count 1. 0 or absent: every feature counts 1 (models trained before it).
   */
  textScale?: number;
  /**
   * Spellings inside words: every run of `charGrams` characters of each word padded as `<word>`
   * ("<sub", "subs", "ubsc", …), hashed into GRAM_BUCKETS buckets and read as text features
   * named `~bucket` (they count towards k and are scaled with the words). They carry what a word
   * list cannot: "subscribe", "subscribers", "subcribe" and "sub2sub" share evidence, and a word
   * the training data never saw still says something. 0 or absent: none (models trained before it).
   */
  charGrams?: number;
}

/** Buckets the character runs are hashed into (2^18): few collisions among the runs training keeps. */
export const GRAM_BUCKETS = 1 << 18;

export const DEFAULT_TOKENIZER_OPTIONS: Readonly<TokenizerOptions> = Object.freeze({
  bigrams: true,
  authorName: true,
  shapes: true,
  textScale: 2,
});

/** Words and word pairs have no prefix; every other family is named `family:value`. */
function isTextFeature(feature: string): boolean {
  return !feature.includes(':');
}

/** What a feature counts in a comment: `text` (from textFeatureValue) for words and pairs, else 1. */
export function counted(feature: string, text: number): number {
  return isTextFeature(feature) ? text : 1;
}

/** What each of a comment's text features counts for (see `textScale`); 1 when not scaled. */
export function textFeatureValue(features: readonly string[], options: Pick<TokenizerOptions, 'textScale'>): number {
  const scale = options.textScale ?? 0;
  if (scale <= 0) return 1;
  let k = 0;
  for (const feature of features) if (isTextFeature(feature)) k += 1;
  return k === 0 ? 1 : Math.min(1, scale / Math.sqrt(k));
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
const INVISIBLE = /[\uFEFF\u200B-\u200D\u2060\u00AD]/g;
const MAX_WORD_LENGTH = 30;

/**
 * Features of one comment, deduplicated and sorted (the model counts presence, not frequency, so
 * one long repetitive comment cannot outweigh many short ones; sorting keeps training
 * deterministic).
 */
export function modelFeatures(input: ClassifierInput, options: TokenizerOptions = DEFAULT_TOKENIZER_OPTIONS): string[] {
  const { text, other, grams } = readFeatures(input, options);
  return [...text, ...grams.buckets.map(gramFeature), ...other].sort();
}

/**
 * A comment's features in two sets, unsorted: its words and word pairs (`text`, which
 * `textScale` scales) and every other family (`other`: links, shapes, author name). What
 * `modelFeatures` returns, without the sort and the `:` tests scoring does not need: scoring runs
 * for every comment, sorting only matters to training's order.
 */
export function readFeatures(input: ClassifierInput, options: TokenizerOptions = DEFAULT_TOKENIZER_OPTIONS): { text: Set<string>; other: Set<string>; grams: Grams } {
  const body = foldForModel(input.body);
  const links = scanLinks(body);
  const words = modelWords(links.rest);
  const other = new Set<string>(links.features);
  const text = new Set<string>();

  for (const word of words) (isTextFeature(word) ? text : other).add(word);
  if (options.bigrams) {
    // A pair with 'shape:long_word' in it has a ':' and is not a text feature (as modelFeatures always read it).
    for (let i = 1; i < words.length; i += 1) {
      const pair = `${words[i - 1]} ${words[i]}`;
      (isTextFeature(pair) ? text : other).add(pair);
    }
  }
  if (options.shapes) {
    // Cited sources are not counted as links, and a URL's digits and "?" are not the writer's.
    let sources = 0;
    for (const f of links.features) if (f === 'link:source') sources += 1;
    for (const shape of shapeFeatures(body, words.length, links.linkCount - sources, links.rest)) other.add(shape);
  }
  if (options.authorName && input.authorName) {
    for (const word of modelWords(foldForModel(input.authorName))) other.add(`name:${word}`);
  }
  // Not the e-mail address or website: the training data has neither, so their features could only
  // be learnt from moderators' lessons, and lessons are one-sided (spam is taught, most readers are
  // published without a lesson). 32 spam lessons from gmail.com users gave `email:domain:gmail.com`
  // +2.9 log-odds and blocked 10 of 30 plain news comments from gmail.com readers (docs/spam-eval.md).
  // A repeat offender's address and website are the author_history check's job, by exact match.
  const grams = options.charGrams ? gramBuckets(text, options.charGrams) : NO_GRAMS;
  return { text, other, grams };
}

const NO_GRAMS: Grams = Object.freeze({ buckets: [], words: [], starts: [] }) as unknown as Grams;
/**
 * Per bucket, the serial of the last comment that had it: dedupes a comment's buckets without a Set.
 * Made on first use (1 MB): the shipped model reads no spellings, so a process never pays for it.
 */
let gramSeen: Int32Array | null = null;
let gramSerial = 0;

/**
 * A comment's distinct character-run buckets, grouped by the word that first gave them: `words[i]`
 * gave `buckets[starts[i]]` up to the next start (so the classifier can say which word's spelling
 * carried weight).
 */
export interface Grams {
  buckets: number[];
  words: string[];
  starts: number[];
}

/**
 * The distinct buckets of the character runs of `words` (the comment's distinct words; pairs, which
 * hold a space, are skipped). FNV-1a over the run's UTF-16 units, from the padded word, no string cut.
 */
export function gramBuckets(words: Iterable<string>, n: number): Grams {
  gramSeen ??= new Int32Array(GRAM_BUCKETS);
  const seen = gramSeen;
  gramSerial = gramSerial === 0x7fffffff ? 1 : gramSerial + 1;
  if (gramSerial === 1) seen.fill(0);
  const grams: Grams = { buckets: [], words: [], starts: [] };
  const out = grams.buckets;
  for (const word of words) {
    if (word.includes(' ')) continue;
    const padded = word.length + 2;
    if (padded < n) continue;
    const before = out.length;
    for (let start = 0; start + n <= padded; start += 1) {
      let h = 0x811c9dc5;
      for (let i = start; i < start + n; i += 1) {
        const code = i === 0 ? 60 : i === padded - 1 ? 62 : word.charCodeAt(i - 1); // '<' and '>'
        h = Math.imul(h ^ code, 0x01000193);
      }
      const bucket = (h >>> 0) & (GRAM_BUCKETS - 1);
      if (seen[bucket] !== gramSerial) {
        seen[bucket] = gramSerial;
        out.push(bucket);
      }
    }
    if (out.length > before) {
      grams.words.push(word);
      grams.starts.push(before);
    }
  }
  return grams;
}

/** The feature name of a character-run bucket. */
export function gramFeature(bucket: number): string {
  return `~${bucket}`;
}

/** Unicode-normalised text without invisible characters ("ﬁ" → "fi", zero-width joiners gone). */
export function foldForModel(text: string): string {
  // Plain ASCII (most comments) has nothing to foldForModel: skip the costly part.
  if (ASCII_ONLY.test(text)) return text;
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/[\u2018\u2019\u02BC]/g, "'");
}

/**
 * Lower-cased words, with runs of a letter cut to two ("sooooo" → "soo") so stretched spellings
 * share evidence. Over-long "words" are base64 junk or ids and become one shape feature.
 */
export function modelWords(text: string): string[] {
  const words: string[] = [];
  const lower = text.toLowerCase();
  for (const word of (mayStretch(lower) ? lower.replace(STRETCHED, '$1$1') : lower).match(WORD) ?? []) {
    if (word.length > MAX_WORD_LENGTH) words.push('shape:long_word');
    else if (word.length > 1 || /\d/.test(word)) words.push(word);
  }
  return words;
}

/**
 * Whether `text` may hold a character three times in a row (what STRETCHED cuts): one pass over the
 * code units, so most comments skip the back-reference pattern. A surrogate (a character outside the
 * BMP) leaves the answer to the pattern.
 */
function mayStretch(text: string): boolean {
  for (let i = 2; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
    if (c === text.charCodeAt(i - 1) && c === text.charCodeAt(i - 2)) return true;
  }
  return false;
}

/**
 * Shape features: facts about the text's form that hold across topics, unlike its words. `rest` is
 * the text with links cut out: letters, numbers and question marks are read there ("www" is no
 * stretched word, a URL's digits no phone number).
 */
export function shapeFeatures(body: string, wordCount: number, linkCount: number, rest: string = body): string[] {
  const shapes = [`shape:words_${bucket(wordCount, [1, 3, 7, 15, 31])}`, `shape:links_${Math.min(linkCount, 2)}`];
  const { letters, upper, latin, capitalised, stretched } = countLetters(rest);
  if (letters >= 6 && upper / letters >= 0.7) shapes.push('shape:shouting');
  if (wordCount >= 5 && capitalised / wordCount >= 0.6) shapes.push('shape:title_case');
  if (body.includes('!!')) shapes.push('shape:exclaims');
  if (rest.includes('?')) shapes.push('shape:question');
  if (!ASCII_ONLY.test(body) && /\p{Extended_Pictographic}/u.test(body)) shapes.push('shape:emoji');
  if (letters > 0 && latin / letters < 0.5) shapes.push('shape:non_latin');
  if (body.includes('\n')) shapes.push('shape:multiline');
  if (/[$€£]\s?\d|\b\d+\s?(?:dollars?|usd|bucks)\b/i.test(body)) shapes.push('shape:money');
  if (/\d/.test(rest) && /\d{6,}/.test(rest.replace(/[\s.-]/g, ''))) shapes.push('shape:long_number');
  if (body.includes('@') && /[\w.+-]@[\w-]+\.[a-z]{2,}/i.test(body)) shapes.push('shape:email');
  if (body.includes('#') && /(?:^|\s)#\w/u.test(body)) shapes.push('shape:hashtag');
  if (stretched) shapes.push('shape:stretched');
  return shapes;
}

const ASCII_ONLY = /^[\x00-\x7F]*$/;
const STRETCHED = /(.)\1{2,}/gu;
const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LATIN = /\p{Script=Latin}/u;
const SPACE = /\s/u;

/**
 * Letters, capitals, Latin letters, words starting with a capital then a small letter, and
 * whether a letter repeats three times in a row ("sooo"), in one pass (an ASCII fast path; Unicode classes only for other characters): matching each class
 * with a global regex allocated an array per letter and was most of the tokenizer's time.
 */
function countLetters(text: string): { letters: number; upper: number; latin: number; capitalised: number; stretched: boolean } {
  let letters = 0;
  let run = 0;
  let stretched = false;
  let last = '';
  let upper = 0;
  let latin = 0;
  let capitalised = 0;
  // Kinds of the two previous characters: 's' space or start, 'U' capital, 'l' small letter,
  // 'L' other letter, 'o' anything else.
  let before = 's';
  let previous = 's';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    let kind = 'o';
    if (code < 128) {
      const isUpper = code >= 65 && code <= 90;
      const isLower = code >= 97 && code <= 122;
      if (isUpper || isLower) {
        letters += 1;
        latin += 1;
        if (isUpper) upper += 1;
        kind = isUpper ? 'U' : 'l';
      } else if (code === 32 || (code >= 9 && code <= 13)) kind = 's';
    } else if (LETTER.test(ch)) {
      letters += 1;
      kind = 'L';
      if (LATIN.test(ch)) latin += 1;
      if (UPPER.test(ch)) {
        upper += 1;
        kind = 'U';
      } else if (LOWER.test(ch)) kind = 'l';
    } else if (SPACE.test(ch)) kind = 's';
    if (kind === 'l' && previous === 'U' && before === 's') capitalised += 1;
    run = kind !== 's' && kind !== 'o' && ch === last ? run + 1 : 1;
    if (run >= 3) stretched = true;
    last = ch;
    before = previous;
    previous = kind;
  }
  return { letters, upper, latin, capitalised, stretched };
}

/** Label of the range `n` falls in, from the upper bounds given ("4_7", "32_plus"). */
function bucket(n: number, bounds: readonly number[]): string {
  let lower = 0;
  for (const upper of bounds) {
    if (n <= upper) return lower === upper ? `${upper}` : `${lower}_${upper}`;
    lower = upper + 1;
  }
  return `${lower}_plus`;
}
