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

/** The civility model's tables (migrations/0021). */
export const CIVILITY_MODEL_TABLES: Readonly<ModelTables> = Object.freeze({ header: 'civility_model', features: 'civility_model_features', lessons: 'civility_model_lessons' });

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
      `INSERT INTO ${t.features} (feature, weight, seen, version, base, learnt)
       SELECT feature, weight, seen, $4, weight, 0 FROM unnest($1::text[], $2::float8[], $3::float8[]) AS f(feature, weight, seen)`,
      [batch.map((f) => f[0]), batch.map((f) => f[1]), batch.map((f) => f[2]), version],
    );
  }
}

/** A stored lesson: its label and its deltas in units of 1e-9 (null for lessons stored before 0020). */
export interface LessonRow {
  label: string;
  /** The model version the lesson was taught at. */
  version: number;
  deltas: [string, number][] | null;
}

/** The lesson stored under `key`, locked until the transaction ends; null when there is none. */
export async function readModelLesson(client: PoolClient, t: ModelTables, key: string): Promise<LessonRow | null> {
  const { rows } = await client.query<{ label: string; version: string; deltas: [string, number][] | null }>(`SELECT label, version, deltas FROM ${t.lessons} WHERE key = $1 FOR UPDATE`, [key]);
  const row = rows[0];
  return row ? { label: row.label, version: Number(row.version), deltas: row.deltas } : null;
}

/** Records a lesson under its key with its deltas (units of 1e-9); false when that key is taken. */
export async function insertModelLesson(client: PoolClient, t: ModelTables, key: string, label: string, version: number, deltas: readonly [string, number][] = []): Promise<boolean> {
  const result = await client.query(`INSERT INTO ${t.lessons} (key, label, version, deltas) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`, [
    key,
    label,
    version,
    JSON.stringify(deltas),
  ]);
  return result.rowCount === 1;
}

/** Deletes the lesson stored under `key` (after its deltas were taken back). */
export async function deleteModelLesson(client: PoolClient, t: ModelTables, key: string): Promise<void> {
  await client.query(`DELETE FROM ${t.lessons} WHERE key = $1`, [key]);
}

/**
 * Adds (`sign` 1) or takes back (`sign` -1) a lesson's deltas, given in whole units of 1e-9: the
 * integer `learnt` moves, `weight` is recomputed from it, and each feature's count moves by one.
 * Sets the header's version; returns the features' new weights and counts.
 */
export async function addModelDeltas(client: PoolClient, t: ModelTables, units: readonly [string, number][], version: number, sign: 1 | -1 = 1): Promise<FeatureRow[]> {
  const { rows } = await client.query<FeatureRow>(
    `INSERT INTO ${t.features} AS f (feature, weight, seen, version, base, learnt)
     SELECT feature, $4::int * units::float8 * 1e-9::float8, $4::int, $3, 0, $4::int * units FROM unnest($1::text[], $2::bigint[]) AS d(feature, units)
     ON CONFLICT (feature) DO UPDATE
       SET learnt = f.learnt + EXCLUDED.learnt,
           weight = f.base + (f.learnt + EXCLUDED.learnt)::float8 * 1e-9::float8,
           seen = f.seen + EXCLUDED.seen,
           version = EXCLUDED.version
     RETURNING feature, weight, seen`,
    [units.map((d) => d[0]), units.map((d) => d[1]), version, sign],
  );
  await client.query(`UPDATE ${t.header} SET version = $1, updated_at = now()`, [version]);
  return rows;
}

/**
 * Drops features (for an erasure request: word pairs that spell out a person's name), from the model
 * and from the lessons that taught them, and starts a
 * new generation, so running processes reload the model without them. Returns how many went.
 */
export async function forgetModelFeatures(client: PoolClient, t: ModelTables, features: readonly string[]): Promise<number> {
  if (!features.length) return 0;
  const { rowCount } = await client.query(`DELETE FROM ${t.features} WHERE feature = ANY($1::text[])`, [features]);
  // The lessons that taught them keep their deltas for undo: those entries go too (undo then takes
  // back the rest, and the forgotten features are gone either way).
  await client.query(
    `UPDATE ${t.lessons} SET deltas = (SELECT coalesce(jsonb_agg(d), '[]'::jsonb) FROM jsonb_array_elements(deltas) d WHERE NOT (d->>0 = ANY($1::text[])))
     WHERE jsonb_typeof(deltas) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(deltas) d WHERE d->>0 = ANY($1::text[]))`,
    [features],
  );
  if (rowCount) await client.query(`UPDATE ${t.header} SET generation = generation + 1, updated_at = now()`);
  return rowCount ?? 0;
}
