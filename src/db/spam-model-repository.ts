import { LogisticSpamModel, type SpamLabel, type SpamModelSnapshot, type SpamModelUpdate } from '../moderation/classifier/logistic-model';
import type { ClassifierInput } from '../moderation/types';
import { withTransaction, type Pool, type PoolClient } from './pool';

/** A model as stored: the model plus the counters a cache compares to know it is stale. */
export interface StoredSpamModel {
  model: LogisticSpamModel;
  /** Changes when the whole model is replaced (saveSpamModel): caches must reload everything. */
  generation: number;
  /** Grows with every learn: caches re-read the features changed since the version they hold. */
  version: number;
}

/** Header counters, cheap to poll. */
export interface SpamModelStamp {
  generation: number;
  version: number;
}

interface HeaderRow {
  format: string;
  feature_version: number;
  tokenizer: SpamModelSnapshot['tokenizer'];
  bias: number;
  learning_rate: number;
  generation: number;
  version: string;
}

interface FeatureRow {
  feature: string;
  weight: number;
  seen: number;
}

const HEADER_COLUMNS = 'format, feature_version, tokenizer, bias, learning_rate, generation, version';

/** Generation and version of the stored model, or null when none is stored. */
export async function readSpamModelStamp(pool: Pool | PoolClient): Promise<SpamModelStamp | null> {
  const { rows } = await pool.query<{ generation: number; version: string }>('SELECT generation, version FROM spam_model');
  const row = rows[0];
  return row ? { generation: row.generation, version: Number(row.version) } : null;
}

/** The whole stored model, or null when the database has none yet. */
export async function loadSpamModel(pool: Pool): Promise<StoredSpamModel | null> {
  return withTransaction(pool, async (client) => {
    // One snapshot for header and features (REPEATABLE READ), so a learn between them cannot tear it.
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const header = (await client.query<HeaderRow>(`SELECT ${HEADER_COLUMNS} FROM spam_model`)).rows[0];
    if (!header) return null;
    const { rows } = await client.query<FeatureRow>('SELECT feature, weight, seen FROM spam_model_features');
    const model = LogisticSpamModel.fromJSON({ ...toSnapshotHeader(header), features: [] });
    for (const row of rows) model.set(row.feature, row.weight, row.seen);
    return { model, generation: header.generation, version: Number(header.version) };
  });
}

/** Features changed by learning after `sinceVersion`, with their current weights and counts. */
export async function listSpamFeaturesSince(pool: Pool, sinceVersion: number): Promise<{ feature: string; weight: number; seen: number }[]> {
  const { rows } = await pool.query<FeatureRow>('SELECT feature, weight, seen FROM spam_model_features WHERE version > $1', [sinceVersion]);
  return rows;
}

/**
 * Replaces the stored model with `snapshot` (a retrained model) in one transaction; bumps the
 * generation so every worker reloads it.
 */
export async function saveSpamModel(pool: Pool, snapshot: SpamModelSnapshot): Promise<SpamModelStamp> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ generation: number; version: string }>('SELECT generation, version FROM spam_model FOR UPDATE');
    const stamp = rows[0] ? { generation: rows[0].generation + 1, version: Number(rows[0].version) + 1 } : { generation: 1, version: 0 };
    await client.query('DELETE FROM spam_model');
    await insertSnapshot(client, snapshot, stamp);
    return stamp;
  });
}

/**
 * Stores `snapshot` if the database has no model yet (first start), or holds one this code cannot
 * read (its features were built by another tokenizer version, after an upgrade); returns whether
 * it stored it. Safe when several workers start at once: the losers' inserts wait on the winner's
 * primary key, then do nothing.
 */
export async function ensureSpamModelSeeded(pool: Pool, snapshot: SpamModelSnapshot): Promise<boolean> {
  const stored = await pool.query<{ feature_version: number; format: string }>('SELECT feature_version, format FROM spam_model');
  const current = stored.rows[0];
  if (current && current.feature_version === snapshot.featureVersion && current.format === snapshot.format) return false;
  if (current) {
    await saveSpamModel(pool, snapshot);
    return true;
  }
  return withTransaction(pool, async (client) => {
    const inserted = await insertHeader(client, snapshot, { generation: 1, version: 0 }, 'ON CONFLICT (id) DO NOTHING');
    if (!inserted) return false;
    await client.query('DELETE FROM spam_model_features');
    await insertFeatures(client, snapshot.features, 0);
    return true;
  });
}

