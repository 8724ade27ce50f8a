import { randomUUID } from 'node:crypto';
import { bootstrapAdmin } from '../../../src/accounts/bootstrap';
import { hashPassword, verifyPassword } from '../../../src/accounts/password';
import type { Pool } from '../../../src/db/pool';
import { startHarness, type Harness } from '../../helpers/harness';
import { silentLog } from '../../helpers/env';
import { client, createTestModerator, seedComment, signIn, TEST_PASSWORD } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

describe('moderator accounts, sessions and tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { LOGIN_ATTEMPTS_PER_ACCOUNT: '3', LOGIN_ATTEMPTS_PER_IP: '50', LOGIN_BACKOFF_BASE_SECONDS: '600', TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await h.close();
  });

  const login = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}/api/moderation/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('stores passwords as salted scrypt hashes that verify only the right password', async () => {
    const hash = await hashPassword('a long enough passphrase');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await hashPassword('a long enough passphrase')).not.toBe(hash);
    expect(await verifyPassword('a long enough passphrase', hash)).toBe(true);
    expect(await verifyPassword('a long enough passphrasE', hash)).toBe(false);
  });

  it('signs in with a session cookie that is HttpOnly, SameSite=Strict and expires', async () => {
    const m = await createTestModerator(h.pool);
    const res = await login({ email: m.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^cm_session=cms_[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; Secure is set behind HTTPS
    const me = await client(h, cookie.split(';')[0]).get('/api/moderation/me');
    expect(me.body.moderator).toMatchObject({ id: m.id, email: m.email, role: 'moderator' });
    expect(JSON.stringify(me.body)).not.toContain('scrypt');
  });

  it('marks the cookie Secure behind an HTTPS proxy', async () => {
    const m = await createTestModerator(h.pool);
    const res = await login({ email: m.email, password: TEST_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses a wrong password or an unknown email with the same 401', async () => {
    const m = await createTestModerator(h.pool);
    const wrong = await login({ email: m.email, password: 'not the password' });
    const unknown = await login({ email: `nobody-${randomUUID()}@example.org`, password: 'whatever it is' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('invalid_credentials');
    expect((await unknown.json()).error.code).toBe('invalid_credentials');
  });

  it('limits sign-in attempts per account with 429 and Retry-After, even for the right password', async () => {
    const m = await createTestModerator(h.pool);
    for (let i = 0; i < 3; i += 1) expect((await login({ email: m.email, password: `guess ${i}` })).status).toBe(401);
    const blocked = await login({ email: m.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error.code).toBe('rate_limited');
    // Another account from the same address is not locked out.
    const n = await createTestModerator(h.pool);
    expect((await login({ email: n.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('logout revokes the session server-side', async () => {
    const m = await createTestModerator(h.pool);
    const cookie = await signIn(h, m.email);
    const api = client(h, cookie);
    expect((await api.post('/api/moderation/logout')).status).toBe(204);
    expect((await api.get('/api/moderation/me')).status).toBe(401);
  });

  it('an expired session is refused', async () => {
    const m = await createTestModerator(h.pool);
    const api = client(h, await signIn(h, m.email));
    await h.pool.query(`UPDATE moderator_sessions SET expires_at = now() - interval '1 second' WHERE moderator_id = $1`, [m.id]);
    expect((await api.get('/api/moderation/me')).status).toBe(401);
  });

  it('disabling an account ends its sessions at once', async () => {
    const admin = client(h, await signIn(h, (await createTestModerator(h.pool, 'admin')).email));
    const m = await createTestModerator(h.pool);
    const api = client(h, await signIn(h, m.email));
    expect((await admin.patch(`/api/moderation/moderators/${m.id}`, { disabled: true })).status).toBe(200);
    expect((await api.get('/api/moderation/me')).status).toBe(401);
    expect((await login({ email: m.email, password: TEST_PASSWORD })).status).toBe(401);
  });

  it('API tokens: shown once, stored hashed, work as Bearer without an Origin, and can be revoked', async () => {
    const m = await createTestModerator(h.pool);
    const api = client(h, await signIn(h, m.email));
    const created = await api.post('/api/moderation/tokens', { name: 'nightly script' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^cmt_/);
    const stored = await h.pool.query('SELECT token_hash FROM api_tokens WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].token_hash).not.toContain(token);
    expect(JSON.stringify((await api.get('/api/moderation/tokens')).body)).not.toContain(token);

    const c = await seedComment(h.pool, { status: 'pending' });
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const approve = await fetch(`${h.baseUrl}/api/moderation/comments/${c.id}/approve`, { method: 'POST', headers: bearer, body: '{}' });
    expect(approve.status).toBe(200);
    const { rows } = await h.pool.query('SELECT actor FROM moderation_events WHERE comment_id = $1 ORDER BY id DESC LIMIT 1', [c.id]);
    expect(rows[0].actor).toBe(`token:${created.body.id}`);

    expect((await api.del(`/api/moderation/tokens/${created.body.id}`)).status).toBe(204);
    expect((await fetch(`${h.baseUrl}/api/moderation/counts`, { headers: bearer })).status).toBe(401);
    expect((await fetch(`${h.baseUrl}/api/moderation/counts`, { headers: { authorization: 'Bearer cmt_made-up' } })).status).toBe(401);
  });

  it('answers 403 when a moderator uses an admin route', async () => {
    const api = client(h, await signIn(h, (await createTestModerator(h.pool)).email));
    for (const res of [await api.get('/api/moderation/settings'), await api.put('/api/moderation/settings', { holdAll: true }), await api.get('/api/moderation/moderators'), await api.get('/admin/queues')]) {
      expect(res.status).toBe(403);
    }
  });

  it('refuses cookie-authenticated writes from another site', async () => {
    const m = await createTestModerator(h.pool);
    const cookie = await signIn(h, m.email);
    const c = await seedComment(h.pool, { status: 'pending' });
    const url = `${h.baseUrl}/api/moderation/comments/${c.id}/approve`;
    const headers = { cookie, 'content-type': 'application/json' };
    const evil = await fetch(url, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: '{}' });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe('cross_site_request');
    const noOrigin = await fetch(url, { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(noOrigin.status).toBe(403);
    const bare = await fetch(url, { method: 'POST', headers, body: '{}' });
    expect(bare.status).toBe(403);
    expect((await login({ email: m.email, password: TEST_PASSWORD }, { origin: 'https://evil.example' })).status).toBe(403);
    expect(await h.pool.query('SELECT status FROM comments WHERE id = $1', [c.id]).then((r) => r.rows[0].status)).toBe('pending');
    const same = await fetch(url, { method: 'POST', headers: { ...headers, origin: h.baseUrl }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('admins create moderators with validated fields and unique emails', async () => {
    const admin = client(h, await signIn(h, (await createTestModerator(h.pool, 'admin')).email));
    const email = `new-${randomUUID().slice(0, 8)}@example.org`;
    const short = await admin.post('/api/moderation/moderators', { email, role: 'moderator', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.body.error.fields).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await admin.post('/api/moderation/moderators', { email, role: 'moderator', password: TEST_PASSWORD })).status).toBe(201);
    expect((await admin.post('/api/moderation/moderators', { email: email.toUpperCase(), role: 'moderator', password: TEST_PASSWORD })).status).toBe(409);
    await signIn(h, email);
  });

  it('bootstraps the first admin from ADMIN_EMAIL/ADMIN_PASSWORD only while no admin exists', async () => {
    // Other files share the database and its admins: pretend there are none inside a transaction that is rolled back.
    const tx = await h.pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query(`UPDATE moderators SET disabled_at = now() WHERE role = 'admin'`);
      const asPool = tx as unknown as Pool;
      const email = `boot-${randomUUID().slice(0, 8)}@example.org`;
      expect(await bootstrapAdmin(asPool, { ADMIN_EMAIL: email, ADMIN_PASSWORD: 'first admin password' }, silentLog)).toBe(true);
      expect(await bootstrapAdmin(asPool, { ADMIN_EMAIL: `again-${email}`, ADMIN_PASSWORD: 'first admin password' }, silentLog)).toBe(false);
      const { rows } = await tx.query(`SELECT role, password_hash FROM moderators WHERE email = $1`, [email]);
      expect(rows[0].role).toBe('admin');
      expect(await verifyPassword('first admin password', rows[0].password_hash)).toBe(true);
    } finally {
      await tx.query('ROLLBACK');
      tx.release();
    }
  });
});
