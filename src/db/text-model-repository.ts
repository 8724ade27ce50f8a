import type { Pool, PoolClient } from './pool';

/**
 * The rows of one stored text model (src/models): a header row, one row per feature, and the keys of
 * the lessons already learnt. Every model has tables of its own, named here and never from input.
 * Online learning adds to weights and counts, so concurrent learners never lose each other's updates;
 * caches poll the header's `version` and re-read only the features changed since, and `generation`
 * changes when the whole model is replaced. Rows only: what to store, and when, is src/models'.
 */
export interface ModelTables {
  header: string;
  features: string;
  lessons: string;
}

/** The spam model's tables (migrations/0002, 0013). */
export const SPAM_MODEL_TABLES: Readonly<ModelTables> = Object.freeze({ header: 'spam_model', features: 'spam_model_features', lessons: 'spam_model_lessons' });

/** Header counters, cheap to poll. */
export interface ModelStamp {
  generation: number;
  /** Grows with every lesson: caches re-read the features changed since the version they hold. */
  version: number;
}

/** The header row as stored. */
export interface ModelHeaderRow {
  format: string;
  featureVersion: number;
  tokenizer: unknown;
  bias: number;
  learningRate: number;
  generation: number;
  version: number;
  /** Which shipped model it was seeded from (`own`: a site's own model), and at which version. */
  seedDigest: string | null;
  seedVersion: number | null;
}

/** A header to store: the model's own fields. */
export type ModelHeader = Pick<ModelHeaderRow, 'format' | 'featureVersion' | 'tokenizer' | 'bias' | 'learningRate'>;

/** One feature row: name, weight and how many learnt comments carried it. */
export type FeatureRow = { feature: string; weight: number; seen: number };

interface RawHeader {
  format: string;
  feature_version: number;
  tokenizer: unknown;
  bias: number;
  learning_rate: number;
  generation: number;
  version: string;
  seed_digest: string | null;
  seed_version: string | null;
}

const HEADER_COLUMNS = 'format, feature_version, tokenizer, bias, learning_rate, generation, version, seed_digest, seed_version';

function toHeader(row: RawHeader): ModelHeaderRow {
  return {
    format: row.format,
    featureVersion: row.feature_version,
    tokenizer: row.tokenizer,
    bias: row.bias,
    learningRate: row.learning_rate,
    generation: row.generation,
    version: Number(row.version),
    seedDigest: row.seed_digest,
    seedVersion: row.seed_version === null ? null : Number(row.seed_version),
  };
}

/** Generation and version of the stored model, or null when none is stored. */
export async function readModelStamp(db: Pool | PoolClient, t: ModelTables): Promise<ModelStamp | null> {
  const { rows } = await db.query<{ generation: number; version: string }>(`SELECT generation, version FROM ${t.header}`);
  const row = rows[0];
  return row ? { generation: row.generation, version: Number(row.version) } : null;
}

/** The header row, or null; `forUpdate` locks it until the transaction ends (lessons and replacements serialise on it). */
export async function readModelHeader(db: Pool | PoolClient, t: ModelTables, opts: { forUpdate?: boolean } = {}): Promise<ModelHeaderRow | null> {
  const { rows } = await db.query<RawHeader>(`SELECT ${HEADER_COLUMNS} FROM ${t.header}${opts.forUpdate ? ' FOR UPDATE' : ''}`);
  return rows[0] ? toHeader(rows[0]) : null;
}

/** Every feature row (`names` given: only those). */
export async function readModelFeatures(db: Pool | PoolClient, t: ModelTables, names?: readonly string[]): Promise<FeatureRow[]> {
  const { rows } = names
    ? await db.query<FeatureRow>(`SELECT feature, weight, seen FROM ${t.features} WHERE feature = ANY($1::text[])`, [names])
    : await db.query<FeatureRow>(`SELECT feature, weight, seen FROM ${t.features}`);
  return rows;
}

