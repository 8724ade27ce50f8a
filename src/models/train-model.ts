import type { ClassifierInput } from '../moderation/types';
import { LogisticSpamModel, roundWeight, sigmoid, type SpamLabel, type SpamModelSnapshot } from './logistic-model';
import { counted, DEFAULT_TOKENIZER_OPTIONS, FEATURE_VERSION, textFeatureValue, modelFeatures, type TokenizerOptions } from './tokenizer';

/** One labelled comment; `group` is where it came from (a video, a site) and drives the folds. */
export interface TrainingExample {
  input: ClassifierInput;
  label: SpamLabel;
  group: string;
  /** How much the example counts in the loss (default 1): sets and classes are balanced with it. */
  weight?: number;
}

/** Batch-training settings. The defaults are what cross-validation chose (docs/spam-eval.md). */
export interface TrainingOptions {
  /** Ridge penalty per feature: keeps a word seen in one comment from deciding alone. */
  l2: number;
  /**
   * Ridge penalty for a feature seen in one group (video) only, when there are several: a song
   * title or one spammer's site cannot be shown to carry over to other videos, so it must earn its
   * weight from many comments. Features shared by videos ("subscribe", a link) keep `l2`.
   */
  singleGroupL2: number;
  /**
   * Ridge penalty for the spellings inside words (`~bucket` features, TokenizerOptions.charGrams),
   * when set: each is shared by many words, so it must not outweigh the words themselves. Absent: `l2`.
   */
  gramL2?: number;
  /** Full passes over the data; the loss is convex, so more only refines. */
  iterations: number;
  /** AdaGrad base step of batch training. */
  stepSize: number;
  /** Online step size stored with the model (see LogisticSpamModel.learn). */
  learningRate: number;
  /**
   * Features seen in fewer training comments than this are left out (weight 0, not stored): a word
   * one comment used cannot be shown to carry over, and the news and SMS sets would otherwise add
   * 150,000 one-off words to every model load. 0 or 1 keeps every feature.
   */
  minCount?: number;
  tokenizer: TokenizerOptions;
}

export const DEFAULT_TRAINING: Readonly<TrainingOptions> = Object.freeze({
  l2: 1e-4,
  singleGroupL2: 1e-3,
  iterations: 300,
  stepSize: 0.5,
  learningRate: 1.5,
  minCount: 2,
  tokenizer: DEFAULT_TOKENIZER_OPTIONS,
});

/**
 * Fits the model by full-batch AdaGrad on the mean log-loss plus an L2 penalty (stronger for
 * features only one group has shown, see `singleGroupL2`). Deterministic:
 * no random initialisation or sampling, examples and features visited in a fixed order, and the
 * weights rounded the same way the saved file rounds them, so `npm run train` reproduces the
 * shipped model byte for byte.
 */
