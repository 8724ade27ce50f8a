import type { ClassifierInput } from '../types';
import { fitCalibration } from './calibration';
import { DEFAULT_MODEL_PARAMS, NaiveBayesModel, type SpamLabel, type SpamModelParams } from './naive-bayes-model';

/** One labelled comment; `group` is where it came from (a video, a site) and drives the folds. */
export interface TrainingExample {
  input: ClassifierInput;
  label: SpamLabel;
  group: string;
}

/** A score the model gave a comment it was not trained on. */
export interface HeldOutScore {
  score: number;
  spam: boolean;
  group: string;
}

/** Number of folds when the examples come from a single group. */
const FALLBACK_FOLDS = 5;

/** Counts only: a model trained on the examples with the given parameters, no calibration fitted. */
export function countModel(examples: readonly TrainingExample[], params: SpamModelParams = DEFAULT_MODEL_PARAMS): NaiveBayesModel {
  const model = new NaiveBayesModel(params);
  for (const example of examples) model.learn(example.input, example.label);
  return model;
}

/**
 * Raw scores for every example from a model that did not see it: leave one group out (train on the
 * other videos, score this one), because spam differs across videos far more than within one, and
 * duplicated spam inside a video would otherwise leak into its own test fold. With one group only,
 * falls back to folds by position.
 */
export function heldOutScores(examples: readonly TrainingExample[], params: SpamModelParams = DEFAULT_MODEL_PARAMS): HeldOutScore[] {
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  const foldOf =
    groups.length > 1 ? (e: TrainingExample, _i: number) => e.group : (_e: TrainingExample, i: number) => `fold${i % FALLBACK_FOLDS}`;
  const folds = [...new Set(examples.map(foldOf))].sort();
  const scores: HeldOutScore[] = [];
  for (const fold of folds) {
    const model = countModel(
      examples.filter((e, i) => foldOf(e, i) !== fold),
      params,
    );
    examples.forEach((e, i) => {
      if (foldOf(e, i) === fold) scores.push({ score: model.score(model.features(e.input)), spam: e.label === 'spam', group: e.group });
    });
  }
  return scores;
}

/**
 * Trains the shipped kind of model: counts on every example, and a calibration fitted to the
 * held-out scores. Deterministic: examples are read in the given order, folds in sorted order, and
 * nothing is random.
 */
export function trainSpamModel(
  examples: readonly TrainingExample[],
  params: Omit<SpamModelParams, 'calibration'> = DEFAULT_MODEL_PARAMS,
): NaiveBayesModel {
  const base = { ...params, calibration: DEFAULT_MODEL_PARAMS.calibration };
  const calibration = fitCalibration(heldOutScores(examples, base));
  return countModel(examples, { ...base, calibration });
}
