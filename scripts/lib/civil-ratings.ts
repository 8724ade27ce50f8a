import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CIVILITY_ATTRIBUTES, type CivilityAttribute } from '../../src/models/civility-model';
import type { CivilityExample } from '../../src/models/train-civility';
import { fnv1a } from './shared-data';

/** A Civil Comments row with its crowd ratings, and which side of the split it is on. */
export interface RatedComment {
  id: string;
  text: string;
  ratings: Record<CivilityAttribute, number>;
  /** Rated toxic by at least half the raters (the sample's `label`). */
  toxic: boolean;
  /** 0…4 for training rows (cross-validation folds); validation rows are never trained on. */
  fold: number;
  split: 'train' | 'validation';
}

/** Folds of the civility cross-validation. */
export const CIVILITY_FOLDS = 5;

/** About 8% of Civil Comments is rated toxic (the folder's README): a real site's mix. */
export const SITE_TOXIC_SHARE = 0.08;

/**
 * ../shared/data/civil-comments, split as the spam model splits it (the same hash of the normalised
 * text, two tenths for validation), so the validation rows are never trained on by either model.
 */
export function loadCivilRatings(dataDir: string): RatedComment[] {
  const file = join(resolve(process.cwd(), dataDir), 'civil-comments', 'civil-comments-5000.csv');
  const records = parse(readFileSync(file, 'utf8'), { bom: true, columns: true, relax_quotes: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r, i) => {
    const text = r.text ?? '';
    const h = fnv1a(text.toLowerCase().replace(/\s+/g, ' ').trim()) % 10;
    const ratings = {} as Record<CivilityAttribute, number>;
    for (const a of CIVILITY_ATTRIBUTES) ratings[a] = Number(r[a] ?? 0) || 0;
    return { id: `civil-${String(i + 1).padStart(4, '0')}`, text, ratings, toxic: r.label === '1', fold: h % CIVILITY_FOLDS, split: h < 2 ? 'validation' : 'train' };
  });
}

/**
 * Training examples weighted to a real site's mix: the sample is half toxic, a site about 8%, so toxic
 * rows weigh 0.08 / (their share) and the rest 0.92 / (theirs). Scores then estimate raters' shares on
 * a site's comments, not on the balanced sample (docs/civility.md, "Calibration").
 */
export function toCivilityExamples(rows: readonly RatedComment[], toxicShare: number = SITE_TOXIC_SHARE): CivilityExample[] {
  const toxic = rows.filter((r) => r.toxic).length;
  const wToxic = toxic ? (toxicShare * rows.length) / toxic : 1;
  const wCivil = rows.length - toxic ? ((1 - toxicShare) * rows.length) / (rows.length - toxic) : 1;
  return rows.map((r) => ({ text: r.text, targets: r.ratings, weight: Math.round((r.toxic ? wToxic : wCivil) * 1e6) / 1e6 }));
}
