import type { Pool } from './pool';
import { emailKey } from '../accounts/email-key';
import { ConflictError } from '../errors';

export type ModeratorRole = 'admin' | 'moderator';

/** A moderator account as the app sees it: never the password hash. */
export interface Moderator {
  id: string;
  email: string;
  name: string;
  role: ModeratorRole;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface ModeratorRow {
  id: string;
  email: string;
  name: string;
  role: ModeratorRole;
  password_hash: string;
  disabled_at: Date | null;
  created_at: Date;
  last_login_at: Date | null;
}

function toModerator(row: ModeratorRow): Moderator {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

/** Creates an account; `ConflictError(email_taken)` when the email (any case, any Unicode form) already has one. */
export async function createModerator(pool: Pool, m: { email: string; name: string; role: ModeratorRole; passwordHash: string }): Promise<Moderator> {
  try {
    const { rows } = await pool.query<ModeratorRow>(
      'INSERT INTO moderators (email, email_key, name, role, password_hash) VALUES ($1, $5, $2, $3, $4) RETURNING *',
      [m.email, m.name, m.role, m.passwordHash, emailKey(m.email)],
    );
    return toModerator(rows[0]);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('email_taken', 'A moderator with this email already exists.');
    throw err;
  }
}

/**
 * Creates the first admin when no admin exists yet (first start). Several processes starting at once
 * create one: the insert is conditional and the email unique. Returns whether it created one.
 */
export async function createFirstAdmin(pool: Pool, m: { email: string; name: string; passwordHash: string }): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO moderators (email, email_key, name, role, password_hash)
     SELECT $1, $4, $2, 'admin', $3 WHERE NOT EXISTS (SELECT 1 FROM moderators WHERE role = 'admin' AND disabled_at IS NULL)
     ON CONFLICT DO NOTHING`,
    [m.email, m.name, m.passwordHash, emailKey(m.email)],
  );
  return (rowCount ?? 0) > 0;
}

export async function countActiveAdmins(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM moderators WHERE role = 'admin' AND disabled_at IS NULL`);
  return rows[0].n;
}

/** The account and its password hash, for sign-in only: looked up by `emailKey`, as sign-in counts attempts. */
export async function findCredentials(pool: Pool, email: string): Promise<{ moderator: Moderator; passwordHash: string } | null> {
  const { rows } = await pool.query<ModeratorRow>('SELECT * FROM moderators WHERE email_key = $1', [emailKey(email)]);
  return rows[0] ? { moderator: toModerator(rows[0]), passwordHash: rows[0].password_hash } : null;
}

export async function listModerators(pool: Pool): Promise<Moderator[]> {
  const { rows } = await pool.query<ModeratorRow>('SELECT * FROM moderators ORDER BY created_at, email');
  return rows.map(toModerator);
}

/**
 * Changes role, name, password or the disabled flag. Disabling (or a password change) revokes every
 * session and token of the account, so the change takes effect at once.
 */
export async function updateModerator(
  pool: Pool,
  id: string,
  patch: { role?: ModeratorRole; name?: string; disabled?: boolean; passwordHash?: string },
): Promise<Moderator | null> {
  const { rows } = await pool.query<ModeratorRow>(
    `UPDATE moderators SET
       role = COALESCE($2, role),
       name = COALESCE($3, name),
       disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END,
       password_hash = COALESCE($5, password_hash)
     WHERE id = $1 RETURNING *`,
    [id, patch.role ?? null, patch.name ?? null, patch.disabled ?? null, patch.passwordHash ?? null],
  );
  if (!rows[0]) return null;
  if (patch.disabled || patch.passwordHash) await revokeAllFor(pool, id);
  return toModerator(rows[0]);
}

export async function recordLogin(pool: Pool, id: string): Promise<void> {
  await pool.query('UPDATE moderators SET last_login_at = now() WHERE id = $1', [id]);
}

/** Who holds a session or token: the account, and the actor string events record. */
export interface Principal {
  moderator: Moderator;
  via: 'session' | 'token';
  /** `moderator:<id>` for a session, `token:<id>` for an API token (see moderation_events.actor). */
  actor: string;
  /** The session's token hash or the API token's id, to revoke exactly this credential. */
  credentialId: string;
}

export async function createSession(pool: Pool, tokenHash: string, moderatorId: string, ttlHours: number): Promise<Date> {
  const { rows } = await pool.query<{ expires_at: Date }>(
    `INSERT INTO moderator_sessions (token_hash, moderator_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING expires_at`,
    [tokenHash, moderatorId, ttlHours],
  );
  return rows[0].expires_at;
}

/** The live session's holder: not expired, not revoked, account not disabled. */
export async function findSession(pool: Pool, tokenHash: string): Promise<Principal | null> {
  const { rows } = await pool.query<ModeratorRow>(
    `SELECT m.* FROM moderator_sessions s JOIN moderators m ON m.id = s.moderator_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND m.disabled_at IS NULL`,
    [tokenHash],
  );
  if (!rows[0]) return null;
  return { moderator: toModerator(rows[0]), via: 'session', actor: `moderator:${rows[0].id}`, credentialId: tokenHash };
}

export async function revokeSession(pool: Pool, tokenHash: string): Promise<void> {
  await pool.query('UPDATE moderator_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
}

/** Signs an account out everywhere: every session and every API token. */
export async function revokeAllFor(pool: Pool, moderatorId: string): Promise<void> {
  await pool.query('UPDATE moderator_sessions SET revoked_at = now() WHERE moderator_id = $1 AND revoked_at IS NULL', [moderatorId]);
  await pool.query('UPDATE api_tokens SET revoked_at = now() WHERE moderator_id = $1 AND revoked_at IS NULL', [moderatorId]);
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toTokenInfo = (r: TokenRow): ApiTokenInfo => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revoked: r.revoked_at !== null,
});

export async function createApiToken(pool: Pool, moderatorId: string, name: string, tokenHash: string): Promise<ApiTokenInfo> {
  const { rows } = await pool.query<TokenRow>('INSERT INTO api_tokens (moderator_id, name, token_hash) VALUES ($1, $2, $3) RETURNING *', [moderatorId, name, tokenHash]);
  return toTokenInfo(rows[0]);
}

export async function listApiTokens(pool: Pool, moderatorId: string): Promise<ApiTokenInfo[]> {
  const { rows } = await pool.query<TokenRow>('SELECT * FROM api_tokens WHERE moderator_id = $1 ORDER BY created_at DESC', [moderatorId]);
  return rows.map(toTokenInfo);
}

export async function revokeApiToken(pool: Pool, moderatorId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND moderator_id = $2', [id, moderatorId]);
  return (rowCount ?? 0) > 0;
}

/** The token's holder, when the token is live and the account enabled; notes when it was last used. */
export async function findApiToken(pool: Pool, tokenHash: string): Promise<Principal | null> {
  const { rows } = await pool.query<ModeratorRow & { token_id: string }>(
    `UPDATE api_tokens t SET last_used_at = now() FROM moderators m
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND m.id = t.moderator_id AND m.disabled_at IS NULL
     RETURNING m.*, t.id AS token_id`,
    [tokenHash],
  );
  if (!rows[0]) return null;
  return { moderator: toModerator(rows[0]), via: 'token', actor: `token:${rows[0].token_id}`, credentialId: rows[0].token_id };
}
