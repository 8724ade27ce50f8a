import { formatTable } from './lib/table';
import { loadCivilRatings, type RatedComment } from './lib/civil-ratings';
import { SITE_TOXIC_SHARE } from './lib/civility-metrics';
import { DEFAULT_DATA_DIR } from './lib/shared-data';
import { loadShippedCivilityModel } from '../src/models/civility';

/**
 * `npm run perspective:thresholds`: what a threshold set for Perspective means here. On the Civil
 * Comments validation rows (never trained on), reweighted to a real site's mix (8% rated toxic), it
 * prints (1) calibration: per band of our TOXICITY score, the mean score beside the mean share of
 * raters who called the comments toxic (Perspective's TOXICITY estimates that same share); (2) per
 * threshold (Coral's default 0.8 among them): the share of comments held, and of comments that at
 * least that share of raters called toxic, of those rated toxic and of those rated not toxic.
 */
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9];

function main(): void {
  const rows = loadCivilRatings(process.argv[2] ?? DEFAULT_DATA_DIR).filter((r) => r.split === 'validation');
  const model = loadShippedCivilityModel();
  const toxicRows = rows.filter((r) => r.toxic).length;
  // The sample is about half toxic; a site about 8%: weigh each side to that mix.
  const weight = (r: RatedComment) => (r.toxic ? SITE_TOXIC_SHARE / toxicRows : (1 - SITE_TOXIC_SHARE) / (rows.length - toxicRows));
  const scored = rows.map((r) => ({ score: model.assess(r.text, { evidence: false }).scores.toxicity, raters: r.ratings.toxicity, toxic: r.toxic, w: weight(r) }));

  const bands: (string | number)[][] = [];
  for (let lo = 0; lo < 1; lo += 0.1) {
    const inBand = scored.filter((s) => s.score >= lo && (s.score < lo + 0.1 || lo >= 0.9));
    const w = inBand.reduce((a, s) => a + s.w, 0);
    if (!inBand.length) continue;
    bands.push([
      `${lo.toFixed(1)}–${(lo + 0.1).toFixed(1)}`,
      inBand.length,
      pct(w),
      round(inBand.reduce((a, s) => a + s.w * s.score, 0) / w),
      round(inBand.reduce((a, s) => a + s.w * s.raters, 0) / w),
    ]);
  }
  const share = (list: typeof scored, pred: (s: (typeof scored)[number]) => boolean) => {
    const total = list.reduce((a, s) => a + s.w, 0);
    return total ? list.filter(pred).reduce((a, s) => a + s.w, 0) / total : 0;
  };
  const perThreshold = THRESHOLDS.map((t) => {
    const atLeast = scored.filter((s) => s.raters >= t);
    return [
      t,
      pct(share(scored, (s) => s.score >= t)),
      pct(share(scored, (s) => s.raters >= t)),
      `${pct(share(atLeast, (s) => s.score >= t))} of ${atLeast.length}`,
      pct(share(scored.filter((s) => s.toxic), (s) => s.score >= t)),
      pct(share(scored.filter((s) => !s.toxic), (s) => s.score >= t)),
    ];
  });
  const brier = scored.reduce((a, s) => a + s.w * (s.score - s.raters) ** 2, 0) / scored.reduce((a, s) => a + s.w, 0);
  process.stdout.write(
    `Civil Comments validation rows: ${rows.length} (${toxicRows} rated toxic), weighted to a site with ${pct(SITE_TOXIC_SHARE)} rated toxic\n\n` +
      'Calibration: our TOXICITY score against the share of raters who called the comment toxic\n' +
      formatTable(['score band', 'comments', 'site share', 'mean score', 'mean raters’ share'], bands) +
      `mean squared gap between score and raters' share (Brier, site-weighted): ${brier.toFixed(4)}\n\n` +
      'Per threshold (Coral holds a comment when TOXICITY >= its threshold, 0.8 by default)\n' +
      formatTable(['threshold', 'site comments held', 'site comments with raters’ share >= threshold', 'of those, held', 'rated toxic, held', 'rated not toxic, held'], perThreshold),
  );
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const round = (v: number) => Math.round(v * 1000) / 1000;

main();
