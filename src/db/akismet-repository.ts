import type { Pool } from './pool';

/** An Akismet-compatible API key as admins see it: never the key or its hash. */
export interface AkismetKey {
  id: string;
  blog: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

interface KeyRow {
  id: string;
  blog: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (r: KeyRow): AkismetKey => ({ id: r.id, blog: r.blog, createdBy: r.created_by, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null });

export async function insertAkismetKey(pool: Pool, k: { blog: string; keyHash: string; createdBy: string }): Promise<AkismetKey> {
  const { rows } = await pool.query<KeyRow>('INSERT INTO akismet_keys (blog, key_hash, created_by) VALUES ($1, $2, $3) RETURNING *', [k.blog, k.keyHash, k.createdBy]);
  return toKey(rows[0]);
}

/** The live (not revoked) key with this hash, or null. */
export async function findLiveAkismetKey(pool: Pool, keyHash: string): Promise<{ id: string; blog: string } | null> {
  const { rows } = await pool.query<{ id: string; blog: string }>('SELECT id, blog FROM akismet_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return rows[0] ?? null;
}

export async function listAkismetKeys(pool: Pool): Promise<AkismetKey[]> {
  const { rows } = await pool.query<KeyRow>('SELECT * FROM akismet_keys ORDER BY created_at DESC LIMIT 500');
  return rows.map(toKey);
}

/** Revokes a key; false when no live key has this id. */
export async function revokeAkismetKey(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE akismet_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (rowCount ?? 0) > 0;
}

/** Records what comment-check answered, under its guid (no text, author, email or IP). */
export async function insertAkismetCheck(pool: Pool, c: { guid: string; keyId: string; status: string; score: number; isTest: boolean }): Promise<void> {
  await pool.query('INSERT INTO akismet_checks (guid, key_id, status, score, is_test) VALUES ($1, $2, $3, $4, $5)', [c.guid, c.keyId, c.status, c.score, c.isTest]);
}

/** The check a guid names, when this key made it. */
export async function findAkismetCheck(pool: Pool, keyId: string, guid: string): Promise<{ status: string; score: number; isTest: boolean; reported: 'spam' | 'ham' | null } | null> {
  const { rows } = await pool.query<{ status: string; score: number; is_test: boolean; reported: 'spam' | 'ham' | null }>(
    'SELECT status, score, is_test, reported FROM akismet_checks WHERE guid = $1 AND key_id = $2',
    [guid, keyId],
  );
  return rows[0] ? { status: rows[0].status, score: rows[0].score, isTest: rows[0].is_test, reported: rows[0].reported } : null;
}

/** Corrects the record: the site reported the comment as spam or ham. */
export async function reportAkismetCheck(pool: Pool, keyId: string, guid: string, reported: 'spam' | 'ham'): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE akismet_checks SET reported = $3, reported_at = now() WHERE guid = $1 AND key_id = $2', [guid, keyId, reported]);
  return (rowCount ?? 0) > 0;
}

/** Deletes checks older than `days` (retention); returns how many. */
export async function deleteAkismetChecksBefore(pool: Pool, days: number): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM akismet_checks WHERE created_at < now() - make_interval(days => $1)`, [days]);
  return rowCount ?? 0;
}
