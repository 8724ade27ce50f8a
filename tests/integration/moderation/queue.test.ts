import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

describe('GET /api/moderation/comments and /comments/:id', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

  it('lists one status oldest first with counts for every status, filtered by article', async () => {
    const articleId = `art-${randomUUID()}`;
    const t = Date.now() - 60000;
    const first = await seedComment(h.pool, { articleId, status: 'pending', submittedAt: new Date(t) });
    const second = await seedComment(h.pool, { articleId, status: 'pending', submittedAt: new Date(t + 1000) });
    await seedComment(h.pool, { articleId, status: 'approved' });
    const res = await api.get(`/api/moderation/comments?article=${articleId}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    expect(ids(res.body)).toEqual([first.id, second.id]);
    expect(Object.keys(res.body.counts).sort()).toEqual(['approved', 'pending', 'rejected', 'spam', 'trash']);
    expect(res.body.counts.pending).toBeGreaterThanOrEqual(2);
    expect(res.body.items[0]).toMatchObject({ authorEmail: first.authorEmail, ip: '203.0.113.7', verdicts: [] });
  });

  it('sorts by score and pages with a cursor', async () => {
    const articleId = `art-${randomUUID()}`;
    const seeded = [];
    for (const score of [1, 7, 3, 7, 5]) seeded.push(await seedComment(h.pool, { articleId, score }));
    const expected = [seeded[1], seeded[3], seeded[4], seeded[2], seeded[0]].map((c) => c.id);
    const page1 = await api.get(`/api/moderation/comments?article=${articleId}&sort=score&limit=2`);
    const page2 = await api.get(`/api/moderation/comments?article=${articleId}&sort=score&limit=2&cursor=${page1.body.nextCursor}`);
    const page3 = await api.get(`/api/moderation/comments?article=${articleId}&sort=score&limit=2&cursor=${page2.body.nextCursor}`);
    expect([...ids(page1.body), ...ids(page2.body), ...ids(page3.body)]).toEqual(expected);
    expect(page3.body.nextCursor).toBeNull();
  });

  it('filters by email, IP subnet, text and date', async () => {
    const articleId = `art-${randomUUID()}`;
    const email = `who-${randomUUID().slice(0, 8)}@example.org`;
    const a = await seedComment(h.pool, { articleId, authorEmail: email, ip: '198.51.100.20', body: 'Mentions 100% of the budget_line' });
    const b = await seedComment(h.pool, { articleId, ip: '198.51.100.99', submittedAt: new Date('2020-01-01T00:00:00Z') });
    await seedComment(h.pool, { articleId, ip: '192.0.2.1' });
    const q = (s: string) => api.get(`/api/moderation/comments?article=${articleId}&${s}`).then((r) => ids(r.body));
    expect(await q(`email=${encodeURIComponent(email.toUpperCase())}`)).toEqual([a.id]);
    expect(await q(`ip=${encodeURIComponent('198.51.100.0/24')}`)).toEqual([b.id, a.id]);
    expect(await q(`q=${encodeURIComponent('100% of the budget_')}`)).toEqual([a.id]);
    expect(await q('until=2021-01-01')).toEqual([b.id]);
    expect(await q('since=2021-01-01&ip=198.51.100.99')).toEqual([]);
  });

  it('answers 400 naming every bad filter, and 400 for a bad cursor', async () => {
    const res = await api.get('/api/moderation/comments?status=nope&ip=not-an-ip&limit=1000');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['ip', 'limit', 'status']);
    expect((await api.get('/api/moderation/comments?cursor=garbage')).status).toBe(400);
  });

  it('shows one comment with its verdict trace, parent, events and the author history by email and IP', async () => {
    const email = `hist-${randomUUID().slice(0, 8)}@example.org`;
    const ip = '192.0.2.77';
    const parent = await seedComment(h.pool, { status: 'approved', body: 'The parent comment.' });
    await seedComment(h.pool, { status: 'spam', authorEmail: email, ip: '192.0.2.1' });
    await seedComment(h.pool, { status: 'approved', authorEmail: email, ip });
    await seedComment(h.pool, { status: 'approved', ip });
    const verdicts = [
      { check: 'links', verdict: 'review' as const, score: 2, reasons: [{ code: 'too_many_links', message: 'Three links.', field: 'body', match: 'http://x.test' }] },
      { check: 'required_fields', verdict: 'pass' as const, score: 0, reasons: [] },
    ];
    const c = await seedComment(h.pool, { status: 'pending', authorEmail: email, ip, parentId: parent.id, articleId: parent.articleId, verdicts, score: 2 });

    const res = await api.get(`/api/moderation/comments/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({ id: c.id, verdicts, score: 2 });
    expect(res.body.parent).toMatchObject({ id: parent.id, body: 'The parent comment.' });
    expect(res.body.author.byEmail).toEqual({ pending: 1, approved: 1, spam: 1, rejected: 0, trash: 0 });
    expect(res.body.author.byIp).toEqual({ pending: 1, approved: 2, spam: 0, rejected: 0, trash: 0 });
    expect(res.body.author.recent).toHaveLength(3);
    expect(res.body.events).toEqual([expect.objectContaining({ from: null, to: 'pending', actor: 'system' })]);
    expect((await api.get(`/api/moderation/comments/${randomUUID()}`)).status).toBe(404);
  });
});
