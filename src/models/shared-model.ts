import type { LogisticSpamModel, SpamLabel, SpamModelSnapshot } from './logistic-model';
import type { ClassifierInput, SpamClassifier } from '../moderation/types';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../logger';
import { readShippedModel, SHIPPED_MODEL_PATH } from './shipped-model';
import type { Pool } from '../db/pool';
import { spamModelStore, type ModelStore, type SeedOutcome } from './model-store';
import { createStoredModelCache } from './stored-model-cache';

/** The spam model as a worker holds it: an in-memory copy of the shared Postgres model. */
export interface SharedClassifier {
  /** Classifies with the current in-memory copy; stays valid across reloads. */
  readonly classifier: SpamClassifier;
  /**
   * Teaches Postgres and, at once, this process's copy. `key` names the decision: a retried lesson
   * is a no-op, a lesson with the other label replaces the one under the key, and `label` null takes
   * the lesson under the key back exactly (undo, restore).
   */
  learn(input: ClassifierInput, label: SpamLabel | null, opts?: { key?: string }): Promise<void>;
  /** Pulls what other workers learnt (or a replaced model); a cheap poll when nothing changed. */
  refresh(): Promise<void>;
  /** Stops the refresh timer. Does not end the pool, which the caller owns. */
  close(): void;
}

export interface SharedClassifierOptions {
  /** How often to poll Postgres for changes; 0 disables the timer (call refresh yourself). */
  refreshMs: number;
  /** Stored first if the database has no (readable) model: the shipped model. */
  seed?: SpamModelSnapshot;
  /** Called when a timed refresh fails; the old copy keeps serving meanwhile. */
  onRefreshError?: (err: unknown) => void;
  /** Told what seeding did (stored the shipped model, found it, or kept another). */
  onSeed?: (outcome: SeedOutcome) => void;
}

/**
 * Loads the shared model (seeding it from `seed` when the database has none) and keeps the copy
 * fresh: every `refreshMs` it reads the header's counters, and re-reads only the features learnt
 * since the version it holds, or everything when the model was replaced. Throws if no model is
 * stored and no seed is given.
 */
export async function createSharedClassifier(pool: Pool, opts: SharedClassifierOptions, store: ModelStore = spamModelStore): Promise<SharedClassifier> {
  if (!opts.seed && !(await store.readStamp(pool))) throw new Error('no spam model is stored and no seed was given');
  const cache = await createStoredModelCache<LogisticSpamModel, SpamModelSnapshot>(pool, store, opts);
  return {
    classifier: { classify: (input) => cache.current().classify(input) },
    async learn(input, label, learnOpts = {}) {
      if (label === null && learnOpts.key === undefined) return;
      const learnt = label === null ? await store.forget(pool, learnOpts.key ?? '') : await store.learn(pool, input, label, learnOpts);
      if (learnt) cache.apply(learnt.rows);
    },
    refresh: () => cache.refresh(),
    close: () => cache.close(),
  };
}

/**
 * The shared model for a process (API or worker), seeded from the shipped model file when the
 * database has none. Undefined when neither exists: callers then run without a model (the
 * classifier check sends comments to a human with `spam_check_unavailable`).
 */
export async function loadSharedClassifier(pool: Pool, log: Logger, refreshMs: number): Promise<SharedClassifier | undefined> {
  try {
    const shippedPath = resolve(process.cwd(), SHIPPED_MODEL_PATH);
    return await createSharedClassifier(pool, {
      refreshMs,
      seed: existsSync(shippedPath) ? readShippedModel(shippedPath) : undefined,
      onRefreshError: (err) => log.debug({ err: (err as Error).message }, 'spam model refresh failed'),
      onSeed: (outcome) => {
        if (outcome.action === 'seeded') log.info('spam model: stored the shipped model');
        if (outcome.action === 'kept') {
          log.warn(
            { reason: outcome.reason, lessonsSinceSeed: outcome.lessonsSinceSeed },
            'spam model: the shipped model is newer than the stored one, which is kept (npm run model:replace takes the shipped one and drops what moderators taught)',
          );
        }
      },
    });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'spam model not loaded');
    return undefined;
  }
}
