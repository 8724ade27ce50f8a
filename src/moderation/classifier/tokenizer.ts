import type { ClassifierInput } from '../types';
import { hostFeatures, scanLinks } from './url-features';

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
}

export const DEFAULT_TOKENIZER_OPTIONS: Readonly<TokenizerOptions> = Object.freeze({
  bigrams: true,
  authorName: true,
  shapes: true,
});

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
const INVISIBLE = /[\uFEFF\u200B-\u200D\u2060\u00AD]/g;
const MAX_WORD_LENGTH = 30;

/**
 * Features of one comment, deduplicated and sorted (the model counts presence, not frequency, so
 * one long repetitive comment cannot outweigh many short ones; sorting keeps training
 * deterministic).
 */
export function tokenize(input: ClassifierInput, options: TokenizerOptions = DEFAULT_TOKENIZER_OPTIONS): string[] {
  const body = normalise(input.body);
  const links = scanLinks(body);
  const words = wordsOf(links.rest);
  const features = new Set<string>(links.features);

  for (const word of words) features.add(word);
  if (options.bigrams) {
    for (let i = 1; i < words.length; i += 1) features.add(`${words[i - 1]} ${words[i]}`);
  }
  if (options.shapes) {
    for (const shape of shapeFeatures(body, words.length, links.linkCount)) features.add(shape);
  }
  if (options.authorName && input.authorName) {
    for (const word of wordsOf(normalise(input.authorName))) features.add(`name:${word}`);
  }
  if (input.authorUrl) {
    features.add('author:has_url');
    for (const f of scanLinks(normalise(input.authorUrl)).features) features.add(`author:${f}`);
  }
  const emailDomain = input.authorEmail?.split('@')[1]?.trim().toLowerCase();
  if (emailDomain) {
    for (const f of hostFeatures(emailDomain)) {
      if (!f.startsWith('tld:')) features.add(`email:${f}`);
    }
  }
  return [...features].sort();
}

/** Unicode-normalised text without invisible characters ("ﬁ" → "fi", zero-width joiners gone). */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/[\u2018\u2019\u02BC]/g, "'");
}

/**
 * Lower-cased words, with runs of a letter cut to two ("sooooo" → "soo") so stretched spellings
 * share evidence. Over-long "words" are base64 junk or ids and become one shape feature.
 */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0].replace(/(.)\1{2,}/gu, '$1$1');
    if (word.length > MAX_WORD_LENGTH) words.push('shape:long_word');
    else if (word.length > 1 || /\d/.test(word)) words.push(word);
  }
  return words;
}

/** Shape features: facts about the text's form that hold across topics, unlike its words. */
export function shapeFeatures(body: string, wordCount: number, linkCount: number): string[] {
  const shapes = [`shape:words_${bucket(wordCount, [1, 3, 7, 15, 31])}`, `shape:links_${Math.min(linkCount, 2)}`];
  const letters = body.match(/\p{L}/gu) ?? [];
  const upper = body.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 6 && upper.length / letters.length >= 0.7) shapes.push('shape:shouting');
  const capitalised = body.match(/(?:^|\s)\p{Lu}\p{Ll}/gu)?.length ?? 0;
  if (wordCount >= 5 && capitalised / wordCount >= 0.6) shapes.push('shape:title_case');
  if (/!{2,}/.test(body)) shapes.push('shape:exclaims');
  if (/\?/.test(body)) shapes.push('shape:question');
  if (/\p{Extended_Pictographic}/u.test(body)) shapes.push('shape:emoji');
  if (letters.length > 0 && (body.match(/\p{Script=Latin}/gu)?.length ?? 0) / letters.length < 0.5) {
    shapes.push('shape:non_latin');
  }
  if (/\n/.test(body)) shapes.push('shape:multiline');
  if (/[$€£]\s?\d|\b\d+\s?(?:dollars?|usd|bucks)\b/i.test(body)) shapes.push('shape:money');
  if (/\d{6,}/.test(body.replace(/[\s.-]/g, ''))) shapes.push('shape:long_number');
  if (/[\w.+-]+@[\w-]+\.[a-z]{2,}/i.test(body)) shapes.push('shape:email');
  if (/(?:^|\s)#\w/u.test(body)) shapes.push('shape:hashtag');
  if (/(\p{L})\1{2,}/u.test(body)) shapes.push('shape:stretched');
  return shapes;
}

/** Index of the first upper bound `n` fits under, written as a range label ("4_7", "32_plus"). */
function bucket(n: number, bounds: readonly number[]): string {
  let lower = 0;
  for (const upper of bounds) {
    if (n <= upper) return lower === upper ? `${upper}` : `${lower}_${upper}`;
    lower = upper + 1;
  }
  return `${lower}_plus`;
}
