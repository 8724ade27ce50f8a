import type { CivilityAttribute, CivilityScorer } from '../../src/models/civility';
import { loadCivilRatings } from './civil-ratings';
import { SITE_TOXIC_SHARE } from './civility-metrics';

export interface CalibrationRow {
  scores: Record<CivilityAttribute, number>;
  ratings: Record<CivilityAttribute, number>;
  toxic: boolean;
  /** The row's weight in a real site's mix (the sample is about half toxic, a site 8%); weights sum to 1. */
  weight: number;
}

/** The Civil Comments validation rows (never trained on), scored by `model`, weighted to a site's mix. */
export function calibrationRows(model: CivilityScorer, dataDir: string): CalibrationRow[] {
  const rows = loadCivilRatings(dataDir).filter((r) => r.split === 'validation');
  const toxic = rows.filter((r) => r.toxic).length;
  return rows.map((r) => ({
    scores: model.assess(r.text, { evidence: false }).scores,
    ratings: r.ratings,
    toxic: r.toxic,
    weight: r.toxic ? SITE_TOXIC_SHARE / toxic : (1 - SITE_TOXIC_SHARE) / (rows.length - toxic),
  }));
}
