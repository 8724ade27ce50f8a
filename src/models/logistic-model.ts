import type { ClassifierInput, SpamClassifier } from '../moderation/types';
import { counted, DEFAULT_TOKENIZER_OPTIONS, FEATURE_VERSION, GRAM_BUCKETS, textFeatureValue, modelFeatures, readFeatures, type TokenizerOptions } from './tokenizer';

export type SpamLabel = 'spam' | 'ham';

/** Serialised model: plain JSON, features sorted, weights rounded, so retraining gives the same file. */
export interface SpamModelSnapshot {
  format: 'spam-logistic';
  featureVersion: number;
  tokenizer: TokenizerOptions;
  /** Log-odds of a comment with no known feature. */
  bias: number;
  /** Size of an online-learning step for a feature never seen before (see `learn`). */
  learningRate: number;
  /** `[feature, weight in log-odds, comments seen that carried it]`, sorted by feature. */
  features: [string, number, number][];
}

/** What one `learn` changed: add `weight` to each feature's weight and 1 to its count. */
export interface SpamModelUpdate {
  label: SpamLabel;
  deltas: { feature: string; weight: number }[];
}

/**
 * The most one lesson may move the score of the comment it was taught on, in log-odds: a step
 * larger than this is scaled down whole. From 24% spam one lesson reaches at most 59%; from 95%
 * one "not spam" reaches at most 81%. Moderators still teach fast (three lessons on a new phrase
 * move it from published to held), but one key press cannot flip a comment from published to
 * binned or the other way.
 */
export const MAX_LESSON_SHIFT = 1.5;

/** Lesson deltas are whole multiples of this, so stored sums add and subtract exactly (as integers). */
export const DELTA_UNIT = 1e-9;

/** How many top-weighted features `classify` reports, for the moderator's explanation. */
const TOP_TOKENS = 6;

/** Weights are stored to 6 decimals: enough for scoring, and keeps the shipped file stable. */
export function roundWeight(w: number): number {
  return Math.round(w * 1e6) / 1e6;
}

/**
 * Shapes of the text and of its links ("no link", "8–15 words", "a referral link", ".com") are
 * set by training and not moved by moderators' lessons. Lessons are one-sided (spam is taught,
 * most readers are published without a lesson) and these features are in almost every comment,
 * so each spam lesson nudged them all the same way: 25 lessons on one video's missed spam moved
 * "no link" from −2.43 to −1.34 log-odds and held 14 of 30 plain news comments instead of 2.
 * Words, pairs, hosts and names are what a new spam wave is made of, and what lessons should teach.
 * Spellings inside words (`~bucket`, TokenizerOptions.charGrams) are trained only too: every
 * comment has dozens, so they drift as shapes do (the drift test held 5 of 30 news comments, not 4).
 */
const TRAINED_ONLY = /^(?:shape|link|tld):|^~/;

function learnsOnline(feature: string): boolean {
  return !TRAINED_ONLY.test(feature);
}

type TopToken = { token: string; weight: number };

/** Whether a clue of strength `shown` goes before `other` in the explanation: stronger first, equals in the features' sorted order. */
function ranksAhead(shown: number, token: string, other: TopToken): boolean {
  const theirs = Math.abs(other.weight);
  return shown > theirs || (shown === theirs && token < other.token);
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Logistic regression over feature presence: log-odds of spam = bias + the weights of the
 * comment's features (its words and word pairs each counting min(1, textScale / √k) when it has k
 * of them, see TokenizerOptions.textScale). Trained in batch by `trainSpamModel`, then refined
 * online by `learn`.
 *
 * Why logistic regression and not naive Bayes: across videos it ranked spam better at every
 * operating point we tried (docs/spam-eval.md), because it weighs correlated clues (a word, the
 * pair it is part of, the link it sits next to) jointly instead of counting each as independent
 * evidence. Why our own and not a library: the state must be per-feature numbers that several
 * workers can update in Postgres with commutative increments (`weight = weight + $delta`), read
 * back and serialised deterministically; the npm packages keep opaque state and tokenize on their
 * own. The model itself is this file.
 */