/**
 * Teaches the stored model one labelled comment and returns the update (for the caller's cache)
 * with the new version. Serialised on the header row, and computed from the weights as stored
 * (not a worker's possibly stale copy), so concurrent learners compose exactly. With `key`, a
 * lesson already learnt under that key is skipped (returns null): retried jobs teach once.
 */
export async function learnSpamModel(
  pool: Pool,
  input: ClassifierInput,
  label: SpamLabel,
  opts: { key?: string } = {},
): Promise<{ update: SpamModelUpdate; version: number } | null> {
  return withTransaction(pool, async (client) => {
    const header = (await client.query<HeaderRow>(`SELECT ${HEADER_COLUMNS} FROM spam_model FOR UPDATE`)).rows[0];
    if (!header) throw new Error('no spam model is stored: seed it first (ensureSpamModelSeeded)');
    const version = Number(header.version) + 1;
    if (opts.key !== undefined) {
      const lesson = await client.query('INSERT INTO spam_model_lessons (key, label, version) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [
        opts.key,
        label,
        version,
      ]);
      if (lesson.rowCount === 0) return null;
    }
    // A model holding just this comment's features, as stored, computes the exact step.
    const local = LogisticSpamModel.fromJSON({ ...toSnapshotHeader(header), features: [] });
    const features = local.features(input);
    const { rows } = await client.query<FeatureRow>('SELECT feature, weight, seen FROM spam_model_features WHERE feature = ANY($1::text[])', [features]);
    for (const row of rows) local.set(row.feature, row.weight, row.seen);
    const update = local.learn(input, label);
    await client.query(
      `INSERT INTO spam_model_features (feature, weight, seen, version)
       SELECT feature, weight, 1, $3 FROM unnest($1::text[], $2::float8[]) AS d(feature, weight)
       ON CONFLICT (feature) DO UPDATE
         SET weight = spam_model_features.weight + EXCLUDED.weight,
             seen = spam_model_features.seen + 1,
             version = EXCLUDED.version`,
      [update.deltas.map((d) => d.feature), update.deltas.map((d) => d.weight), version],
    );
    await client.query('UPDATE spam_model SET version = $1, updated_at = now()', [version]);
    return { update, version };
  });
}

function toSnapshotHeader(row: HeaderRow): Omit<SpamModelSnapshot, 'features'> {
  return {
    format: row.format as SpamModelSnapshot['format'],
    featureVersion: row.feature_version,
    tokenizer: row.tokenizer,
    bias: row.bias,
    learningRate: row.learning_rate,
  };
}

async function insertSnapshot(client: PoolClient, snapshot: SpamModelSnapshot, stamp: SpamModelStamp): Promise<void> {
  await insertHeader(client, snapshot, stamp, '');
  await client.query('DELETE FROM spam_model_features');
  await insertFeatures(client, snapshot.features, stamp.version);
}

async function insertHeader(client: PoolClient, s: SpamModelSnapshot, stamp: SpamModelStamp, onConflict: string): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO spam_model (format, feature_version, tokenizer, bias, learning_rate, generation, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ${onConflict}`,
    [s.format, s.featureVersion, JSON.stringify(s.tokenizer), s.bias, s.learningRate, stamp.generation, stamp.version],
  );
  return result.rowCount === 1;
}

/** Inserts features in batches (one statement per batch, arrays as parameters). */
async function insertFeatures(client: PoolClient, features: SpamModelSnapshot['features'], version: number): Promise<void> {
  const BATCH = 5000;
  for (let start = 0; start < features.length; start += BATCH) {
    const batch = features.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO spam_model_features (feature, weight, seen, version)
       SELECT feature, weight, seen, $4 FROM unnest($1::text[], $2::float8[], $3::float8[]) AS f(feature, weight, seen)`,
      [batch.map((f) => f[0]), batch.map((f) => f[1]), batch.map((f) => f[2]), version],
    );
  }
}
