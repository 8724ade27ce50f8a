import { CIVILITY_ATTRIBUTES, CivilityModel, type CivilityAttribute } from './civility-model';
import { FAMILY_PRIORS } from './civility-lexicon';
import { civilityFeatures, DEFAULT_CIVILITY_TOKENIZER, type CivilityTokenizerOptions } from './civility-tokenizer';
import { roundWeight } from './logistic-model';
import { fitLogistic } from './train-model';

/** One rated comment: per attribute, the share of crowd raters who gave it (0..1). */
export interface CivilityExample {
  text: string;
  targets: Record<CivilityAttribute, number>;
  /** Rated toxic by at least half the raters: the class the sample is balanced on. */
  toxic: boolean;
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
  /**
   * Weights smaller than this (in log-odds) are not kept: they change no decision, and leaving them out
   * keeps the model small enough to load, seed and refresh quickly (docs/civility.md).
   */
  minWeight: number;
  tokenizer: CivilityTokenizerOptions;
  /**
   * The share of toxic comments training weights the sample to. Below the sample's half, so the
   * common case weighs more; above a site's share, so the model still sees enough abuse to rank it
   * well (validation: 0.25 ranks better at the hold point than 0.5 or 0.08, docs/civility.md).
   */
  trainToxicShare: number;
  /** A real site's share of toxic comments (about 8% on Civil Comments): scores are calibrated to it. */
  siteToxicShare: number;
}

export const DEFAULT_CIVILITY_TRAINING: Readonly<CivilityTrainingOptions> = Object.freeze({
  l2: 3e-4,
  iterations: 300,
  stepSize: 0.5,
  learningRate: 1.0,
  minCount: 3,
  minWeight: 0.01,
  tokenizer: DEFAULT_CIVILITY_TOKENIZER,
  trainToxicShare: 0.25,
  siteToxicShare: 0.08,
});

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Per example, its weight in the loss: the toxic comments together weigh `trainToxicShare` of the
 * whole, the others the rest.
 */
export function classWeights(examples: readonly Pick<CivilityExample, 'toxic'>[], share: number): number[] {
  const toxic = examples.filter((e) => e.toxic).length;
  const civil = examples.length - toxic;
  const wToxic = toxic ? (share * examples.length) / toxic : 1;
  const wCivil = civil ? ((1 - share) * examples.length) / civil : 1;
  return examples.map((e) => Math.round((e.toxic ? wToxic : wCivil) * 1e6) / 1e6);
}

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
  // Family features with a prior are kept however rarely the sample shows them: the prior stands.
  const kept = Uint8Array.from(counts, (c, id) => (c >= options.minCount || FAMILY_PRIORS[names[id] as string] ? 1 : 0));
  const penalty = new Float64Array(names.length).fill(options.l2);
  const weights = classWeights(examples, options.trainToxicShare);
  // Trained on a mix with trainToxicShare abuse, scored on a site with siteToxicShare: the prior's
  // log-odds move every head's bias (docs/civility.md, "Calibration").
  const shift = logit(options.siteToxicShare) - logit(options.trainToxicShare);

  const model = new CivilityModel(options.learningRate, { ...options.tokenizer });
  for (const attribute of CIVILITY_ATTRIBUTES) {
    const targets = examples.map((e) => Math.min(1, Math.max(0, e.targets[attribute] ?? 0)));
    const prior = Float64Array.from(names, (name) => FAMILY_PRIORS[name]?.[attribute] ?? 0);
    const fit = fitLogistic({ docs, values, targets, weights, penalty, kept, prior }, options);
    model.set(`${attribute}|$bias`, roundWeight(fit.bias + shift), 0);
    // Family features the sample never showed still carry their prior.
    for (const [name, byAttribute] of Object.entries(FAMILY_PRIORS)) {
      const w = byAttribute[attribute];
      if (w && !ids.has(name)) model.set(`${attribute}|${name}`, w, 0);
    }
    names.forEach((name, id) => {
      const w = roundWeight(fit.weights[id] as number);
      if (kept[id] && Math.abs(w) >= options.minWeight) model.set(`${attribute}|${name}`, w, counts[id] as number);
    });
  }
  return model;
}

/**
 * One model from several (the cross-validation folds' models): each row's weight is their mean, its
 * count the mean count scaled to all the data (each training comment is in all folds but one). The
 * mean of linear models scores as the mean of their log-odds, so the hold threshold chosen on the folds'
 * held-out scores applies to it as chosen: a model fitted once on all the data scores on another scale
 * (fewer comments per weight, other overfitting), and a threshold chosen on the folds would not carry.
 * Rows whose mean is under `minWeight` are left out.
 */
export function averageCivilityModels(models: readonly CivilityModel[], minWeight: number = DEFAULT_CIVILITY_TRAINING.minWeight): CivilityModel {
  const first = models[0];
  if (!first) throw new Error('no models to average');
  const sums = new Map<string, [number, number]>();
  for (const model of models) {
    for (const [row, weight, count] of model.toJSON().features) {
      const entry = sums.get(row) ?? [0, 0];
      entry[0] += weight;
      entry[1] += count;
      sums.set(row, entry);
    }
  }
  const out = new CivilityModel(first.learningRate, { ...first.tokenizer });
  const k = models.length;
  for (const row of [...sums.keys()].sort()) {
    const [weight, count] = sums.get(row) as [number, number];
    const mean = roundWeight(weight / k);
    if (row.endsWith('|$bias') || Math.abs(mean) >= minWeight) out.set(row, mean, Math.round(count / Math.max(1, k - 1)));
  }
  return out;
}
