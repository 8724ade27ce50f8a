import { randomUUID } from 'node:crypto';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel.
jest.setTimeout(60000);

const DAY = 24 * 3600 * 1000;

/** Issue 24, part 1: per-article settings, closed articles refused at submit, closeAfterDays on a fake clock. */
describe('articles: settings and closing', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  // The API's clock: tests move it instead of sleeping.
  let clock = new Date('2026-03-01T12:00:00Z');
  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      // Every read of an article's settings goes to Postgres, so a change applies at once.
      env: { SETTINGS_REFRESH_MS: '0' },
      apiSettings: { floodSeconds: 0, hourlyLimitPerIp: 0 },
      extras: () => ({ now: () => clock }),
    });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const submit = (comment: Record<string, unknown>) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
  const queued = async () => {
    const counts = await h.api.producer.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it('PUT creates and changes an article; GET lists it with counts by status and its settings', async () => {
    const id = `art-${randomUUID()}`;
    const put = await api.put(`/api/moderation/articles/${id}`, { title: 'Budget 2026', url: 'https://news.example/budget', premoderate: 'links', message: 'Be kind.' });
    expect(put.status).toBe(200);
    expect(put.body.article).toMatchObject({ id, title: 'Budget 2026', premoderate: 'links', closed: false, message: 'Be kind.', closeAfterDays: null });
    await seedComment(h.pool, { articleId: id, status: 'approved' });
    await seedComment(h.pool, { articleId: id, status: 'pending' });
    await seedComment(h.pool, { articleId: id, status: 'pending' });
    const again = await api.put(`/api/moderation/articles/${id}`, { closed: true });
    expect(again.body.article).toMatchObject({ title: 'Budget 2026', premoderate: 'links', closed: true, reader: { closed: true, closedBy: 'moderator', message: 'Be kind.' } });

    const list = await api.get(`/api/moderation/articles?q=${encodeURIComponent(id)}`);
    expect(list.status).toBe(200);
    expect(list.body.articles).toHaveLength(1);
    expect(list.body.articles[0]).toMatchObject({ id, closed: true, counts: { approved: 1, pending: 2 }, openReports: 0 });
    expect(list.body.articles[0].lastCommentAt).not.toBeNull();
  });

  it('refuses bad settings with 422 naming each field, and needs a moderator', async () => {
    const id = `art-${randomUUID()}`;
    const bad = await api.put(`/api/moderation/articles/${id}`, { premoderate: 'some', closeAfterDays: -1, url: 'javascript:alert(1)', extra: 1 });
    expect(bad.status).toBe(422);
    const fields = bad.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['premoderate', 'closeAfterDays', 'url']));
    const anonymous = await fetch(`${h.baseUrl}/api/moderation/articles/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json', origin: h.baseUrl }, body: '{"closed":true}' });
    expect(anonymous.status).toBe(401);
    expect((await api.get(`/api/moderation/articles/${id}`)).status).toBe(404);
  });

  it('refuses a comment or a reply to a closed article with 403 comments_closed and enqueues nothing', async () => {
    const id = `art-${randomUUID()}`;
    await api.put(`/api/moderation/articles/${id}`, { closed: true, message: 'Comments are off while the trial runs.' });
    const parent = await seedComment(h.pool, { articleId: id, status: 'approved' });
    const before = await queued();
    for (const comment of [sampleComment(id), sampleComment(id, { parentId: parent.id })]) {
      const res = await submit(comment);
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error).toMatchObject({ code: 'comments_closed', message: 'Comments are closed.', articleMessage: 'Comments are off while the trial runs.' });
    }
    // A form post without JavaScript gets a page that says so.
    const form = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ comment: 'Hello there, a thought.', author: 'Ada', email: 'ada@example.org', comment_post_ID: id }).toString(),
    });
    expect(form.status).toBe(403);
    expect(await form.text()).toContain('Comments are closed.');
    expect(await queued()).toBe(before);

    const state = await (await fetch(`${h.baseUrl}/api/articles/${id}/state`)).json();
    expect(state).toMatchObject({ articleId: id, closed: true, closedBy: 'moderator', message: 'Comments are off while the trial runs.' });
    // The no-JavaScript page shows the notice and the message instead of the form.
    const page = await (await fetch(`${h.baseUrl}/?article=${id}`)).text();
    expect(page).toContain('Comments are closed.');
    expect(page).toContain('Comments are off while the trial runs.');
    expect(page).not.toContain('<form action="/api/comments"');

    // Opened again: accepted.
    await api.put(`/api/moderation/articles/${id}`, { closed: false });
    expect((await submit(sampleComment(id))).status).toBe(202);
    expect(await (await fetch(`${h.baseUrl}/?article=${id}`)).text()).toContain('<form action="/api/comments"');
  });

  it('closes an article closeAfterDays after its publication, by the article setting or the site default', async () => {
    const own = `art-${randomUUID()}`;
    const published = new Date('2026-03-01T00:00:00Z');
    await api.put(`/api/moderation/articles/${own}`, { publishedAt: published.toISOString(), closeAfterDays: 14 });
    clock = new Date(published.getTime() + 13 * DAY);
    expect((await submit(sampleComment(own))).status).toBe(202);
    const open = await (await fetch(`${h.baseUrl}/api/articles/${own}/state`)).json();
    expect(open).toMatchObject({ closed: false, closesAt: new Date(published.getTime() + 14 * DAY).toISOString() });
    clock = new Date(published.getTime() + 14 * DAY + 1000);
    const late = await submit(sampleComment(own));
    expect(late.status).toBe(403);
    expect((await late.json()).error.code).toBe('comments_closed');
    expect(await (await fetch(`${h.baseUrl}/api/articles/${own}/state`)).json()).toMatchObject({ closed: true, closedBy: 'age' });

    // The site-wide default (settings.closeAfterDays) applies to an article without its own.
    const saved = await (await signedInClient(h, 'admin')).api.put('/api/moderation/settings', { closeAfterDays: 3 });
    expect(saved.status).toBe(200);
    try {
      const byDefault = `art-${randomUUID()}`;
      await api.put(`/api/moderation/articles/${byDefault}`, { publishedAt: new Date(clock.getTime() - 2 * DAY).toISOString() });
      expect((await submit(sampleComment(byDefault))).status).toBe(202);
      clock = new Date(clock.getTime() + 1 * DAY + 1000);
      expect((await submit(sampleComment(byDefault))).status).toBe(403);
      // An article the service has never seen is open, whatever the default.
      expect((await submit(sampleComment(`art-${randomUUID()}`))).status).toBe(202);
    } finally {
      await (await signedInClient(h, 'admin')).api.put('/api/moderation/settings', { closeAfterDays: null });
    }
  });
});

/** Pre-moderation of all comments and of comments with links, with the named reasons. */
describe('articles: pre-moderation', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ env: { SETTINGS_REFRESH_MS: '0' }, apiSettings: { floodSeconds: 0, hourlyLimitPerIp: 0 }, workerSettings: { surgeCount: 0 } });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const decided = async (comment: Record<string, unknown>) => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const row = await eventually(async () => (await h.pool.query('SELECT status, reasons FROM comments WHERE id = $1', [id])).rows[0], 30000);
    const codes = (row.reasons as { check: string; reasons: { code: string }[] }[]).flatMap((v) => v.reasons.map((r) => r.code));
    return { id, status: row.status as string, codes };
  };

  it('holds every comment of an article set to premoderate all, with article:premoderate_all', async () => {
    const id = `art-${randomUUID()}`;
    expect((await decided(sampleComment(id))).status).toBe('approved');
    await api.put(`/api/moderation/articles/${id}`, { premoderate: 'all' });
    const held = await decided(sampleComment(id));
    expect(held.status).toBe('pending');
    expect(held.codes).toContain('article:premoderate_all');
    // The review page's detail shows the reason.
    const detail = await api.get(`/api/moderation/comments/${held.id}`);
    expect(JSON.stringify(detail.body.events)).toContain('article:premoderate_all');
  });

  it('holds only comments with links when set to links, with article:premoderate_links', async () => {
    const id = `art-${randomUUID()}`;
    await api.put(`/api/moderation/articles/${id}`, { premoderate: 'links' });
    const plain = await decided(sampleComment(id));
    expect(plain.status).toBe('approved');
    expect(plain.codes).not.toContain('article:premoderate_links');
    const linked = await decided(sampleComment(id, { body: 'The council report is at https://council.example/report-2026 for anyone curious about the numbers.' }));
    expect(linked.status).toBe('pending');
    expect(linked.codes).toContain('article:premoderate_links');
  });

  it('makes the article row on its first comment', async () => {
    const id = `art-${randomUUID()}`;
    await decided(sampleComment(id));
    const row = await api.get(`/api/moderation/articles/${id}`);
    expect(row.status).toBe(200);
    expect(row.body.article).toMatchObject({ id, closed: false, premoderate: 'off' });
  });
});