export class LogisticSpamModel implements SpamClassifier {
  private readonly table = new Map<string, [weight: number, count: number]>();
  /** Dense copy of the `~bucket` weights for scoring (null: rebuild from the table). */
  private grams: Float64Array | null = null;

  constructor(
    private biasValue: number,
    readonly learningRate: number,
    readonly tokenizer: TokenizerOptions = DEFAULT_TOKENIZER_OPTIONS,
  ) {}

  get bias(): number {
    return this.biasValue;
  }

  get size(): number {
    return this.table.size;
  }

  /** The features this model reads from a comment. */
  features(input: ClassifierInput): string[] {
    return modelFeatures(input, this.tokenizer);
  }

  /** Weight of one feature in log-odds; 0 for a feature never seen. */
  weight(feature: string): number {
    return this.table.get(feature)?.[0] ?? 0;
  }

  /** Number of comments learnt that carried the feature. */
  count(feature: string): number {
    return this.table.get(feature)?.[1] ?? 0;
  }

  /** Log-odds of spam for already-extracted features. */
  logit(features: readonly string[]): number {
    const text = textFeatureValue(features, this.tokenizer);
    let z = this.biasValue;
    for (const feature of features) z += this.weight(feature) * counted(feature, text);
    return z;
  }

  /**
   * Topmost features by what they added to this comment's log-odds (weight × how much each counted).
   * Reads the features unsorted (`readFeatures`): this runs for every comment, and the order only
   * matters to training.
   */
  classify(input: ClassifierInput): { spamProbability: number; topTokens: { token: string; weight: number }[] } {
    const { text, other, grams } = readFeatures(input, this.tokenizer);
    const scale = this.tokenizer.textScale ?? 0;
    const k = text.size + grams.buckets.length;
    const textValue = scale > 0 && k > 0 ? Math.min(1, scale / Math.sqrt(k)) : 1;
    let z = this.biasValue;
    // Keep the strongest few while summing, rather than sorting every feature.
    const top: { token: string; weight: number }[] = [];
    const add = (token: string, value: number) => {
      const entry = this.table.get(token);
      if (entry === undefined || entry[0] === 0) return;
      z += entry[0] * value;
      offer(token, entry[0] * value);
    };
    const offer = (token: string, weight: number) => {
      const rounded = roundWeight(weight);
      const shown = Math.abs(rounded);
      if (top.length === TOP_TOKENS && !ranksAhead(shown, token, top[TOP_TOKENS - 1] as TopToken)) return;
      let at = top.length;
      while (at > 0 && ranksAhead(shown, token, top[at - 1] as TopToken)) at -= 1;
      top.splice(at, 0, { token, weight: rounded });
      if (top.length > TOP_TOKENS) top.pop();
    };
    for (const token of other) add(token, 1);
    for (const token of text) add(token, textValue);
    // Spellings inside words (`~bucket`), summed from a dense copy and shown per word
    // (`spelling:word`): a hashed run of letters means nothing to a moderator, the word does.
    if (grams.buckets.length) {
      const dense = this.gramWeights();
      const { buckets, words, starts } = grams;
      for (let w = 0; w < words.length; w += 1) {
        const end = w + 1 < starts.length ? (starts[w + 1] as number) : buckets.length;
        let sum = 0;
        for (let i = starts[w] as number; i < end; i += 1) sum += dense[buckets[i] as number] as number;
        if (sum === 0) continue;
        const weight = sum * textValue;
        z += weight;
        // The token is written only for a word that makes the top few.
        if (top.length < TOP_TOKENS || Math.abs(roundWeight(weight)) >= Math.abs((top[TOP_TOKENS - 1] as TopToken).weight)) offer(`spelling:${words[w]}`, weight);
      }
    }
    return { spamProbability: sigmoid(z), topTokens: top };
  }

