import { createHash } from 'node:crypto';
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
export async function saveSpamModel(pool: Pool, snapshot: SpamModelSnapshot, seedDigest: string = OWN_MODEL): Promise<SpamModelStamp> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ generation: number; version: string }>('SELECT generation, version FROM spam_model FOR UPDATE');
    const stamp = rows[0] ? { generation: rows[0].generation + 1, version: Number(rows[0].version) + 1 } : { generation: 1, version: 0 };
    await client.query('DELETE FROM spam_model');
    await insertSnapshot(client, snapshot, stamp, seedDigest);
    return stamp;
  });
}

/** What ensureSpamModelSeeded did: stored the seed (`seeded`), found it there (`current`), or kept another model. */
export type SeedOutcome =
  | { action: 'seeded' | 'current' }
  /**
   * The shipped model is not the stored one, which was kept: moderators have taught it since it was
   * seeded (`taught`, with how many lessons), or it is a model of the site's own (saveSpamModel).
   */
  | { action: 'kept'; reason: 'taught' | 'own_model'; lessonsSinceSeed: number };

/** seed_digest of a model saved by saveSpamModel without a digest: a site's own, never replaced at start. */
const OWN_MODEL = 'own';

/**
 * Makes the stored model the shipped `snapshot` where that loses nothing:
 * - no model yet (first start), or one this code cannot read (built by another tokenizer
 *   version, after an upgrade) → stored;
 * - a model seeded from an older shipped model (another digest) that nobody has taught since
 *   (its version is the one it was seeded at) → replaced, so an upgrade brings the retrained
 *   weights that the new thresholds were chosen for;
 * - one moderators have taught since → kept (`kept_taught`): their lessons are not thrown away
 *   behind their back; `npm run model:replace` does that on purpose.
 * Safe when several workers start at once: the losers' inserts wait on the winner's primary key,
 * then do nothing; replacements serialise on the header row.
 */
export async function ensureSpamModelSeeded(pool: Pool, snapshot: SpamModelSnapshot): Promise<SeedOutcome> {
  const digest = snapshotDigest(snapshot);
  const stored = (await pool.query<SeedRow>('SELECT feature_version, format, version, seed_digest, seed_version FROM spam_model')).rows[0];
  if (!stored) {
    const inserted = await withTransaction(pool, async (client) => {
      if (!(await insertHeader(client, snapshot, { generation: 1, version: 0 }, digest, 'ON CONFLICT (id) DO NOTHING'))) return false;
      await client.query('DELETE FROM spam_model_features');
      await insertFeatures(client, snapshot.features, 0);
      return true;
    });
    return { action: inserted ? 'seeded' : 'current' };
  }
  const readable = stored.feature_version === snapshot.featureVersion && stored.format === snapshot.format;
  const keep = (row: SeedRow): SeedOutcome | null => {
    if (row.seed_digest === digest) return { action: 'current' };
    if (!readable) return null;
    // Seeded before seed digests were kept: seed_version is null, and it was seeded at version 0.
    const lessons = Number(row.version) - Number(row.seed_version ?? 0);
    if (row.seed_digest === OWN_MODEL) return { action: 'kept', reason: 'own_model', lessonsSinceSeed: lessons };
    return lessons > 0 ? { action: 'kept', reason: 'taught', lessonsSinceSeed: lessons } : null;
  };
  const early = keep(stored);
  if (early) return early;
  // Decided again on the locked row: another worker starting at once, or a lesson, may have come first.
  return withTransaction(pool, async (client) => {
    const row = (await client.query<SeedRow & { generation: number }>('SELECT feature_version, format, version, seed_digest, seed_version, generation FROM spam_model FOR UPDATE')).rows[0];
    const kept = row ? keep(row) : null;
    if (!row || kept) return kept ?? { action: 'current' };
    await client.query('DELETE FROM spam_model');
    await insertSnapshot(client, snapshot, { generation: row.generation + 1, version: Number(row.version) + 1 }, digest);
    return { action: 'seeded' };
  });
}

/** Replaces the stored model with the shipped `snapshot` whatever it has learnt (`npm run model:replace`). */
export async function replaceWithShippedModel(pool: Pool, snapshot: SpamModelSnapshot): Promise<SpamModelStamp> {
  return saveSpamModel(pool, snapshot, snapshotDigest(snapshot));
}

interface SeedRow {
  feature_version: number;
  format: string;
  version: string;
  seed_digest: string | null;
  seed_version: string | null;
}

/** The shipped model's identity: a digest of its content. */
export function snapshotDigest(snapshot: SpamModelSnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 32);
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

async function insertSnapshot(client: PoolClient, snapshot: SpamModelSnapshot, stamp: SpamModelStamp, seedDigest: string): Promise<void> {
  await insertHeader(client, snapshot, stamp, seedDigest, '');
  await client.query('DELETE FROM spam_model_features');
  await insertFeatures(client, snapshot.features, stamp.version);
}

/** The header row; `seedDigest` names the shipped model it is (OWN_MODEL: a site's own), stored at `stamp.version`. */
async function insertHeader(client: PoolClient, s: SpamModelSnapshot, stamp: SpamModelStamp, seedDigest: string, onConflict: string): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO spam_model (format, feature_version, tokenizer, bias, learning_rate, generation, version, seed_digest, seed_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ${onConflict}`,
    [s.format, s.featureVersion, JSON.stringify(s.tokenizer), s.bias, s.learningRate, stamp.generation, stamp.version, seedDigest, stamp.version],
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

/**
 * Drops features (for an erasure request: word pairs that spell out a person's name) and starts a
 * new generation, so running workers reload the model without them. Returns how many went.
 */
export async function forgetSpamModelFeatures(client: PoolClient, features: string[]): Promise<number> {
  if (!features.length) return 0;
  const { rowCount } = await client.query('DELETE FROM spam_model_features WHERE feature = ANY($1::text[])', [features]);
  if (rowCount) await client.query('UPDATE spam_model SET generation = generation + 1, updated_at = now()');
  return rowCount ?? 0;
}
