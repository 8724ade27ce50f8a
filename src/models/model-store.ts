import { createHash } from 'node:crypto';
import { withTransaction, type Pool, type PoolClient } from '../db/pool';
import {
  addModelDeltas,
  deleteModelHeader,
  deleteModelLesson,
  insertModelHeader,
  insertModelLesson,
  readModelFeatures,
  readModelFeaturesSince,
  readModelHeader,
  readModelLesson,
  readModelStamp,
  replaceModelFeatures,
  SPAM_MODEL_TABLES,
  useSnapshotReads,
  type FeatureRow,
  type LessonRow,
  type ModelHeaderRow,
  type ModelStamp,
  type ModelTables,
} from '../db/text-model-repository';
import { DELTA_UNIT, LogisticSpamModel, type SpamLabel, type SpamModelSnapshot, type SpamModelUpdate } from './logistic-model';
import type { ClassifierInput } from '../moderation/types';

/** A model as stored: the model plus the counters a cache compares to know it is stale. */
export interface StoredModel<M = LogisticSpamModel> extends ModelStamp {
  model: M;
}

/** What every stored text model's snapshot has: the header's fields and `[feature, weight, seen]` rows. */
export interface StoredSnapshot {
  format: string;
  featureVersion: number;
  tokenizer: object;
  bias: number;
  learningRate: number;
  features: [string, number, number][];
}

/** A model the store can rebuild, teach and serialise. */
export interface LearnableModel<I, L extends string> {
  /** The stored feature rows a lesson on `input` reads (and may move). */
  features(input: I): string[];
  set(feature: string, weight: number, count: number): void;
  /** One bounded online step; the deltas are what the store adds to the stored weights. */
  learn(input: I, label: L): { label: L; deltas: { feature: string; weight: number }[] };
}

/**
 * A kind of text model (the spam model, the civility model): how to rebuild one from a snapshot.
 * The store is the same for every kind; only this differs.
 */
export interface ModelKind<M extends LearnableModel<I, L>, S extends StoredSnapshot, I, L extends string> {
  fromJSON(snapshot: S): M;
}

/** The spam model as a kind of stored model. */
export const SPAM_MODEL_KIND: ModelKind<LogisticSpamModel, SpamModelSnapshot, ClassifierInput, SpamLabel> = {
  fromJSON: (snapshot) => LogisticSpamModel.fromJSON(snapshot),
};

/** What ensureSeeded did: stored the seed (`seeded`), found it there (`current`), or kept another model. */
export type SeedOutcome =
  | { action: 'seeded' | 'current' }
  /**
   * The shipped model is not the stored one, which was kept: moderators have taught it since it was
   * seeded (`taught`, with how many lessons), or it is a model of the site's own (save).
   */
  | { action: 'kept'; reason: 'taught' | 'own_model'; lessonsSinceSeed: number };

/** One stored text model's life in Postgres: load, replace, seed from the shipped file, learn. */
export interface ModelStore<M = LogisticSpamModel, S extends StoredSnapshot = SpamModelSnapshot, I = ClassifierInput, L extends string = SpamLabel> {
  readonly tables: ModelTables;
  /** Generation and version of the stored model, or null when none is stored. */
  readStamp(pool: Pool): Promise<ModelStamp | null>;
  /** The whole stored model (one snapshot of header and features), or null when none is stored. */
  load(pool: Pool): Promise<StoredModel<M> | null>;
  /** Features changed by lessons after `sinceVersion`, with their current weights and counts. */
  featuresSince(pool: Pool, sinceVersion: number): Promise<FeatureRow[]>;
  /** Replaces the stored model with `snapshot` (a retrained model, the site's own); every process reloads it. */
  save(pool: Pool, snapshot: S): Promise<ModelStamp>;
  /** Makes the stored model the shipped `snapshot` where that loses nothing (see below). */
  ensureSeeded(pool: Pool, snapshot: S): Promise<SeedOutcome>;
  /** Replaces the stored model with the shipped `snapshot` whatever it has learnt (`npm run model:replace`). */
  replaceWithShipped(pool: Pool, snapshot: S): Promise<ModelStamp>;
  /**
   * Teaches one labelled comment; null when the lesson under `key` already says this label (a
   * retry). A lesson under `key` with the other label is taken back first ("not spam" after "spam").
   * `rows` are the changed features' new stored weights and counts.
   */
  learn(pool: Pool, input: I, label: L, opts?: { key?: string }): Promise<{ update: { label: L; deltas: SpamModelUpdate['deltas'] }; version: number; rows: FeatureRow[] } | null>;
  /**
   * Takes back exactly what the lesson under `key` taught (undo, restore), and forgets it; null when
   * there is none, or it was taught to a model since replaced, or stored before lessons kept deltas.
   */
  forget(pool: Pool, key: string): Promise<{ version: number; rows: FeatureRow[] } | null>;
}

