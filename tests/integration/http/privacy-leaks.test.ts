import { randomUUID } from 'node:crypto';
import type { Config } from '../../../src/config';
import { createPool, type Pool } from '../../../src/db/pool';
import { silentLog, testConfig } from '../../helpers/env';
import { eventually, obliterateQueue } from '../../helpers/harness';
import { createTestModerator, TEST_PASSWORD } from '../../helpers/moderation';
import { envFor, loggedPort, spawnService, type ServiceProcess } from '../../helpers/processes';

jest.setTimeout(90000);

/**
 * One real service process (API + worker, LOG_LEVEL=info, behind a trusted proxy) through a whole
 * day's flow: readers post with known emails and addresses, the worker moderates, moderators sign in
 * (once wrongly), act by session and by API token. Then every public answer and every log line is
 * searched for what must never be there.
 */
describe('personal data and secrets stay out of public answers and logs', () => {
  let config: Config;
  let pool: Pool;
  let service: ServiceProcess;
  let baseUrl: string;
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  const emails = [`reader-one-${tag}@example.org`, `reader-two-${tag}@example.org`, `reader-three-${tag}@example.org`];
  const ips = ['203.0.113.77', '2001:db8::77', '198.51.100.177'];
  const bodyMarker = `Bodymarker${tag}`;
  const secrets = { adminPassword: `admin-secret-${tag}`, formTokenSecret: `form-token-secret-${tag}` };
  const articleId = `privacy-${tag}`;
  const ids: string[] = [];
  const publicAnswers: string[] = [];
  let sessionToken = '';
  let apiToken = '';

  beforeAll(async () => {
    config = testConfig({ TRUST_PROXY: '1' });
    pool = createPool(config.DATABASE_URL, 2, silentLog);
    service = await spawnService(
      envFor(config, {
        ROLE: 'all',
        LOG_LEVEL: 'info',
        TRUST_PROXY: '1',
        WORKER_CONCURRENCY: '5',
        FORM_TOKEN_SECRET: secrets.formTokenSecret,
        ADMIN_EMAIL: `bootstrap-${tag}@example.org`,
        ADMIN_PASSWORD: secrets.adminPassword,
      }),
      /worker started/,
      30000,
    );
    baseUrl = `http://127.0.0.1:${loggedPort(service)}`;
  });
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await obliterateQueue(config);
    await pool?.end();
  });

  /** Keeps the text and headers of a public answer for the final scan. */
  async function publicGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${baseUrl}${path}`, { headers, redirect: 'manual' });
    const body = await res.clone().text();
    publicAnswers.push(`${path}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${body}`);
    return res;
  }

  it('runs the flow: submit (JSON, form, retried), moderate, sign in, act by session and token', async () => {
    const json = (i: number, extra: Record<string, string> = {}) =>
      fetch(`${baseUrl}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ips[i], 'user-agent': `agent-${tag}`, ...extra },
        body: JSON.stringify({ articleId, authorName: `Reader ${i}`, authorEmail: emails[i], body: `${bodyMarker} number ${i}: thoughts on the council budget.` }),
      });
    const first = await json(0);
    expect(first.status).toBe(202);
    ids.push((await first.json()).id);
    const form = await fetch(`${baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ips[1] },
      body: new URLSearchParams({ comment: `${bodyMarker} number 1: a form post.`, author: 'Reader 1', email: emails[1], comment_post_ID: articleId }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    ids.push(/unapproved=([0-9a-f-]{36})/.exec(form.headers.get('location')!)![1]);
    const keyed = await json(2, { 'idempotency-key': `key-${tag}` });
    expect((await json(2, { 'idempotency-key': `key-${tag}` })).status).toBe(202); // a retry, replayed
    ids.push((await keyed.json()).id);
    await eventually(async () => (await pool.query('SELECT count(*)::int AS n FROM comments WHERE id = ANY($1::uuid[])', [ids])).rows[0].n === 3, 20000);

    // Moderators: a wrong password, a session, an API token.
    const admin = await createTestModerator(pool, 'admin');
    const login = (password: string) =>
      fetch(`${baseUrl}/api/moderation/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl }, body: JSON.stringify({ email: admin.email, password }) });
    expect((await login('wrong password here')).status).toBe(401);
    const signedIn = await login(TEST_PASSWORD);
    expect(signedIn.status).toBe(200);
    sessionToken = /cm_session=([^;]+)/.exec(signedIn.headers.get('set-cookie')!)![1];
    const session = { cookie: `cm_session=${sessionToken}`, origin: baseUrl, 'content-type': 'application/json' };
    const detail = await fetch(`${baseUrl}/api/moderation/comments/${ids[0]}`, { headers: session });
    expect(detail.status).toBe(200);
    expect(JSON.stringify(await detail.json())).toContain(emails[0]); // moderators do see emails
    const token = await fetch(`${baseUrl}/api/moderation/tokens`, { method: 'POST', headers: session, body: JSON.stringify({ name: 'privacy test' }) });
    apiToken = (await token.json()).token;
    const bearer = { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' };
    // Approve the first two (whatever the worker decided), trash the third.
    for (const [id, action, headers] of [[ids[0], 'unapprove', session], [ids[0], 'approve', session], [ids[1], 'approve', bearer], [ids[2], 'trash', bearer]] as const) {
      const res = await fetch(`${baseUrl}/api/moderation/comments/${id}/${action}`, { method: 'POST', headers, body: '{}' });
      expect([200, 409]).toContain(res.status);
    }
    await pool.query(`UPDATE comments SET status = 'approved', updated_at = now() WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    // The listing caches for a second at most: wait until it shows both.
    await eventually(async () => (await (await fetch(`${baseUrl}/api/articles/${articleId}/comments`)).json()).total === 2, 10000);
  });

  it('never shows an email or an IP address in any public answer', async () => {
    await publicGet(`/api/articles/${articleId}/comments`);
    for (const id of ids) await publicGet(`/api/comments/${id}`);
    await publicGet(`/api/articles/counts?ids=${articleId},other`);
    await publicGet(`/api/form-token?articleId=${articleId}`);
    await publicGet(`/?article=${articleId}`);
    await publicGet(`/?article=${articleId}&unapproved=${ids[2]}`);
    await publicGet(`/?article=${articleId}&replytocom=${ids[0]}`);
    await publicGet('/embed.js', { 'accept-encoding': 'identity' });
    await publicGet('/healthz');
    await publicGet('/readyz');
    await publicGet('/no-such-page');
    const all = publicAnswers.join('\n\n');
    expect(all).toContain(`${bodyMarker} number 0`); // the listing and the page did show the comments
    for (const needle of [...emails, ...ips, secrets.formTokenSecret]) expect(all).not.toContain(needle);
  });

  it('logs, at info level, no email, IP address, comment text or secret', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const lines = service.output().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(lines.some((l) => l.includes('"commentId"'))).toBe(true); // the worker's lines are here too
    const forbidden = [...emails, ...ips, bodyMarker, `agent-${tag}`, `key-${tag}`, secrets.adminPassword, secrets.formTokenSecret, TEST_PASSWORD, sessionToken, apiToken, 'Bearer', `bootstrap-${tag}@`];
    const leaks = lines.flatMap((line) => forbidden.filter((f) => f && line.includes(f)).map((f) => `${f} in ${line.slice(0, 300)}`));
    expect(leaks).toEqual([]);
  });
});
