"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.countModel = countModel;
exports.heldOutScores = heldOutScores;
exports.trainSpamModel = trainSpamModel;
const calibration_1 = require("./calibration");
const naive_bayes_model_1 = require("./naive-bayes-model");
/** Number of folds when the examples come from a single group. */
const FALLBACK_FOLDS = 5;
/** Counts only: a model trained on the examples with the given parameters, no calibration fitted. */
function countModel(examples, params = naive_bayes_model_1.DEFAULT_MODEL_PARAMS) {
    const model = new naive_bayes_model_1.NaiveBayesModel(params);
    for (const example of examples)
        model.learn(example.input, example.label);
    return model;
}
/**
 * Raw scores for every example from a model that did not see it: leave one group out (train on the
 * other videos, score this one), because spam differs across videos far more than within one, and
 * duplicated spam inside a video would otherwise leak into its own test fold. With one group only,
 * falls back to folds by position.
 */
function heldOutScores(examples, params = naive_bayes_model_1.DEFAULT_MODEL_PARAMS) {
    const groups = [...new Set(examples.map((e) => e.group))].sort();
    const foldOf = groups.length > 1 ? (e, _i) => e.group : (_e, i) => `fold${i % FALLBACK_FOLDS}`;
    const folds = [...new Set(examples.map(foldOf))].sort();
    const scores = [];
    for (const fold of folds) {
        const model = countModel(examples.filter((e, i) => foldOf(e, i) !== fold), params);
        examples.forEach((e, i) => {
            if (foldOf(e, i) === fold)
                scores.push({ score: model.score(model.features(e.input)), spam: e.label === 'spam', group: e.group });
        });
    }
    return scores;
}
/**
 * Trains the shipped kind of model: counts on every example, and a calibration fitted to the
 * held-out scores. Deterministic: examples are read in the given order, folds in sorted order, and
 * nothing is random.
 */
function trainSpamModel(examples, params = naive_bayes_model_1.DEFAULT_MODEL_PARAMS) {
    const base = { ...params, calibration: naive_bayes_model_1.DEFAULT_MODEL_PARAMS.calibration };
    const calibration = (0, calibration_1.fitCalibration)(heldOutScores(examples, base));
    return countModel(examples, { ...base, calibration });
}