  /**
   * One step of online gradient descent on this comment's words, pairs, link hosts and author
   * name words (not its shapes: see `learnsOnline`), with a per-feature step that shrinks as
   * 1/√(1 + comments seen with the feature) (AdaGrad-like): a phrase the model has never seen
   * moves fast, so three moderator decisions visibly change its score, while "the" (seen in
   * hundreds of comments) barely moves, so one decision cannot tilt every comment.
   * The bias is not learnt online, so a run of spam decisions does not make everything spammier.
   * The whole step is scaled down when it would move this comment's log-odds by more than
   * MAX_LESSON_SHIFT, and each delta is a whole number of DELTA_UNITs (stored as integers, so a
   * lesson taken back restores the stored weights exactly: src/models/model-store.ts).
   * Returns the update, for the caller to persist; it has already been applied here.
   */
  learn(input: ClassifierInput, label: SpamLabel): SpamModelUpdate {
    const features = this.features(input);
    const error = (label === 'spam' ? 1 : 0) - sigmoid(this.logit(features));
    const text = textFeatureValue(features, this.tokenizer);
    // The gradient of each weight is the error times what its feature counted in this comment.
    const steps = features.filter(learnsOnline).map((feature) => ({
      feature,
      weight: (this.learningRate * error * counted(feature, text)) / Math.sqrt(1 + this.count(feature)),
      counts: counted(feature, text),
    }));
    // How far this step moves the comment's own log-odds: bounded by MAX_LESSON_SHIFT.
    let shift = 0;
    for (const step of steps) shift += Math.abs(step.weight * step.counts);
    const scale = shift > MAX_LESSON_SHIFT ? MAX_LESSON_SHIFT / shift : 1;
    const deltas = steps.map(({ feature, weight }) => ({ feature, weight: Math.round((weight * scale) / DELTA_UNIT) * DELTA_UNIT }));
    const update = { label, deltas };
    this.apply(update);
    return update;
  }

  /** The weights of the character-run buckets (`~bucket` features), by bucket; rebuilt after a change. */
  private gramWeights(): Float64Array {
    if (this.grams) return this.grams;
    const dense = new Float64Array(GRAM_BUCKETS);
    for (const [feature, [weight]] of this.table) if (feature.charCodeAt(0) === 126) dense[Number(feature.slice(1))] = weight;
    this.grams = dense;
    return dense;
  }

  /** Applies an update computed here or by another worker. */
  apply(update: SpamModelUpdate): void {
    this.grams = null;
    for (const { feature, weight } of update.deltas) {
      const entry = this.table.get(feature) ?? [0, 0];
      entry[0] += weight;
      entry[1] += 1;
      this.table.set(feature, entry);
    }
  }

  /** Sets a feature outright (loading from storage or from training). */
  set(feature: string, weight: number, count: number): void {
    this.grams = null;
    this.table.set(feature, [weight, count]);
  }

  toJSON(): SpamModelSnapshot {
    const features = [...this.table.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([feature, [weight, count]]): [string, number, number] => [feature, roundWeight(weight), count]);
    const { bigrams, authorName, shapes, textScale, charGrams } = this.tokenizer;
    return {
      format: 'spam-logistic',
      featureVersion: FEATURE_VERSION,
      tokenizer: { bigrams, authorName, shapes, ...(textScale ? { textScale } : {}), ...(charGrams ? { charGrams } : {}) },
      bias: roundWeight(this.biasValue),
      learningRate: this.learningRate,
      features,
    };
  }

  /** Rebuilds a model; refuses other formats or feature versions rather than misread them. */
  static fromJSON(snapshot: SpamModelSnapshot): LogisticSpamModel {
    if (snapshot?.format !== 'spam-logistic') throw new Error(`unknown spam model format ${String(snapshot?.format)}`);
    if (snapshot.featureVersion !== FEATURE_VERSION) {
      throw new Error(`spam model has feature version ${snapshot.featureVersion}, this code reads ${FEATURE_VERSION}: retrain it`);
    }
    const model = new LogisticSpamModel(snapshot.bias, snapshot.learningRate, { ...snapshot.tokenizer });
    for (const [feature, weight, count] of snapshot.features) model.set(feature, weight, count);
    return model;
  }
}