/** A lesson's deltas as stored: whole units of DELTA_UNIT. */
function toUnits(update: Pick<SpamModelUpdate, 'deltas'>): [string, number][] {
  return update.deltas.map((d) => [d.feature, Math.round(d.weight / DELTA_UNIT)]);
}

/** seed_digest of a model saved without a digest: a site's own, never replaced at start. */
const OWN_MODEL = 'own';

/** The shipped model's identity: a digest of its content. */
export function snapshotDigest(snapshot: StoredSnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 32);
}

function snapshotHeader<S extends StoredSnapshot>(row: ModelHeaderRow): Omit<S, 'features'> {
  return {
    format: row.format,
    featureVersion: row.featureVersion,
    tokenizer: row.tokenizer as object,
    bias: row.bias,
    learningRate: row.learningRate,
  } as Omit<S, 'features'>;
}

/** The store of the text model kept in `tables`, of the given kind (the spam model's by default). */
export function createModelStore(tables: ModelTables): ModelStore;
export function createModelStore<M extends LearnableModel<I, L>, S extends StoredSnapshot, I, L extends string>(tables: ModelTables, kind: ModelKind<M, S, I, L>): ModelStore<M, S, I, L>;
export function createModelStore<M extends LearnableModel<I, L>, S extends StoredSnapshot, I, L extends string>(
  tables: ModelTables,
  kind: ModelKind<M, S, I, L> = SPAM_MODEL_KIND as unknown as ModelKind<M, S, I, L>,
): ModelStore<M, S, I, L> {
  const fromHeader = (header: ModelHeaderRow): M => kind.fromJSON({ ...snapshotHeader<S>(header), features: [] } as unknown as S);
  const replace = (pool: Pool, snapshot: S, seedDigest: string) =>
    withTransaction(pool, async (client) => {
      const current = await readModelHeader(client, tables, { forUpdate: true });
      const stamp = current ? { generation: current.generation + 1, version: current.version + 1 } : { generation: 1, version: 0 };
      await deleteModelHeader(client, tables);
      await insertModelHeader(client, tables, snapshot, stamp, seedDigest);
      await replaceModelFeatures(client, tables, snapshot.features, stamp.version);
      return stamp;
    });

  return {
    tables,
    readStamp: (pool) => readModelStamp(pool, tables),

    load: (pool) =>
      withTransaction(pool, async (client) => {
        await useSnapshotReads(client);
        const header = await readModelHeader(client, tables);
        if (!header) return null;
        const model = fromHeader(header);
        for (const row of await readModelFeatures(client, tables)) model.set(row.feature, row.weight, row.seen);
        return { model, generation: header.generation, version: header.version };
      }),

    featuresSince: (pool, sinceVersion) => readModelFeaturesSince(pool, tables, sinceVersion),

    save: (pool, snapshot) => replace(pool, snapshot, OWN_MODEL),

    /**
     * - no model yet (first start), or one this code cannot read (built by another tokenizer version,
     *   after an upgrade) → stored;
     * - a model seeded from an older shipped model (another digest) that nobody has taught since (its
     *   version is the one it was seeded at) → replaced, so an upgrade brings the retrained weights
     *   that the new thresholds were chosen for;
     * - one moderators have taught since, or the site's own → kept: their lessons are not thrown away
     *   behind their back; `npm run model:replace` does that on purpose.
     * Safe when several processes start at once: the losers' inserts wait on the winner's primary key,
     * then do nothing; replacements serialise on the header row.
     */
    async ensureSeeded(pool, snapshot) {
      const digest = snapshotDigest(snapshot);
      const stored = await readModelHeader(pool, tables);
      if (!stored) {
        const inserted = await withTransaction(pool, async (client) => {
          if (!(await insertModelHeader(client, tables, snapshot, { generation: 1, version: 0 }, digest, { ifNone: true }))) return false;
          await replaceModelFeatures(client, tables, snapshot.features, 0);
          return true;
        });
        return { action: inserted ? 'seeded' : 'current' };
      }
      const keep = (row: ModelHeaderRow): SeedOutcome | null => {
        if (row.seedDigest === digest) return { action: 'current' };
        const readable = row.featureVersion === snapshot.featureVersion && row.format === snapshot.format;
        if (!readable) return null;
        // Seeded before seed digests were kept: seed_version is null, and it was seeded at version 0.
        const lessons = row.version - (row.seedVersion ?? 0);
        if (row.seedDigest === OWN_MODEL) return { action: 'kept', reason: 'own_model', lessonsSinceSeed: lessons };
        return lessons > 0 ? { action: 'kept', reason: 'taught', lessonsSinceSeed: lessons } : null;
      };
      const early = keep(stored);
      if (early) return early;
      // Decided again on the locked row: another process starting at once, or a lesson, may have come first.
      return withTransaction(pool, async (client) => {
        const row = await readModelHeader(client, tables, { forUpdate: true });
        const kept = row ? keep(row) : null;
        if (!row || kept) return kept ?? { action: 'current' };
        await deleteModelHeader(client, tables);
        const stamp = { generation: row.generation + 1, version: row.version + 1 };
        await insertModelHeader(client, tables, snapshot, stamp, digest);
        await replaceModelFeatures(client, tables, snapshot.features, stamp.version);
        return { action: 'seeded' };
      });
    },

    replaceWithShipped: (pool, snapshot) => replace(pool, snapshot, snapshotDigest(snapshot)),

    /**
     * Serialised on the header row, and computed from the weights as stored (not a process's possibly
     * stale copy), so concurrent learners compose exactly: a model holding just this comment's
     * features, as stored, computes the exact step, and the deltas are added to the stored weights.
     */
    learn: (pool, input, label, opts = {}) =>
      withTransaction(pool, async (client) => {
        const header = await readModelHeader(client, tables, { forUpdate: true });
        if (!header) throw new Error(`no model is stored in ${tables.header}: seed it first (ensureSeeded)`);
        const version = header.version + 1;
        const rows: FeatureRow[] = [];
        if (opts.key !== undefined) {
          const prior = await readModelLesson(client, tables, opts.key);
          if (prior?.label === label) return null;
          if (prior) {
            rows.push(...(await takeBack(client, header, prior, version)));
            await deleteModelLesson(client, tables, opts.key);
          }
        }
        const local = fromHeader(header);
        for (const row of await readModelFeatures(client, tables, local.features(input))) local.set(row.feature, row.weight, row.seen);
        const update = local.learn(input, label);
        const units = toUnits(update);
        rows.push(...(await addModelDeltas(client, tables, units, version)));
        if (opts.key !== undefined) await insertModelLesson(client, tables, opts.key, label, version, units);
        return { update, version, rows };
      }),

    forget: (pool, key) =>
      withTransaction(pool, async (client) => {
        const header = await readModelHeader(client, tables, { forUpdate: true });
        if (!header) return null;
        const prior = await readModelLesson(client, tables, key);
        if (!prior) return null;
        const version = header.version + 1;
        const rows = await takeBack(client, header, prior, version);
        await deleteModelLesson(client, tables, key);
        return rows.length ? { version, rows } : null;
      }),
  };

  /** Subtracts a stored lesson's deltas, when they were added to the model stored now. */
  async function takeBack(client: PoolClient, header: ModelHeaderRow, lesson: LessonRow, version: number): Promise<FeatureRow[]> {
    const taughtToThisModel = lesson.version > (header.seedVersion ?? 0);
    if (!lesson.deltas || lesson.deltas.length === 0 || !taughtToThisModel) return [];
    return addModelDeltas(client, tables, lesson.deltas, version, -1);
  }
}

/** The spam model's store. */
export const spamModelStore: ModelStore = createModelStore(SPAM_MODEL_TABLES);
