import { CIVILITY_ATTRIBUTES, CivilityModel, type CivilityAttribute } from './civility-model';
import { FAMILY_PRIORS } from './civility-lexicon';
import { civilityFeatures, DEFAULT_CIVILITY_TOKENIZER, type CivilityTokenizerOptions } from './civility-tokenizer';
import { roundWeight, sigmoid } from './logistic-model';
import type { FitData } from './train-model';

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
  /** At most this many L-BFGS iterations per head (fitLbfgs stops earlier once the loss settles). */
  iterations: number;
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
  /**
   * The ridge penalty of each feature is divided by its squared log-ratio (how much more often the
   * comments rated with the attribute carry it than the others, as in NBSVM), capped at this: a word
   * that tells nothing ("the", "council") is held near zero, a telling one ("moron") is left free.
   * 0: one penalty for all. Cross-validated ROC AUC 0.877 → 0.890, toxic held at 3% of the non-toxic
   * 37% → 45% (docs/civility.md).
   */
  ratioCap: number;
}

export const DEFAULT_CIVILITY_TRAINING: Readonly<CivilityTrainingOptions> = Object.freeze({
  l2: 3e-3,
  iterations: 200,
  learningRate: 1.0,
  minCount: 3,
  minWeight: 0.01,
  tokenizer: DEFAULT_CIVILITY_TOKENIZER,
  trainToxicShare: 0.25,
  siteToxicShare: 0.08,
  ratioCap: 9,
});

/** What a feature's penalty is divided by at least (a feature that tells nothing): l2 / 0.001. */
const MIN_RATIO_SQUARED = 1e-3;

/**
 * Per feature, the ridge penalty scaled by how telling it is for one attribute: l2 / (min(r², cap) + 0.001)
 * where r is the log of its rate among the comments at least half the raters gave the attribute over
 * its rate among the others, each with one pseudo-count (the soft shares ranked worse: 0.883).
 */
