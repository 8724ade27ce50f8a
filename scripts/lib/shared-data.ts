import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sharedDataDir } from '../../src/lib/shared-data-dir';
import type { TrainingExample } from '../../src/models/train-model';
import { cleanContent, type LabelledComment, loadYoutubeCsv } from './youtube-csv';

/**
 * The labelled sets the spam model is trained and validated on, read from the shared data folder; the
 * project keeps no copy. Each set's README there says where it comes from and the attribution to keep
 * (docs/spam-eval.md repeats it). The folder: `SHARED_DATA_DIR`, else `../shared/data` beside the
 * project (as CI and the developers' checkouts have it), else — in a clone of a local checkout, such
 * as a newcomer's trial clone in /tmp — `../shared/data` beside the checkout it was cloned from.
 * `--data DIR` on train and eval overrides it.
 */
export const DEFAULT_DATA_DIR = sharedDataDir();

/** The shared fixtures (../shared/fixtures: WordPress and Disqus exports), beside the data folder. */
export const DEFAULT_FIXTURES_DIR = resolve(dirname(DEFAULT_DATA_DIR), 'fixtures');

/** Folds of the cross-validation that chooses the anchors (one YouTube video per fold 0–2). */
export const FOLDS = 5;

/** A labelled comment with the set it belongs to, its fold and which side of the split it is on. */
export interface DataRow extends LabelledComment {
  /** youtube-spam, civil-comments, sms-spam or scamspot. */
  set: string;
  /** The group whose limits the anchors respect: a video for YouTube, else the set. */
  group: string;
  /** Cross-validation fold (0 … FOLDS-1) of a training row. */
  fold: number;
  /** `validation` rows are never trained on nor used to choose anchors: `npm run eval` reports them. */
  split: 'train' | 'validation';
  /** The author is a placeholder ("Reader 12"), so the model must not learn from it. */
  placeholderAuthor: boolean;
}

const YOUTUBE_FILES = ['Youtube01-Psy.csv', 'Youtube02-KatyPerry.csv', 'Youtube03-LMFAO.csv'] as const;

/** Share of each non-YouTube set kept for validation, in tenths (by text or account hash). */
const VALIDATION_TENTHS = 2;

/** Every set, in a fixed order (training is deterministic). `dir` defaults to ../shared/data. */
export function loadSharedData(dir: string = DEFAULT_DATA_DIR): DataRow[] {
  const root = resolve(process.cwd(), dir);
  return [...loadYoutube(root), ...loadCivil(root), ...loadSms(root), ...loadScamspot(root)];
}

/**
 * YouTube: all three videos train; each is its own fold, so cross-validation scores a video with a
 * model that never saw it (the videos' spam repeats within a video, never across).
 */
function loadYoutube(root: string): DataRow[] {
  return YOUTUBE_FILES.flatMap((file, fold) =>
    loadYoutubeCsv(join(root, 'youtube-spam', file)).map((row) => ({
      ...row,
      set: 'youtube-spam',
      group: file.replace(/\.csv$/, ''),
      fold,
      split: 'train' as const,
      placeholderAuthor: false,
    })),
  );
}

/**
 * Civil Comments: published news comments, so ham whatever their toxicity label. The sample has no
 * thread or article id; it is split by a hash of the normalised text, so exact repeats stay on one side.
 */
function loadCivil(root: string): DataRow[] {
  const records = parse(readFileSync(join(root, 'civil-comments', 'civil-comments-5000.csv'), 'utf8'), { bom: true, columns: true, relax_quotes: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r, i) => byHash({ id: `civil-${String(i + 1).padStart(4, '0')}`, author: 'Reader', date: '', content: cleanContent(r.text ?? ''), label: 'ham', source: 'civil-comments-5000.csv' }, 'civil-comments', keyOf(r.text ?? '')));
}

/** SMS Spam Collection: exact repeats dropped (403 rows), then split by a hash of the text. */
function loadSms(root: string): DataRow[] {
  const seen = new Set<string>();
  return loadYoutubeCsv(join(root, 'sms-spam', 'sms-spam.csv'))
    .filter((row) => {
      const key = keyOf(row.content);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((row) => byHash(row, 'sms-spam', keyOf(row.content)));
}

/** ScamSpot: split by Instagram account (every comment under one account on the same side). */
function loadScamspot(root: string): DataRow[] {
  return loadYoutubeCsv(join(root, 'scamspot', 'scamspot.csv')).map((row) => byHash(row, 'scamspot', row.extra?.ACCOUNT ?? row.id));
}

function byHash(row: LabelledComment, set: string, key: string): DataRow {
  const h = fnv1a(key) % 10;
  return { ...row, set, group: set, fold: h % FOLDS, split: h < VALIDATION_TENTHS ? 'validation' : 'train', placeholderAuthor: true };
}

/** Lower-cased with whitespace collapsed: what counts as "the same text" for splitting. */
function keyOf(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** 32-bit FNV-1a: a fixed, platform-independent hash for the splits. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Rows as training examples; the group is the fold, so singleGroupL2 and cross-validation agree.
 * Spam and ham are balanced (spam weighs #ham / #spam): news ham outnumbers every spam set, and
 * unweighted the model stays unsure of spam it ranks well.
 */
export function toTrainingExamples(rows: readonly DataRow[]): TrainingExample[] {
  const spam = rows.filter((r) => r.label === 'spam').length;
  const spamWeight = spam === 0 ? 1 : Math.round(((rows.length - spam) / spam) * 1000) / 1000;
  return rows.map((row) => ({
    input: { body: row.content, authorName: row.placeholderAuthor ? '' : row.author },
    label: row.label,
    group: `fold-${row.fold}`,
    ...(row.label === 'spam' ? { weight: spamWeight } : {}),
  }));
}
