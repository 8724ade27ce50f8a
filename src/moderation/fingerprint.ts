import { hash as digest } from 'node:crypto';
import { normalizeText, stripHtml, wordsOf } from './normalize';
import type { BodyFingerprint, CommentInput } from './types';

/**
 * Campaign detection looks only at bodies of at least this many words: short, common comments
 * ("Great article, thanks!") are legitimately written by many people on the same day.
 */
export const CAMPAIGN_MIN_WORDS = 8;

/** MinHash signature length, and its split into LSH bands of MINHASH_ROWS values each. */
export const MINHASH_SIZE = 16;
const MINHASH_ROWS = 2;
/**
 * Near-identical: at least this many of the 16 MinHash values agree (estimated Jaccard similarity of
 * the word pairs ≥ 0.625; one word changed in a 20-word comment is about 0.8, unrelated texts ≈ 0).
 */
export const NEAR_DUPLICATE_MATCHES = 10;

/**
 * A body's fingerprint for duplicate and campaign detection, stored with each comment:
 * - `hash`: SHA-256 (first 16 bytes) of the normalized words: the same text after normalisation,
 *   whatever its spacing, punctuation, case, markup or look-alike letters;
 * - `minhash`: a MinHash signature over word pairs: near-identical texts (a word changed, a link
 *   swapped) agree in most positions;
 * - `bands`: locality-sensitive-hashing keys, one per pair of signature values. Texts with similar
 *   word pairs very likely share a band (Jaccard 0.6 → 97%), unrelated ones almost never, so a GIN
 *   index on the bands finds the candidates and the signatures are compared on those only.
 * Signature and bands are null below CAMPAIGN_MIN_WORDS.
 *
 * Why not a 64-bit simhash with Hamming distance ≤ 3: on comment-length texts (10–80 words) one
 * replaced word moves it past 3 bits in 60–98% of cases, so it found little more than exact copies.
 */
export function fingerprintBody(body: string): BodyFingerprint {
  // The words of wordTokens(), without the Token objects: this runs for every stored comment.
  const words = wordsOf(normalizeText(stripHtml(typeof body === 'string' ? body : '')));
  // One-shot crypto.hash: the same digest as createHash(…).update(…).digest(), a fifth of the cost.
  const hash = digest('sha256', words.join(' '), 'hex').slice(0, 32);
  if (words.length < CAMPAIGN_MIN_WORDS) return { hash, minhash: null, bands: null, words: words.length };
  const minhash = minhashOf(words);
  const bands: number[] = [];
  for (let b = 0; b < MINHASH_SIZE / MINHASH_ROWS; b++) {
    bands.push(hash32(`${b}:${minhash.slice(b * MINHASH_ROWS, (b + 1) * MINHASH_ROWS).join(':')}`, 0) | 0);
  }
  return { hash, minhash, bands, words: words.length };
}

const byComment = new WeakMap<CommentInput, BodyFingerprint>();

/**
 * The fingerprint of a comment's body, computed once per comment object: the campaign check, the
 * worker's duplicate look-up and its store all need it for the same job. Treat it as read-only.
 */
export function commentFingerprint(comment: CommentInput): BodyFingerprint {
  let fingerprint = byComment.get(comment);
  if (!fingerprint) {
    fingerprint = fingerprintBody(comment.body);
    byComment.set(comment, fingerprint);
  }
  return fingerprint;
}

/** How many positions of two signatures agree (the stored comparison, for tests and tools). */
export function minhashMatches(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) n++;
  return n;
}

/** Per position, the smallest hash of any word pair under that position's hash function (as int32). */
function minhashOf(words: readonly string[]): number[] {
  const mins = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (let i = 0; i + 1 < words.length; i++) {
    // hash32(`${words[i]} ${words[i + 1]}`, 0), without building the pair's string.
    const base = fmix32(fnv1a(fnv1a(fnv1a(FNV_OFFSET, words[i]), ' '), words[i + 1]));
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const h = fmix32(base ^ SEEDS[k]);
      if (h < mins[k]) mins[k] = h;
    }
  }
  return Array.from(mins, (m) => m | 0);
}

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, k) => fmix32(Math.imul(k + 1, 0x9e3779b9)));

/** FNV-1a with a seed, finished with MurmurHash3's avalanche so every bit is well mixed. */
function hash32(s: string, seed: number): number {
  return fmix32(fnv1a((FNV_OFFSET ^ seed) >>> 0, s));
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over the UTF-16 code units of `s`, continuing from state `h` (so a concatenation needs no string). */
function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** MurmurHash3's 32-bit finaliser. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