export function ratioPenalties(docs: readonly Int32Array[], targets: readonly number[], size: number, l2: number, cap: number): Float64Array {
  const penalty = new Float64Array(size).fill(l2);
  if (cap <= 0) return penalty;
  const yes = new Float64Array(size).fill(1);
  const no = new Float64Array(size).fill(1);
  let yesTotal = 1;
  let noTotal = 1;
  docs.forEach((doc, i) => {
    const t = (targets[i] as number) >= 0.5 ? 1 : 0;
    yesTotal += t;
    noTotal += 1 - t;
    for (const id of doc) {
      yes[id] += t;
      no[id] += 1 - t;
    }
  });
  for (let id = 0; id < size; id += 1) {
    const r = Math.log((yes[id] as number) / yesTotal / ((no[id] as number) / noTotal));
    penalty[id] = l2 / (Math.min(r * r, cap) + MIN_RATIO_SQUARED);
  }
  return penalty;
}

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
  const weights = classWeights(examples, options.trainToxicShare);
  // Trained on a mix with trainToxicShare abuse, scored on a site with siteToxicShare: the prior's
  // log-odds move every head's bias (docs/civility.md, "Calibration").
  const shift = logit(options.siteToxicShare) - logit(options.trainToxicShare);

  const model = new CivilityModel(options.learningRate, { ...options.tokenizer });
  for (const attribute of CIVILITY_ATTRIBUTES) {
    const targets = examples.map((e) => Math.min(1, Math.max(0, e.targets[attribute] ?? 0)));
    const prior = Float64Array.from(names, (name) => FAMILY_PRIORS[name]?.[attribute] ?? 0);
    const penalty = ratioPenalties(docs, targets, names.length, options.l2, options.ratioCap);
    const fit = fitLbfgs({ docs, values, targets, weights, penalty, kept, prior }, options.iterations);
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

/** The loss settles when one iteration lowers it by less than this share. */
const LBFGS_TOLERANCE = 1e-9;
/** Pairs of steps L-BFGS remembers. */
const LBFGS_HISTORY = 10;

/**
 * Full-batch L-BFGS on the weighted mean log-loss (soft targets) plus the ridge penalty towards each
 * feature's prior, the objective `fitLogistic` (train-model.ts) descends with AdaGrad. AdaGrad had not
 * settled after 300 passes (the folds' scores stood on different scales: cross-validated ROC AUC 0.844,
 * 0.874 after 1,000 passes); L-BFGS reaches the minimum in about a hundred, so the model is the
 * objective's, not the step count's. Deterministic: fixed order, no randomness.
 */
export function fitLbfgs(data: FitData, maxIterations: number): { bias: number; weights: Float64Array; iterations: number } {
  const { docs, values, targets, penalty, kept } = data;
  const exampleWeights = data.weights;
  const size = penalty.length;
  const prior = data.prior ?? new Float64Array(size);
  const dim = size + 1; // the bias last
  const n = Math.max(1, exampleWeights.reduce((sum, w) => sum + w, 0));
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    const bias = x[size] as number;
    for (let i = 0; i < docs.length; i += 1) {
      const doc = docs[i] as Int32Array;
      const value = values[i] as Float64Array;
      let z = bias;
      for (let k = 0; k < doc.length; k += 1) z += (x[doc[k] as number] as number) * (value[k] as number);
      const t = targets[i] as number;
      const w = exampleWeights[i] as number;
      const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      loss += w * (softplus - t * z);
      const error = (sigmoid(z) - t) * w;
      g[size] += error;
      for (let k = 0; k < doc.length; k += 1) g[doc[k] as number] += error * (value[k] as number);
    }
    loss /= n;
    for (let j = 0; j < size; j += 1) {
      if (!kept[j]) {
        g[j] = 0;
        continue;
      }
      const diff = (x[j] as number) - (prior[j] as number);
      g[j] = (g[j] as number) / n + (penalty[j] as number) * diff;
      loss += 0.5 * (penalty[j] as number) * diff * diff;
    }
    g[size] = (g[size] as number) / n;
    return loss;
  };
  const dot = (a: Float64Array, b: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < a.length; i += 1) sum += (a[i] as number) * (b[i] as number);
    return sum;
  };
  const x = new Float64Array(dim);
  x.set(prior.subarray(0, size));
  for (let j = 0; j < size; j += 1) if (!kept[j]) x[j] = 0;
  const g = new Float64Array(dim);
  let f = evaluate(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(dim);
  const next = new Float64Array(dim);
  const nextG = new Float64Array(dim);
  let iteration = 0;
  while (iteration < maxIterations) {
    iteration += 1;
    // The two-loop recursion: direction = -H·g.
    direction.set(g);
    const alpha = new Array<number>(S.length).fill(0);
    for (let k = S.length - 1; k >= 0; k -= 1) {
      alpha[k] = (rho[k] as number) * dot(S[k] as Float64Array, direction);
      const y = Y[k] as Float64Array;
      for (let i = 0; i < dim; i += 1) direction[i] -= (alpha[k] as number) * (y[i] as number);
    }
    const last = S.length - 1;
    const scale = last >= 0 ? dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array) : 1 / (Math.sqrt(dot(g, g)) || 1);
    for (let i = 0; i < dim; i += 1) direction[i] *= scale;
    for (let k = 0; k < S.length; k += 1) {
      const beta = (rho[k] as number) * dot(Y[k] as Float64Array, direction);
      const s = S[k] as Float64Array;
      for (let i = 0; i < dim; i += 1) direction[i] += (s[i] as number) * ((alpha[k] as number) - beta);
    }
    for (let i = 0; i < dim; i += 1) direction[i] = -(direction[i] as number);
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction: forget the history and go down the gradient.
      for (let i = 0; i < dim; i += 1) direction[i] = -(g[i] as number);
      slope = dot(g, direction);
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
    }
    // Backtracking line search (Armijo).
    let step = 1;
    let nextF = f;
    for (let tries = 0; tries < 40; tries += 1) {
      for (let i = 0; i < dim; i += 1) next[i] = (x[i] as number) + step * (direction[i] as number);
      nextF = evaluate(next, nextG);
      if (nextF <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextF < f)) break;
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i += 1) {
      s[i] = (next[i] as number) - (x[i] as number);
      y[i] = (nextG[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > LBFGS_HISTORY) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const settled = f - nextF <= LBFGS_TOLERANCE * Math.max(1, Math.abs(f));
    x.set(next);
    g.set(nextG);
    f = nextF;
    if (settled) break;
  }
  return { bias: x[size] as number, weights: x.subarray(0, size), iterations: iteration };
}
