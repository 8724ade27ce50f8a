import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Pool } from '../db/pool';
import { CIVILITY_MODEL_TABLES } from '../db/text-model-repository';
import type { Logger } from '../logger';
import { CivilityModel, type CivilityInput, type CivilityLabel, type CivilityScorer, type CivilitySnapshot } from './civility-model';
import { createModelStore, type ModelKind, type ModelStore } from './model-store';
import { createStoredModelCache } from './stored-model-cache';

export {
  CIVILITY_ATTRIBUTES,
  CivilityModel,
  type AssessOptions,
  type CivilityAssessment,
  type CivilityAttribute,
  type CivilityInput,
  type CivilityLabel,
  type CivilityScorer,
  type CivilitySnapshot,
} from './civility-model';

/** Where `npm run train` writes the civility model the project ships (resolved from the working directory). */
export const CIVILITY_MODEL_PATH = 'models/civility-model.json';

/** The civility model as a kind of stored text model. */
export const CIVILITY_MODEL_KIND: ModelKind<CivilityModel, CivilitySnapshot, CivilityInput, CivilityLabel> = {
  fromJSON: (snapshot) => CivilityModel.fromJSON(snapshot),
};

/** The civility model's store: the same store as the spam model's, on its own tables (migrations/0021). */
export const civilityModelStore: ModelStore<CivilityModel, CivilitySnapshot, CivilityInput, CivilityLabel> = createModelStore(CIVILITY_MODEL_TABLES, CIVILITY_MODEL_KIND);

/** Reads the shipped civility model's snapshot. */
export function readShippedCivilityModel(path: string = resolve(process.cwd(), CIVILITY_MODEL_PATH)): CivilitySnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as CivilitySnapshot;
}

/** The shipped civility model, ready to assess (eval, bench, the rule tester without a database). */
export function loadShippedCivilityModel(path?: string): CivilityModel {
  return CivilityModel.fromJSON(readShippedCivilityModel(path));
}

/** A process's civility scorer: the site's stored model, kept fresh. */
export interface SharedCivilityScorer extends CivilityScorer {
  /** Pulls what other processes learnt; a cheap poll when nothing changed. */
  refresh(): Promise<void>;
  /** Stops the refresh timer (the pool is the caller's). */
  close(): void;
}

/**
 * The site's stored civility model (seeded from the shipped file on first start, or replacing a
 * shipped one nobody has taught, like the spam model), refreshed every `refreshMs`. Throws when
 * neither a stored nor a shipped model exists.
 */
export async function loadCivilityScorer(pool: Pool, log: Logger, refreshMs: number): Promise<SharedCivilityScorer> {
  const shipped = resolve(process.cwd(), CIVILITY_MODEL_PATH);
  const cache = await createStoredModelCache(pool, civilityModelStore, {
    refreshMs,
    seed: existsSync(shipped) ? readShippedCivilityModel(shipped) : undefined,
    onRefreshError: (err) => log.debug({ err: (err as Error).message }, 'civility model refresh failed'),
    onSeed: (outcome) => {
      if (outcome.action === 'seeded') log.info('civility model: stored the shipped model');
      if (outcome.action === 'kept') log.warn({ reason: outcome.reason, lessonsSinceSeed: outcome.lessonsSinceSeed }, 'civility model: the shipped model is newer than the stored one, which is kept');
    },
  });
  return {
    assess: (text, opts) => cache.current().assess(text, opts),
    refresh: () => cache.refresh(),
    close: () => cache.close(),
  };
}

/**
 * Teaches the stored model one moderator decision: `civil` (a held comment approved) or `abusive`
 * ("hold as abusive"). Keyed like the spam model's lessons (`review:<comment id>`): a retry teaches
 * nothing twice, and a lesson with the other label under the same key replaces the first exactly.
 * Each lesson moves the comment's own toxicity log-odds by at most MAX_LESSON_SHIFT. Processes pick
 * it up on their next refresh.
 */
export async function teachCivility(pool: Pool, lesson: { text: string; label: CivilityLabel; key: string }): Promise<void> {
  await civilityModelStore.learn(pool, { text: lesson.text }, lesson.label, { key: lesson.key });
}

/** Takes back exactly what the lesson under `key` taught (undo, restore); nothing when there is none. */
export async function takeBackCivilityLesson(pool: Pool, key: string): Promise<void> {
  await civilityModelStore.forget(pool, key);
}
