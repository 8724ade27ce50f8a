import type { TrainingExample } from '../../src/models/train-model';
import type { ClassifierInput } from '../../src/moderation/types';
import { join } from 'node:path';
import { DEFAULT_DATA_DIR } from './shared-data';
import { type LabelledComment, loadYoutubeCsv } from './youtube-csv';

/**
 * The three YouTube videos, read from the shared data folder (the project keeps no copy). The
 * shipped model is trained on them and the other sets there: see ./shared-data.ts.
 */
export const SHIPPED_TRAINING_FILES = ['Youtube01-Psy.csv', 'Youtube02-KatyPerry.csv', 'Youtube03-LMFAO.csv'].map((file) =>
  join(DEFAULT_DATA_DIR, 'youtube-spam', file),
);

/**
 * What the model reads of a dataset row. No email: the dataset has none, and a placeholder seen in
 * every training comment would be learnt as a second bias that real emails then lack.
 */
export function toClassifierInput(row: LabelledComment): ClassifierInput {
  return { body: row.content, authorName: row.author };
}

/** Loads labelled files as training examples, one group per file (video). */
export function loadTrainingExamples(paths: readonly string[]): TrainingExample[] {
  return paths.flatMap((path) => loadYoutubeCsv(path).map((row) => ({ input: toClassifierInput(row), label: row.label, group: row.source })));
}
