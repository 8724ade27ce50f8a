import type { Pool } from './pool';
import { isUuid } from '../lib/uuid';

/** A Perspective API key as stored: never the key itself, only its digest and a hint. */
export interface PerspectiveKeyRow {
  id: string;
  keyHint: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface KeyRecord {
  id: string;
  key_hint: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toRow = (r: KeyRecord): PerspectiveKeyRow => ({ id: r.id, keyHint: r.key_hint, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at });

export async function insertPerspectiveKey(pool: Pool, key: { keyHash: string; keyHint: string; label: string }): Promise<PerspectiveKeyRow> {
  const { rows } = await pool.query<KeyRecord>(
    `INSERT INTO perspective_keys (key_hash, key_hint, label) VALUES ($1, $2, $3)
     RETURNING id, key_hint, label, created_at, revoked_at`,
    [key.keyHash, key.keyHint, key.label],
  );
  return toRow(rows[0]);
}

/** The key whose digest is `keyHash` when it exists and is not revoked, else null. */
export async function findActivePerspectiveKey(pool: Pool, keyHash: string): Promise<{ id: string } | null> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM perspective_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return rows[0] ?? null;
}

export async function listPerspectiveKeys(pool: Pool): Promise<PerspectiveKeyRow[]> {
  const { rows } = await pool.query<KeyRecord>('SELECT id, key_hint, label, created_at, revoked_at FROM perspective_keys ORDER BY created_at');
  return rows.map(toRow);
}

/** Revokes the key with this id (or whose hint is this); the row stays, so its lessons can still be listed. */
export async function revokePerspectiveKey(pool: Pool, idOrHint: string): Promise<PerspectiveKeyRow | null> {
  const byId = isUuid(idOrHint);
  const { rows } = await pool.query<KeyRecord>(
    `UPDATE perspective_keys SET revoked_at = coalesce(revoked_at, now())
     WHERE ${byId ? 'id = $1::uuid' : 'key_hint = $1'}
     RETURNING id, key_hint, label, created_at, revoked_at`,
    [idOrHint],
  );
  if (rows.length > 1) throw new Error(`${rows.length} keys have the hint ${idOrHint}: all were revoked`);
  return rows[0] ? toRow(rows[0]) : null;
}

/** Records that `keyId` taught the lesson `lessonKey` (a later lesson under the same key replaces it). */
export async function recordPerspectiveLesson(pool: Pool, lesson: { lessonKey: string; keyId: string; label: 'civil' | 'abusive' }): Promise<void> {
  await pool.query(
    `INSERT INTO perspective_lessons (lesson_key, key_id, label) VALUES ($1, $2, $3)
     ON CONFLICT (lesson_key) DO UPDATE SET label = EXCLUDED.label, taught_at = now()`,
    [lesson.lessonKey, lesson.keyId, lesson.label],
  );
}

/** The lesson keys a key taught, oldest first. */
export async function listPerspectiveLessons(pool: Pool, keyId: string): Promise<string[]> {
  const { rows } = await pool.query<{ lesson_key: string }>('SELECT lesson_key FROM perspective_lessons WHERE key_id = $1 ORDER BY taught_at', [keyId]);
  return rows.map((r) => r.lesson_key);
}

export async function deletePerspectiveLesson(pool: Pool, lessonKey: string): Promise<void> {
  await pool.query('DELETE FROM perspective_lessons WHERE lesson_key = $1', [lessonKey]);
}
