import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../src/accounts/password';
import { createModerator, type ModeratorRole } from '../../src/db/moderator-repository';
import type { Pool } from '../../src/db/pool';
import type { CheckResult, CommentStatus } from '../../src/moderation/types';
import type { Harness } from './harness';

export const TEST_PASSWORD = 'correct horse battery staple';

/** A hash made once per file: scrypt is deliberately slow, and every test account may share it. */
let sharedHash: Promise<string> | null = null;

/** A new account with a unique email and TEST_PASSWORD. */
export async function createTestModerator(pool: Pool, role: ModeratorRole = 'moderator') {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const email = `${role}-${randomUUID().slice(0, 8)}@example.org`;
  const moderator = await createModerator(pool, { email, name: `Test ${role}`, role, passwordHash: await sharedHash });
  return { ...moderator, password: TEST_PASSWORD };
}

/** Signs in and returns the session cookie (`cm_session=…`). */
export async function signIn(h: Harness, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`${h.baseUrl}/api/moderation/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** A moderator's browser-like client: the session cookie, and this site's Origin on every request. */
export function client(h: Harness, cookie: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { cookie, origin: h.baseUrl, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body: unknown) => call('PUT', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    del: (path: string, body?: unknown) => call('DELETE', path, body),
  };
}

/** Signs in a new account of `role` and returns its client. */
export async function signedInClient(h: Harness, role: ModeratorRole = 'moderator') {
  const account = await createTestModerator(h.pool, role);
  return { account, api: client(h, await signIn(h, account.email)) };
}

export interface SeedComment {
  id?: string;
  articleId?: string;
  parentId?: string | null;
  status?: CommentStatus;
  authorName?: string;
  authorEmail?: string;
  authorUrl?: string | null;
  body?: string;
  score?: number;
  verdicts?: CheckResult[];
  ip?: string | null;
  submittedAt?: Date;
}

/** Stores a comment as the worker would (row + first event), without the queue: fast and exact. */
export async function seedComment(pool: Pool, c: SeedComment = {}) {
  const row = {
    id: c.id ?? randomUUID(),
    articleId: c.articleId ?? `art-${randomUUID()}`,
    status: c.status ?? 'pending',
    authorEmail: c.authorEmail ?? `reader-${randomUUID().slice(0, 8)}@example.org`,
    body: c.body ?? `A remark ${randomUUID()}`,
  };
  await pool.query(
    `INSERT INTO comments (id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons, ip, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      row.id, row.articleId, c.parentId ?? null, c.authorName ?? 'Reader', row.authorEmail, c.authorUrl ?? null, row.body, row.status,
      c.score ?? 0, JSON.stringify(c.verdicts ?? []), c.ip === undefined ? '203.0.113.7' : c.ip, c.submittedAt ?? new Date(),
    ],
  );
  await pool.query(`INSERT INTO moderation_events (comment_id, from_status, to_status, actor) VALUES ($1, NULL, $2, 'system')`, [row.id, row.status]);
  return row;
}

export async function statusOf(pool: Pool, id: string): Promise<string | null> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM comments WHERE id = $1', [id]);
  return rows[0]?.status ?? null;
}
