import { CIVILITY_ATTRIBUTES, CivilityModel, type CivilityAttribute } from './civility-model';
import { civilityFeatures, DEFAULT_CIVILITY_TOKENIZER, type CivilityTokenizerOptions } from './civility-tokenizer';
import { roundWeight } from './logistic-model';
import { fitLogistic } from './train-model';

/** One rated comment: per attribute, the share of crowd raters who gave it (0..1). */
export interface CivilityExample {
  text: string;
  targets: Record<CivilityAttribute, number>;
  /** How much it counts in the loss (default 1): the balanced sample is reweighted to a real site's mix with it. */
  weight?: number;
}

/** Batch-training settings; the defaults are what cross-validation chose (docs/civility.md). */
export interface CivilityTrainingOptions {
  /** Ridge penalty per feature. */
  l2: number;
  iterations: number;
  stepSize: number;
  /** Online step size stored with the model (CivilityModel.learn). */
  learningRate: number;
  /** Features seen in fewer training comments are left out. */
  minCount: number;
  tokenizer: CivilityTokenizerOptions;
}

export const DEFAULT_CIVILITY_TRAINING: Readonly<CivilityTrainingOptions> = Object.freeze({
  l2: 3e-4,
  iterations: 300,
  stepSize: 0.5,
  learningRate: 1.0,
  minCount: 2,
  tokenizer: DEFAULT_CIVILITY_TOKENIZER,
});

/**
 * Fits every head on the same features (the text is read once), each on the raters' share for its
 * attribute: logistic loss with soft targets, so a head's probability estimates that share.
 * Deterministic, like the spam model: fixed order, no sampling, rounded weights.
 */
export function trainCivilityModel(examples: readonly CivilityExample[], options: CivilityTrainingOptions = DEFAULT_CIVILITY_TRAINING): CivilityModel {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const values: Float64Array[] = [];
  const docs = examples.map((example) => {
    const features = civilityFeatures(example.text, options.tokenizer);
    values.push(Float64Array.from(features, (f) => f.value));
    return Int32Array.from(features, (f) => {
      let id = ids.get(f.feature);
      if (id === undefined) {
        id = names.length;
        ids.set(f.feature, id);
        names.push(f.feature);
      }
      return id;
    });
  });
  const counts = new Float64Array(names.length);
  for (const doc of docs) for (const id of doc) counts[id] += 1;
  const kept = Uint8Array.from(counts, (c) => (c >= options.minCount ? 1 : 0));
  const penalty = new Float64Array(names.length).fill(options.l2);
  const weights = examples.map((e) => e.weight ?? 1);

  const model = new CivilityModel(options.learningRate, { ...options.tokenizer });
  for (const attribute of CIVILITY_ATTRIBUTES) {
    const targets = examples.map((e) => Math.min(1, Math.max(0, e.targets[attribute] ?? 0)));
    const fit = fitLogistic({ docs, values, targets, weights, penalty, kept }, options);
    model.set(`${attribute}|$bias`, roundWeight(fit.bias), 0);
    names.forEach((name, id) => {
      const w = roundWeight(fit.weights[id] as number);
      if (kept[id] && w !== 0) model.set(`${attribute}|${name}`, w, counts[id] as number);
    });
  }
  return model;
}
