import type { Pool } from '../db/pool';
import type { FeatureRow } from '../db/text-model-repository';
import type { ModelStore, SeedOutcome, StoredSnapshot } from './model-store';

/** A process's in-memory copy of a stored text model, kept fresh. */
export interface StoredModelCache<M> {
  /** The current copy (replaced when the stored model is; changed in place by lessons). */
  current(): M;
  /** Sets rows a lesson just wrote, so this process uses them before its next refresh. */
  apply(rows: readonly FeatureRow[]): void;
  /** Pulls what other processes learnt (or a replaced model); a cheap poll when nothing changed. */
  refresh(): Promise<void>;
  /** Stops the refresh timer. Does not end the pool, which the caller owns. */
  close(): void;
}

export interface StoredModelCacheOptions<S> {
  /** How often to poll Postgres for changes; 0 disables the timer (call refresh yourself). */
  refreshMs: number;
  /** Stored first if the database has no (readable) model: the shipped model. */
  seed?: S;
  /** Called when a timed refresh fails; the old copy keeps serving meanwhile. */
  onRefreshError?: (err: unknown) => void;
  /** Told what seeding did (stored the shipped model, found it, or kept another). */
  onSeed?: (outcome: SeedOutcome) => void;
}

/**
 * Loads a stored model (seeding it from `seed` when the database has none) and keeps the copy fresh:
 * every `refreshMs` it reads the header's counters, and re-reads only the features learnt since the
 * version it holds, or everything when the model was replaced. Throws if no model is stored and no
 * seed is given. The spam model and the civility model are both held this way.
 */
export async function createStoredModelCache<M extends { set(feature: string, weight: number, count: number): void }, S extends StoredSnapshot>(
  pool: Pool,
  store: Pick<ModelStore<M, S>, 'tables' | 'ensureSeeded' | 'load' | 'readStamp' | 'featuresSince'>,
  opts: StoredModelCacheOptions<S>,
): Promise<StoredModelCache<M>> {
  if (opts.seed) {
    const outcome = await store.ensureSeeded(pool, opts.seed);
    opts.onSeed?.(outcome);
  }
  const initial = await store.load(pool);
  if (!initial) throw new Error(`no model is stored in ${store.tables.header} and no seed was given`);
  let model = initial.model;
  let generation = initial.generation;
  let version = initial.version;
  let refreshing: Promise<void> | null = null;

  const refreshOnce = async (): Promise<void> => {
    const stamp = await store.readStamp(pool);
    if (!stamp || (stamp.generation === generation && stamp.version <= version)) return;
    if (stamp.generation !== generation) {
      const stored = await store.load(pool);
      if (!stored) return;
      ({ model, generation, version } = stored);
      return;
    }
    // Absolute values, so re-reading a feature already applied locally is harmless.
    for (const row of await store.featuresSince(pool, version)) model.set(row.feature, row.weight, row.seen);
    version = stamp.version;
  };
  // One refresh at a time: a slow database must not pile up overlapping reloads.
  const refresh = (): Promise<void> => {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };
  const timer =
    opts.refreshMs > 0
      ? setInterval(() => {
          refresh().catch((err: unknown) => opts.onRefreshError?.(err));
        }, opts.refreshMs)
      : null;
  timer?.unref();

  return {
    current: () => model,
    // The stored weights, set here now; `version` is left alone so the next refresh still reads
    // every feature changed since, including these (as absolute values).
    apply(rows) {
      for (const row of rows) model.set(row.feature, row.weight, row.seen);
    },
    refresh,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