export function trainSpamModel(examples: readonly TrainingExample[], options: TrainingOptions = DEFAULT_TRAINING): LogisticSpamModel {
  const ids = new Map<string, number>();
  const names: string[] = [];
  /** Per feature: the one group it has been seen in, or null once seen in a second. */
  const onlyGroup: (string | null)[] = [];
  /** Per comment and feature: what the feature counts (1, or less for a long comment's words: TokenizerOptions.textScale). */
  const values: Float64Array[] = [];
  const docs = examples.map((example) => {
    const features = modelFeatures(example.input, options.tokenizer);
    const text = textFeatureValue(features, options.tokenizer);
    values.push(Float64Array.from(features, (f) => counted(f, text)));
    return Int32Array.from(features, (feature) => {
      let id = ids.get(feature);
      if (id === undefined) {
        id = names.length;
        ids.set(feature, id);
        names.push(feature);
        onlyGroup.push(example.group);
      } else if (onlyGroup[id] !== example.group) onlyGroup[id] = null;
      return id;
    });
  });
  const severalGroups = new Set(examples.map((e) => e.group)).size > 1;
  const penalty = Float64Array.from(onlyGroup, (group, id) => {
    const base = severalGroups && group !== null ? options.singleGroupL2 : options.l2;
    return options.gramL2 !== undefined && names[id]?.charCodeAt(0) === 126 ? Math.max(base, options.gramL2) : base;
  });
  const labels = examples.map((e) => (e.label === 'spam' ? 1 : 0));
  const exampleWeights = examples.map((e) => e.weight ?? 1);
  const size = names.length;
  const counts = new Float64Array(size);
  for (const doc of docs) for (const id of doc) counts[id] += 1;
  const minCount = options.minCount ?? 0;
  // A left-out feature keeps weight 0: it is never updated.
  const kept = Uint8Array.from(counts, (c) => (c >= minCount ? 1 : 0));
  const { bias, weights } = fitLogistic({ docs, values, targets: labels, weights: exampleWeights, penalty, kept }, options);

  const snapshot: SpamModelSnapshot = {
    format: 'spam-logistic',
    featureVersion: FEATURE_VERSION,
    tokenizer: { ...options.tokenizer },
    bias: roundWeight(bias),
    learningRate: options.learningRate,
    features: names
      .map((name, id): [string, number, number] => [name, roundWeight(weights[id]), counts[id]])
      .filter((_, id) => kept[id])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return LogisticSpamModel.fromJSON(snapshot);
}

/** A design matrix for `fitLogistic`: per comment, its feature ids and what each counts. */
export interface FitData {
  docs: readonly Int32Array[];
  values: readonly Float64Array[];
  /** Per comment, the target in [0, 1]: a class (0 or 1) or a share of raters (soft label). */
  targets: readonly number[];
  /** Per comment, how much it counts in the loss. */
  weights: readonly number[];
  /** Per feature, its ridge penalty. */
  penalty: Float64Array;
  /** Per feature, 1 when it is fitted (0: left at weight 0). */
  kept: Uint8Array;
  /**
   * Per feature, the weight the ridge penalty pulls towards (default 0): prior knowledge that the data
   * can override where it has evidence, and that stands where it has little.
   */
  prior?: Float64Array;
}

/**
 * Full-batch AdaGrad on the weighted mean log-loss (cross-entropy, so soft targets fit the expected
 * share) plus the ridge penalty. Deterministic: fixed order, no randomness. The spam model and each
 * head of the civility model are fitted here.
 */
export function fitLogistic(data: FitData, options: Pick<TrainingOptions, 'iterations' | 'stepSize'>): { bias: number; weights: Float64Array } {
  const { docs, values, targets, penalty, kept } = data;
  const exampleWeights = data.weights;
  const size = penalty.length;
  const prior = data.prior ?? new Float64Array(size);
  const weights = Float64Array.from(prior);
  const squared = new Float64Array(size);
  let bias = 0;
  let biasSquared = 0;
  const n = Math.max(1, exampleWeights.reduce((sum, w) => sum + w, 0));

  for (let iteration = 0; iteration < options.iterations; iteration += 1) {
    const gradient = new Float64Array(size);
    let biasGradient = 0;
    docs.forEach((doc, i) => {
      const value = values[i] as Float64Array;
      let z = bias;
      for (let j = 0; j < doc.length; j += 1) z += (weights[doc[j] as number] as number) * (value[j] as number);
      const error = (sigmoid(z) - (targets[i] as number)) * (exampleWeights[i] as number);
      biasGradient += error;
      for (let j = 0; j < doc.length; j += 1) gradient[doc[j] as number] += error * (value[j] as number);
    });
    for (let id = 0; id < size; id += 1) {
      if (!kept[id]) continue;
      const g = (gradient[id] as number) / n + (penalty[id] as number) * ((weights[id] as number) - (prior[id] as number));
      squared[id] += g * g;
      weights[id] -= (options.stepSize * g) / Math.sqrt((squared[id] as number) + 1e-12);
    }
    const gb = biasGradient / n;
    biasSquared += gb * gb;
    bias -= (options.stepSize * gb) / Math.sqrt(biasSquared + 1e-12);
  }
  return { bias, weights };
}

/** A log-odds score the model gave a comment it was not trained on. */
export interface HeldOutScore {
  logit: number;
  spam: boolean;
  group: string;
}

/**
 * Scores every example with a model that did not see it, leaving one group out at a time (train
 * on the other videos, score this one): spam differs across videos far more than within one, and
 * duplicated spam inside a video would otherwise leak into its own test fold. The result is in
 * the examples' order.
 */
export function crossValidate(examples: readonly TrainingExample[], options: TrainingOptions = DEFAULT_TRAINING): HeldOutScore[] {
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  if (groups.length < 2) throw new Error('cross-validation needs examples from at least two groups');
  const scores: HeldOutScore[] = new Array<HeldOutScore>(examples.length);
  for (const group of groups) {
    const model = trainSpamModel(
      examples.filter((e) => e.group !== group),
      options,
    );
    examples.forEach((e, i) => {
      if (e.group === group) scores[i] = { logit: model.logit(model.features(e.input)), spam: e.label === 'spam', group };
    });
  }
  return scores;
}
