import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LogisticSpamModel, type SpamModelSnapshot } from './logistic-model';
import type { StoredSnapshot } from './model-store';

/**
 * Where `npm run train` writes the model the project ships. Resolved from the working directory,
 * not __dirname: tests run the TypeScript sources and production runs dist/, but both start in the
 * project root.
 */
export const SHIPPED_MODEL_PATH = 'models/spam-model.json';

/** Reads the shipped snapshot (used to seed Postgres and by `npm run eval`). */
export function readShippedModel(path: string = resolve(process.cwd(), SHIPPED_MODEL_PATH)): SpamModelSnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as SpamModelSnapshot;
}

/** The shipped model, ready to classify. */
export function loadShippedModel(path?: string): LogisticSpamModel {
  return LogisticSpamModel.fromJSON(readShippedModel(path));
}

/** The file's text: JSON with one feature per line, so a retrained model diffs readably. */
export function formatSnapshot(snapshot: StoredSnapshot): string {
  const { features, ...header } = snapshot;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  return `${head},\n  "features": [\n${features.map((f) => `    ${JSON.stringify(f)}`).join(',\n')}\n  ]\n}\n`;
}
