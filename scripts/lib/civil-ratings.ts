import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CIVILITY_ATTRIBUTES, type CivilityAttribute } from '../../src/models/civility-model';
import type { CivilityExample } from '../../src/models/train-civility';
import { fnv1a } from './shared-data';
import { cleanContent, type LabelledComment } from './youtube-csv';

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

/** Training examples: the text, the raters' shares, and the class the sample is balanced on. */
export function toCivilityExamples(rows: readonly RatedComment[]): CivilityExample[] {
  return rows.map((r) => ({ text: r.text, targets: r.ratings, toxic: r.toxic }));
}

/**
 * The validation rows of civil-comments as eval reads them: ham (published comments) with their
 * ratings in `extra` (TOXICITY, INSULT…), for `npm run eval -- --toxicity-column toxicity`.
 */
export function civilValidationRows(dataDir: string): LabelledComment[] {
  return loadCivilRatings(dataDir)
    .filter((r) => r.split === 'validation')
    .map((r) => ({
      id: r.id,
      author: 'Reader',
      date: '',
      content: cleanContent(r.text),
      label: 'ham' as const,
      source: 'civil-comments-5000.csv',
      extra: Object.fromEntries(Object.entries(r.ratings).map(([k, v]) => [k.toUpperCase(), String(v)])),
    }));
}
