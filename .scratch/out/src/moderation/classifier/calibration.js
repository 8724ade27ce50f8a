"use strict";
/**
 * Platt scaling: fits `p = sigmoid(slope * score + intercept)` to scores the model gave comments it
 * had not been trained on. Naive Bayes scores rank well but are overconfident (it counts correlated
 * clues, such as a word and the pair it is part of, as independent), so the raw score is no
 * probability; this maps it to one.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.UNCALIBRATED = void 0;
exports.sigmoid = sigmoid;
exports.applyCalibration = applyCalibration;
exports.fitCalibration = fitCalibration;
/** The identity-like map used before any calibration is fitted. */
exports.UNCALIBRATED = Object.freeze({ slope: 1, intercept: 0 });
function sigmoid(x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
function applyCalibration(calibration, score) {
    return sigmoid(calibration.slope * score + calibration.intercept);
}
/**
 * Newton's method on the log-loss with Platt's smoothed targets (so a perfectly separated sample
 * still gives finite parameters) and a small ridge penalty. Deterministic: no random start, a fixed
 * iteration cap, samples read in the given order.
 */
function fitCalibration(samples) {
    const positives = samples.filter((s) => s.spam).length;
    const negatives = samples.length - positives;
    if (positives === 0 || negatives === 0)
        return { ...exports.UNCALIBRATED };
    const targetSpam = (positives + 1) / (positives + 2);
    const targetHam = 1 / (negatives + 2);
    const ridge = 1e-3;
    let slope = 0;
    let intercept = Math.log((positives + 1) / (negatives + 1));
    for (let iteration = 0; iteration < 100; iteration += 1) {
        // Gradient and Hessian of the penalised log-loss in (slope, intercept).
        let gA = ridge * slope;
        let gB = 0;
        let hAA = ridge;
        let hAB = 0;
        let hBB = 1e-9;
        for (const { score, spam } of samples) {
            const p = sigmoid(slope * score + intercept);
            const diff = p - (spam ? targetSpam : targetHam);
            const w = Math.max(p * (1 - p), 1e-12);
            gA += diff * score;
            gB += diff;
            hAA += w * score * score;
            hAB += w * score;
            hBB += w;
        }
        const det = hAA * hBB - hAB * hAB;
        if (!(det > 0))
            break;
        const stepA = (hBB * gA - hAB * gB) / det;
        const stepB = (hAA * gB - hAB * gA) / det;
        slope -= stepA;
        intercept -= stepB;
        if (Math.abs(stepA) < 1e-10 && Math.abs(stepB) < 1e-10)
            break;
    }
    return { slope, intercept };
}
