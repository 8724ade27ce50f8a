import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CIVILITY_ATTRIBUTES, type CivilityAttribute } from '../../models/civility';

/**
 * Perspective's scores estimate the share of raters who would call a comment toxic (insulting, …),
 * and clients such as Coral compare them to thresholds chosen for that meaning (Coral: 0.8). The
 * civility model's scores are tuned for its own hold check, so each attribute is mapped to the
 * raters' share by Platt scaling, `sigmoid(a · logit(score) + b)`, fitted on the Civil Comments
 * validation rows (never trained on) weighted to a real site's mix (`npm run perspective:calibrate`,
 * docs/perspective.md). Monotone: the order of scores, hence which comments rank above a threshold,
 * is the model's; a lesson that moves a comment's model log-odds by d moves its served log-odds by a·d.
 */
export interface PerspectiveCalibration {
  /** The shipped civility model this was fitted for (model-store's snapshot digest). */
  civilityModelDigest: string;
  fittedOn: string;
  attributes: Record<CivilityAttribute, { a: number; b: number }>;
}

/** Where `npm run perspective:calibrate` writes the calibration the project ships. */
export const CALIBRATION_PATH = 'models/perspective-calibration.json';

const EPS = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function calibrated(cal: PerspectiveCalibration | null, attribute: CivilityAttribute, score: number): number {
  if (!cal) return score;
  const { a, b } = cal.attributes[attribute];
  return sigmoid(a * logit(score) + b);
}

/** The scores as served: every attribute through its calibration. */
export function calibrateScores(cal: PerspectiveCalibration | null, scores: Record<CivilityAttribute, number>): Record<CivilityAttribute, number> {
  if (!cal) return scores;
  const out = {} as Record<CivilityAttribute, number>;
  for (const attr of CIVILITY_ATTRIBUTES) out[attr] = calibrated(cal, attr, scores[attr]);
  return out;
}

/** Reads and checks the shipped calibration; null when there is none. */
export function readCalibration(path: string = resolve(process.cwd(), CALIBRATION_PATH)): PerspectiveCalibration | null {
  if (!existsSync(path)) return null;
  const cal = JSON.parse(readFileSync(path, 'utf8')) as PerspectiveCalibration;
  for (const attr of CIVILITY_ATTRIBUTES) {
    const p = cal.attributes?.[attr];
    if (!p || !Number.isFinite(p.a) || !Number.isFinite(p.b) || p.a <= 0) throw new Error(`${path}: no usable calibration for ${attr}`);
  }
  return cal;
}

/**
 * Fits `a`, `b` of sigmoid(a·logit(score) + b) to soft targets (raters' shares) by weighted
 * cross-entropy, with Newton's method (two parameters, convex): deterministic.
 */
export function fitPlatt(points: readonly { score: number; target: number; weight: number }[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter += 1) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (const p of points) {
      const x = logit(p.score);
      const q = sigmoid(a * x + b);
      const e = p.weight * (q - p.target);
      const v = p.weight * q * (1 - q);
      ga += e * x;
      gb += e;
      haa += v * x * x;
      hab += v * x;
      hbb += v;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a: Math.round(a * 1e6) / 1e6, b: Math.round(b * 1e6) / 1e6 };
}