/** Features changed by lessons after `sinceVersion`, with their current weights and counts. */
export async function readModelFeaturesSince(db: Pool | PoolClient, t: ModelTables, sinceVersion: number): Promise<FeatureRow[]> {
  const { rows } = await db.query<FeatureRow>(`SELECT feature, weight, seen FROM ${t.features} WHERE version > $1`, [sinceVersion]);
  return rows;
}

/** Makes the transaction one read-only snapshot (header and features cannot be torn by a lesson between them). */
export async function useSnapshotReads(client: PoolClient): Promise<void> {
  await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

/**
 * Inserts the header row; `seedDigest` names the shipped model it is, stored at `stamp.version`. With
 * `ifNone`, does nothing when a header exists (several processes seeding at once) and says so.
 */
export async function insertModelHeader(client: PoolClient, t: ModelTables, h: ModelHeader, stamp: ModelStamp, seedDigest: string, opts: { ifNone?: boolean } = {}): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO ${t.header} (format, feature_version, tokenizer, bias, learning_rate, generation, version, seed_digest, seed_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ${opts.ifNone ? 'ON CONFLICT (id) DO NOTHING' : ''}`,
    [h.format, h.featureVersion, JSON.stringify(h.tokenizer), h.bias, h.learningRate, stamp.generation, stamp.version, seedDigest, stamp.version],
  );
  return result.rowCount === 1;
}

/** Deletes the header row (before a replacement's insert, in the same transaction). */
export async function deleteModelHeader(client: PoolClient, t: ModelTables): Promise<void> {
  await client.query(`DELETE FROM ${t.header}`);
}

/** Replaces every feature row, in batches (one statement per batch, arrays as parameters). */
export async function replaceModelFeatures(client: PoolClient, t: ModelTables, features: readonly (readonly [string, number, number])[], version: number): Promise<void> {
  await client.query(`DELETE FROM ${t.features}`);
  const BATCH = 5000;
  for (let start = 0; start < features.length; start += BATCH) {
    const batch = features.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO ${t.features} (feature, weight, seen, version)
       SELECT feature, weight, seen, $4 FROM unnest($1::text[], $2::float8[], $3::float8[]) AS f(feature, weight, seen)`,
      [batch.map((f) => f[0]), batch.map((f) => f[1]), batch.map((f) => f[2]), version],
    );
  }
}

/** Records a lesson's key; false when that key was learnt before (a retried job teaches once). */
export async function insertModelLesson(client: PoolClient, t: ModelTables, key: string, label: string, version: number): Promise<boolean> {
  const result = await client.query(`INSERT INTO ${t.lessons} (key, label, version) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [key, label, version]);
  return result.rowCount === 1;
}

/** Adds a lesson's weight deltas (each feature's count grows by one) and sets the header's version. */
export async function addModelDeltas(client: PoolClient, t: ModelTables, deltas: readonly { feature: string; weight: number }[], version: number): Promise<void> {
  await client.query(
    `INSERT INTO ${t.features} (feature, weight, seen, version)
     SELECT feature, weight, 1, $3 FROM unnest($1::text[], $2::float8[]) AS d(feature, weight)
     ON CONFLICT (feature) DO UPDATE
       SET weight = ${t.features}.weight + EXCLUDED.weight,
           seen = ${t.features}.seen + 1,
           version = EXCLUDED.version`,
    [deltas.map((d) => d.feature), deltas.map((d) => d.weight), version],
  );
  await client.query(`UPDATE ${t.header} SET version = $1, updated_at = now()`, [version]);
}

/**
 * Drops features (for an erasure request: word pairs that spell out a person's name) and starts a
 * new generation, so running processes reload the model without them. Returns how many went.
 */
export async function forgetModelFeatures(client: PoolClient, t: ModelTables, features: readonly string[]): Promise<number> {
  if (!features.length) return 0;
  const { rowCount } = await client.query(`DELETE FROM ${t.features} WHERE feature = ANY($1::text[])`, [features]);
  if (rowCount) await client.query(`UPDATE ${t.header} SET generation = generation + 1, updated_at = now()`);
  return rowCount ?? 0;
}
