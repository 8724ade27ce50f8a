import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { CivilityScorer } from '../../src/models/civility-model';
import { civilityCheck } from '../../src/moderation/checks/civility';
import type { Decision, ModerationSettings } from '../../src/moderation/types';
import { rocAuc, SITE_TOXIC_SHARE } from './civility-metrics';
import { cleanContent, type LabelledComment } from './youtube-csv';

/** Column names read for the text, the id and the spam label, first found wins (upper-cased). */
const TEXT_COLUMNS = ['CONTENT', 'TEXT', 'COMMENT_TEXT', 'COMMENT', 'BODY'];
const ID_COLUMNS = ['COMMENT_ID', 'ID'];

/**
 * A CSV of rated comments: the YouTube shape (COMMENT_ID, AUTHOR, DATE, CONTENT, CLASS) or any other
 * with a text column (TEXT, COMMENT_TEXT, COMMENT, BODY) and the rating column; CLASS is read when
 * there is one (else every row is ham: rated news comments are published ones). Other columns are
 * kept in `extra` by upper-cased name.
 */
export function loadRatedCsv(path: string, ratingColumn: string): LabelledComment[] {
  const records = parse(readFileSync(path, 'utf8'), { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  const names = (header ?? []).map((h) => h.trim().toUpperCase());
  const textAt = TEXT_COLUMNS.map((c) => names.indexOf(c)).find((i) => i >= 0) ?? -1;
  const idAt = ID_COLUMNS.map((c) => names.indexOf(c)).find((i) => i >= 0) ?? -1;
  const classAt = names.indexOf('CLASS');
  const source = path.split(/[\\/]/).pop() ?? path;
  if (textAt < 0) throw new Error(`${source}: no text column (one of ${TEXT_COLUMNS.join(', ')})`);
  if (!names.includes(ratingColumn.toUpperCase())) throw new Error(`${source}: no column named ${ratingColumn} (columns: ${names.join(', ')})`);
  return rows.map((row, i) => ({
    id: idAt >= 0 ? (row[idAt] ?? '') : `row-${i + 2}`,
    author: names.includes('AUTHOR') ? (row[names.indexOf('AUTHOR')] ?? '') : 'Reader',
    date: names.includes('DATE') ? (row[names.indexOf('DATE')] ?? '') : '',
    content: cleanContent(row[textAt] ?? ''),
    label: classAt >= 0 && (row[classAt] ?? '').trim() === '1' ? 'spam' : 'ham',
    source,
    extra: Object.fromEntries(names.map((name, j) => [name, row[j] ?? ''])),
  }));
}

/** How a rating reads: toxic, not toxic, or in between (1–4 scale: "mildly toxic"). */
export type RatingClass = 'toxic' | 'not_toxic' | 'mild' | 'unrated';

/**
 * The scale is 1–4 when any rating is over 1 (1 not toxic, 2 mildly, 3 toxic, 4 very toxic: toxic
 * from 2.5, not toxic under 1.5, mild between), else 0–1 (a share of raters: toxic from 0.5).
 */
export function ratingScale(ratings: readonly (number | null)[]): '0-1' | '1-4' {
  return ratings.some((r) => r !== null && r > 1) ? '1-4' : '0-1';
}

export function classifyRating(rating: number | null, scale: '0-1' | '1-4'): RatingClass {
  if (rating === null || !Number.isFinite(rating)) return 'unrated';
  if (scale === '0-1') return rating >= 0.5 ? 'toxic' : 'not_toxic';
  if (rating >= 2.5) return 'toxic';
  return rating < 1.5 ? 'not_toxic' : 'mild';
}

function parseRating(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Whether the civility check held (or, in observe mode, annotated) the comment. */
export function civilityHeld(decision: Decision): boolean {
  return decision.verdicts.some((v) => v.check === civilityCheck.name && v.verdict === 'review');
}

/**
 * The civility check alone on rated comments, as one JSON-able object: held share among comments
 * rated toxic and among those rated not toxic (and mild ones, on a 1–4 scale), how many it binned
 * (always 0: it only holds), ROC AUC of its toxicity score, and the held shares on a site with
 * SITE_TOXIC_SHARE toxic comments.
 */
export function civilityReport(
  results: readonly { row: LabelledComment; decision: Decision }[],
  ratingColumn: string,
  scorer: CivilityScorer,
  settings: ModerationSettings,
): Record<string, unknown> {
  const column = ratingColumn.toUpperCase();
  const ratings = results.map(({ row }) => parseRating(row.extra?.[column]));
  const scale = ratingScale(ratings);
  const allow = new Set(settings.civilityAllowList);
  const classes = ratings.map((r) => classifyRating(r, scale));
  const held = results.map(({ decision }) => civilityHeld(decision));
  const scores = results.map(({ row }) => scorer.assess(row.content, { allow, evidence: false }).scores.toxicity);
  const share = (cls: RatingClass) => {
    const idx = classes.map((c, i) => (c === cls ? i : -1)).filter((i) => i >= 0);
    return { n: idx.length, held: idx.length ? idx.filter((i) => held[i]).length / idx.length : null };
  };
  const toxic = share('toxic');
  const civil = share('not_toxic');
  const mild = share('mild');
  const rated = classes.map((c, i) => (c === 'toxic' || c === 'not_toxic' ? i : -1)).filter((i) => i >= 0);
  const auc = rocAuc(
    rated.map((i) => scores[i] as number),
    rated.map((i) => classes[i] === 'toxic'),
  );
  const binned = results.filter(({ decision }) => decision.verdicts.some((v) => v.check === civilityCheck.name && v.verdict === 'spam')).length;
  const r4 = (x: number | null) => (x === null || Number.isNaN(x) ? null : Math.round(x * 10000) / 10000);
  const site = toxic.held !== null && civil.held !== null ? SITE_TOXIC_SHARE * toxic.held + (1 - SITE_TOXIC_SHARE) * civil.held : null;
  return {
    check: 'civility',
    column: ratingColumn,
    scale,
    threshold: settings.civilityHoldThreshold,
    toxic: toxic.n,
    nonToxic: civil.n,
    ...(scale === '1-4' ? { mild: mild.n } : {}),
    toxicHeld: r4(toxic.held),
    nonToxicHeld: r4(civil.held),
    ...(scale === '1-4' ? { mildHeld: r4(mild.held) } : {}),
    binnedByCheck: binned,
    rocAuc: r4(auc),
    siteToxicShare: SITE_TOXIC_SHARE,
    siteHeld: r4(site),
    sitePrecision: r4(site ? (SITE_TOXIC_SHARE * (toxic.held ?? 0)) / site : null),
  };
}
