import type { ClassifierInput, SpamClassifier } from '../types';
import { applyCalibration, type Calibration, UNCALIBRATED } from './calibration';
import { DEFAULT_TOKENIZER_OPTIONS, FEATURE_VERSION, tokenize, type TokenizerOptions } from './tokenizer';

export type SpamLabel = 'spam' | 'ham';

/** Serialised model: plain JSON, stable key order, tokens sorted, so retraining gives the same file. */
export interface SpamModelSnapshot {
  format: 'spam-naive-bayes';
  featureVersion: number;
  /** Additive (Laplace) smoothing of the per-class token rates. */
  alpha: number;
  /** Largest weight a single feature may carry, in nats, so no one word decides alone. */
  maxFeatureWeight: number;
  calibration: Calibration;
  tokenizer: TokenizerOptions;
  /** Number of comments (documents) learnt per class. */
  spamDocs: number;
  hamDocs: number;
  /** `[feature, spam documents containing it, ham documents containing it]`, sorted by feature. */
  tokens: [string, number, number][];
}

/** Model settings a trainer chooses; counts come from data. */
export interface SpamModelParams {
  alpha: number;
  maxFeatureWeight: number;
  calibration: Calibration;
  tokenizer: TokenizerOptions;
}

export const DEFAULT_MODEL_PARAMS: Readonly<SpamModelParams> = Object.freeze({
  alpha: 1,
  maxFeatureWeight: 4,
  calibration: UNCALIBRATED,
  tokenizer: DEFAULT_TOKENIZER_OPTIONS,
});

/** How many top-weighted features `classify` reports, for the moderator's explanation. */
const TOP_TOKENS = 5;

/**
 * A naive Bayes spam model over feature presence (each feature counted once per comment), with a
 * calibrated probability on top.
 *
 * Why our own, not a library: the state must be per-feature counts that several workers can bump
 * in Postgres with `spam = spam + 1` (commutative, so concurrent learning is safe), read back and
 * serialised deterministically; the npm naive Bayes packages keep opaque internal state, tokenize
 * on their own, and give no calibrated probability. The whole model is a hundred lines.
 */
export class NaiveBayesModel implements SpamClassifier {
  private readonly counts = new Map<string, [number, number]>();
  private spamDocs = 0;
  private hamDocs = 0;

  constructor(readonly params: SpamModelParams = DEFAULT_MODEL_PARAMS) {}

  /** The features this model reads from a comment. */
  features(input: ClassifierInput): string[] {
    return tokenize(input, this.params.tokenizer);
  }

  /** Learns one labelled comment. `weight` > 1 makes a single example count as several. */
  learn(input: ClassifierInput, label: SpamLabel, weight = 1): string[] {
    const features = this.features(input);
    this.addCounts(features, label, weight);
    return features;
  }

  /** Adds already-extracted features; used when replaying counts stored elsewhere. */
  addCounts(features: readonly string[], label: SpamLabel, weight = 1): void {
    const column = label === 'spam' ? 0 : 1;
    for (const feature of features) {
      const entry = this.counts.get(feature) ?? [0, 0];
      entry[column] += weight;
      this.counts.set(feature, entry);
    }
    if (label === 'spam') this.spamDocs += weight;
    else this.hamDocs += weight;
  }

  /** Sets a feature's counts outright (loading from storage). */
  setCounts(feature: string, spam: number, ham: number): void {
    this.counts.set(feature, [spam, ham]);
  }

  /** Sets the per-class document totals outright (loading from storage). */
  setDocs(spamDocs: number, hamDocs: number): void {
    this.spamDocs = spamDocs;
    this.hamDocs = hamDocs;
  }

  get docs(): { spam: number; ham: number } {
    return { spam: this.spamDocs, ham: this.hamDocs };
  }

  get vocabularySize(): number {
    return this.counts.size;
  }

  /**
   * Log-likelihood ratio of one feature, in nats, clipped to ±maxFeatureWeight; 0 for a feature
   * never seen (it carries no evidence either way).
   */
  weight(feature: string): number {
    const entry = this.counts.get(feature);
    if (!entry || entry[0] + entry[1] <= 0) return 0;
    const { alpha, maxFeatureWeight } = this.params;
    const spamRate = (entry[0] + alpha) / (this.spamDocs + 2 * alpha);
    const hamRate = (entry[1] + alpha) / (this.hamDocs + 2 * alpha);
    const llr = Math.log(spamRate / hamRate);
    return Math.max(-maxFeatureWeight, Math.min(maxFeatureWeight, llr));
  }

  /** Sum of the comment's feature weights: the uncalibrated score the calibration maps. */
  score(features: readonly string[]): number {
    let total = 0;
    for (const feature of features) total += this.weight(feature);
    return total;
  }

  classify(input: ClassifierInput): { spamProbability: number; topTokens: { token: string; weight: number }[] } {
    const features = this.features(input);
    const weighted = features.map((token) => ({ token, weight: this.weight(token) }));
    const raw = weighted.reduce((sum, t) => sum + t.weight, 0);
    const topTokens = weighted
      .filter((t) => t.weight !== 0)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.token < b.token ? -1 : 1))
      .slice(0, TOP_TOKENS)
      .map((t) => ({ token: t.token, weight: Math.round(t.weight * 1000) / 1000 }));
    return { spamProbability: applyCalibration(this.params.calibration, raw), topTokens };
  }

  /** A new model with the same counts and other parameters (e.g. a fitted calibration). */
  withParams(params: Partial<SpamModelParams>): NaiveBayesModel {
    return NaiveBayesModel.fromJSON({ ...this.toJSON(), ...params });
  }

  toJSON(): SpamModelSnapshot {
    const tokens = [...this.counts.entries()]
      .filter(([, [spam, ham]]) => spam + ham > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([token, [spam, ham]]): [string, number, number] => [token, spam, ham]);
    const { alpha, maxFeatureWeight, calibration, tokenizer } = this.params;
    return {
      format: 'spam-naive-bayes',
      featureVersion: FEATURE_VERSION,
      alpha,
      maxFeatureWeight,
      calibration: { slope: calibration.slope, intercept: calibration.intercept },
      tokenizer: { bigrams: tokenizer.bigrams, authorName: tokenizer.authorName, shapes: tokenizer.shapes },
      spamDocs: this.spamDocs,
      hamDocs: this.hamDocs,
      tokens,
    };
  }

  /** Rebuilds a model; refuses snapshots of another format or feature version rather than misread them. */
  static fromJSON(snapshot: SpamModelSnapshot): NaiveBayesModel {
    if (snapshot.format !== 'spam-naive-bayes') throw new Error(`unknown spam model format ${String(snapshot.format)}`);
    if (snapshot.featureVersion !== FEATURE_VERSION) {
      throw new Error(`spam model has feature version ${snapshot.featureVersion}, this code reads ${FEATURE_VERSION}: retrain it`);
    }
    const model = new NaiveBayesModel({
      alpha: snapshot.alpha,
      maxFeatureWeight: snapshot.maxFeatureWeight,
      calibration: { ...snapshot.calibration },
      tokenizer: { ...snapshot.tokenizer },
    });
    for (const [token, spam, ham] of snapshot.tokens) model.counts.set(token, [spam, ham]);
    model.setDocs(snapshot.spamDocs, snapshot.hamDocs);
    return model;
  }
}
