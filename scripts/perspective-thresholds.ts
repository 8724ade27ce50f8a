import { formatTable } from './lib/table';
import { calibrationRows, type CalibrationRow } from './lib/perspective-calibration-rows';
import { DEFAULT_DATA_DIR } from './lib/shared-data';
import { calibrated, fitPlatt } from '../src/http/perspective/calibration';
import { loadShippedCivilityModel } from '../src/models/civility';

/**
 * `npm run perspective:thresholds`: what a threshold set for Perspective means here, for TOXICITY, on
 * the Civil Comments validation rows (never trained on) weighted to a real site's mix (8% rated
 * toxic). Served scores are calibrated (npm run perspective:calibrate); to report them honestly the
 * calibration here is cross-fitted (fitted on one half of the rows, applied to the other). Prints
 * (1) calibration: per band of served score, the mean score beside the mean share of raters who
 * called the comments toxic (what Perspective's TOXICITY estimates), for the model's raw score too;
 * (2) per threshold (Coral's default 0.8 among them): the share of a site's comments held, and of
 * those rated toxic / not toxic.
 */
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

interface Scored {
  raw: number;
  served: number;
  raters: number;
  toxic: boolean;
  w: number;
}

function crossFitted(rows: CalibrationRow[]): Scored[] {
  const halves = [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)];
  return halves.flatMap((half, h) => {
    const other = halves[1 - h];
    const { a, b } = fitPlatt(other.map((r) => ({ score: r.scores.toxicity, target: r.ratings.toxicity, weight: r.weight })));
    const cal = { civilityModelDigest: '', fittedOn: '', attributes: { toxicity: { a, b } } } as Parameters<typeof calibrated>[0];
    return half.map((r) => ({ raw: r.scores.toxicity, served: calibrated(cal, 'toxicity', r.scores.toxicity), raters: r.ratings.toxicity, toxic: r.toxic, w: r.weight }));
  });
}

function main(): void {
  const rows = calibrationRows(loadShippedCivilityModel(), process.argv[2] ?? DEFAULT_DATA_DIR);
  const scored = crossFitted(rows);
  const sum = (list: Scored[], f: (s: Scored) => number) => list.reduce((a, s) => a + s.w * f(s), 0);
  const bandTable = (key: 'raw' | 'served') => {
    const out: (string | number)[][] = [];
    for (let i = 0; i < 10; i += 1) {
      const lo = i / 10;
      const inBand = scored.filter((s) => s[key] >= lo && (s[key] < lo + 0.1 || i === 9));
      if (!inBand.length) continue;
      const w = sum(inBand, () => 1);
      out.push([`${lo.toFixed(1)}–${(lo + 0.1).toFixed(1)}`, inBand.length, pct(w / sum(scored, () => 1)), round(sum(inBand, (s) => s[key]) / w), round(sum(inBand, (s) => s.raters) / w)]);
    }
    return out;
  };
  const brier = (key: 'raw' | 'served') => (sum(scored, (s) => (s[key] - s.raters) ** 2) / sum(scored, () => 1)).toFixed(4);
  const share = (list: Scored[], pred: (s: Scored) => boolean) => sum(list.filter(pred), () => 1) / sum(list, () => 1);
  const toxic = scored.filter((s) => s.toxic);
  const civil = scored.filter((s) => !s.toxic);
  const perThreshold = THRESHOLDS.map((t) => [
    t,
    pct(share(scored, (s) => s.served >= t)),
    pct(share(toxic, (s) => s.served >= t)),
    pct(share(civil, (s) => s.served >= t)),
    pct(share(scored, (s) => s.raters >= t)),
  ]);
  const head = ['score band', 'comments', 'site share', 'mean score', 'mean raters’ share'];
  process.stdout.write(
    `Civil Comments validation rows: ${rows.length} (${toxic.length} rated toxic by at least half the raters), weighted to a site with 8% rated toxic\n\n` +
      `Served TOXICITY (calibrated, cross-fitted) against the share of raters who called the comment toxic; Brier ${brier('served')}\n` +
      formatTable(head, bandTable('served')) +
      `\nThe model's raw toxicity score, for comparison; Brier ${brier('raw')}\n` +
      formatTable(head, bandTable('raw')) +
      '\nPer threshold on served TOXICITY (Coral holds a comment when TOXICITY >= its threshold, 0.8 by default)\n' +
      formatTable(['threshold', 'site comments held', 'rated toxic, held', 'rated not toxic, held', 'site comments with raters’ share >= threshold'], perThreshold),
  );
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const round = (v: number) => Math.round(v * 1000) / 1000;

main();
