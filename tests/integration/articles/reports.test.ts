import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient, statusOf } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel.
jest.setTimeout(60000);

/** Issue 24, part 2: readers report published comments; moderators work the reported and unmoderated queues. */
describe('POST /api/comments/:id/reports and the reported queue', () => {
  let h: Harness;
  let hiding: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  let admin: Awaited<ReturnType<typeof signedInClient>>['api'];
  let ipSeq = 1;
  // Addresses of this file only (TEST-NET-2 with a random third octet).
  const net = `198.51.${100 + Math.floor(Math.random() * 100)}`;
  const nextIp = () => `${net}.${(ipSeq++ % 250) + 1}`;
  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { TRUST_PROXY: '1' } });
    hiding = await startHarness({ worker: false, env: { TRUST_PROXY: '1' }, apiSettings: { hideAfterReports: 2 } });
    api = (await signedInClient(h)).api;
    admin = (await signedInClient(h, 'admin')).api;
  });
  afterAll(async () => {
    await h.close();
    await hiding.close();
  });

  const formToken = async (articleId: string, on = h) => ((await (await fetch(`${on.baseUrl}/api/form-token?articleId=${articleId}`)).json()) as { token: string }).token;
  const report = async (id: string, body: Record<string, unknown>, opts: { ip?: string; on?: Harness } = {}) => {
    const on = opts.on ?? h;
    const res = await fetch(`${on.baseUrl}/api/comments/${id}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': opts.ip ?? nextIp() },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const reportsOf = async (id: string) => (await h.pool.query('SELECT * FROM comment_reports WHERE comment_id = $1 ORDER BY id', [id])).rows;

  it('stores a report with hashes only, and counts a reader once, also when sent concurrently', async () => {
    const c = await seedComment(h.pool, { status: 'approved' });
    const ip = nextIp();
    const first = await report(c.id, { reason: 'abusive', note: 'Personal attack on another reader.', formToken: await formToken(c.articleId) }, { ip });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ commentId: c.id, reported: true, duplicate: false });
    const readerToken = first.body.readerToken as string;
    expect(readerToken).toMatch(/^rt1\./);
    const token = await formToken(c.articleId);
    const again = await Promise.all(Array.from({ length: 6 }, () => report(c.id, { reason: 'spam', formToken: token, readerToken })));
    for (const r of again) expect(r.status === 200 || r.status === 429).toBe(true);
    expect(again.filter((r) => r.status === 200).every((r) => r.body.duplicate === true)).toBe(true);
    const rows = await reportsOf(c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'abusive', note: 'Personal attack on another reader.', weight: 1, resolved_at: null });
    // No raw address, reader id or email: keyed hashes only.
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(ip);
    expect(stored).not.toContain(readerToken.split('.')[1]);
    expect(stored).not.toContain('@');
    expect(rows[0].reader_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0].ip_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lets at most three readers behind one address report the same comment', async () => {
    const c = await seedComment(h.pool, { status: 'approved' });
    const ip = nextIp();
    const token = await formToken(c.articleId);
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await report(c.id, { reason: 'spam', formToken: token }, { ip }));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 200, 200]);
    expect(await reportsOf(c.id)).toHaveLength(3);
  });

  it('answers 404 for a comment that is not published, 403 without a form token for its article, 422 for a bad reason', async () => {
    const held = await seedComment(h.pool, { status: 'pending' });
    expect((await report(held.id, { reason: 'spam', formToken: await formToken(held.articleId) })).status).toBe(404);
    expect((await report(randomUUID(), { reason: 'spam', formToken: await formToken(held.articleId) })).status).toBe(404);
    const c = await seedComment(h.pool, { status: 'approved' });
    const none = await report(c.id, { reason: 'spam' });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('form_token_invalid');
    expect((await report(c.id, { reason: 'spam', formToken: await formToken('another-article') })).status).toBe(403);
    const bad = await report(c.id, { reason: 'boring', note: 'x'.repeat(501), formToken: await formToken(c.articleId) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['note', 'reason']);
    expect(await reportsOf(c.id)).toHaveLength(0);
  });

  it('takes a report from a form without JavaScript: 303 back to the article and a reader cookie', async () => {
    const c = await seedComment(h.pool, { status: 'approved' });
    const res = await fetch(`${h.baseUrl}/api/comments/${c.id}/reports`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
      body: new URLSearchParams({ reason: 'off_topic', note: '', form_token: await formToken(c.articleId), redirect_to: `${h.baseUrl}/?article=${c.articleId}` }).toString(),
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('reported')).toBe(c.id);
    expect(res.headers.get('set-cookie')).toMatch(/^cm_reader=rt1\.[^;]+;.*HttpOnly/i);
    expect((await reportsOf(c.id))[0]).toMatchObject({ reason: 'off_topic', note: null });
  });

  it('lists the reported queue most reported first with reasons and notes; approve clears, spam unpublishes', async () => {
    const articleId = `art-${randomUUID()}`;
    const a = await seedComment(h.pool, { articleId, status: 'approved' });
    const b = await seedComment(h.pool, { articleId, status: 'approved' });
    const token = await formToken(articleId);
    await report(b.id, { reason: 'spam', formToken: token });
    for (const reason of ['abusive', 'abusive', 'other']) await report(a.id, { reason, note: reason === 'other' ? 'Names a private person.' : undefined, formToken: token });

    const queue = await api.get(`/api/moderation/comments?queue=reported&article=${articleId}`);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual([a.id, b.id]);
    expect(queue.body.items[0].reports).toMatchObject({ count: 3, reasons: { abusive: 2, other: 1 }, notes: [{ reason: 'other', note: 'Names a private person.' }] });
    expect(queue.body.queues.reported).toBeGreaterThanOrEqual(2);

    const kept = await api.post(`/api/moderation/comments/${a.id}/approve`, { expectedStatus: 'approved' });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ from: 'approved', to: 'approved', reportsDismissed: true });
    expect(await statusOf(h.pool, a.id)).toBe('approved');
    expect((await reportsOf(a.id)).every((r) => r.resolution === 'dismissed' && r.resolved_at)).toBe(true);
    // Approving again: nothing left to dismiss, and an approved comment is already decided.
    expect((await api.post(`/api/moderation/comments/${a.id}/approve`, {})).status).toBe(409);

    const binned = await api.post(`/api/moderation/comments/${b.id}/spam`, { expectedStatus: 'approved' });
    expect(binned.status).toBe(200);
    expect(await statusOf(h.pool, b.id)).toBe('spam');
    expect((await reportsOf(b.id))[0].resolution).toBe('upheld');
    const after = await api.get(`/api/moderation/comments?queue=reported&article=${articleId}`);
    expect(after.body.items).toEqual([]);
  });

  it('lists published comments no person has looked at as unmoderated', async () => {
    const articleId = `art-${randomUUID()}`;
    const seen = await seedComment(h.pool, { articleId, status: 'pending' });
    const unseen = await seedComment(h.pool, { articleId, status: 'approved' });
    await api.post(`/api/moderation/comments/${seen.id}/approve`, {});
    const queue = await api.get(`/api/moderation/comments?queue=unmoderated&article=${articleId}`);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual([unseen.id]);
    const counts = await api.get('/api/moderation/counts');
    expect(counts.body.queues.unmoderated).toBeGreaterThanOrEqual(1);
  });

  it('hides a comment after hideAfterReports until a moderator decides', async () => {
    const c = await seedComment(hiding.pool, { status: 'approved' });
    const token = await formToken(c.articleId, hiding);
    await report(c.id, { reason: 'abusive', formToken: token }, { on: hiding });
    expect(await statusOf(h.pool, c.id)).toBe('approved');
    await report(c.id, { reason: 'abusive', formToken: token }, { on: hiding });
    expect(await statusOf(h.pool, c.id)).toBe('pending');
    // Still in the reported queue, reports open, until a moderator approves it back.
    const queue = await api.get(`/api/moderation/comments?queue=reported&article=${c.articleId}`);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    await api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' });
    expect(await statusOf(h.pool, c.id)).toBe('approved');
    expect((await reportsOf(c.id)).every((r) => r.resolution === 'dismissed')).toBe(true);
  });

  it('counts a reader whose reports moderators dismissed for less', async () => {
    const articleId = `art-${randomUUID()}`;
    const token = await formToken(articleId);
    let readerToken: string | undefined;
    for (let i = 0; i < 3; i += 1) {
      const c = await seedComment(h.pool, { articleId, status: 'approved' });
      const r = await report(c.id, { reason: 'spam', formToken: token, readerToken });
      readerToken = r.body.readerToken;
      await api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'approved' });
    }
    const next = await seedComment(h.pool, { articleId, status: 'approved' });
    await report(next.id, { reason: 'spam', formToken: token, readerToken });
    const [row] = await reportsOf(next.id);
    expect(row.weight).toBeCloseTo(0.25, 2); // (0 upheld + 1) / (3 resolved + 1)
  });

  it('erasing an email removes the reports sent from its addresses, and a reader token erases that reader', async () => {
    const ip = nextIp();
    const email = `reporter-${randomUUID().slice(0, 8)}@example.org`;
    // She commented from this address once, and reported two comments from it.
    await seedComment(h.pool, { status: 'approved', authorEmail: email, ip });
    const c1 = await seedComment(h.pool, { status: 'approved' });
    const c2 = await seedComment(h.pool, { status: 'approved' });
    const r1 = await report(c1.id, { reason: 'spam', formToken: await formToken(c1.articleId) }, { ip });
    await report(c2.id, { reason: 'other', note: `Mail me at ${email}`, formToken: await formToken(c2.articleId) }, { ip: nextIp() });
    const other = await seedComment(h.pool, { status: 'approved' });
    await report(other.id, { reason: 'spam', formToken: await formToken(other.articleId), readerToken: r1.body.readerToken }, { ip: nextIp() });

    const erased = await admin.post('/api/moderation/privacy/erase', { email, bodies: 'keep', readerToken: r1.body.readerToken });
    expect(erased.status).toBe(200);
    expect(erased.body.reports).toBe(2);
    expect(await reportsOf(c1.id)).toHaveLength(0);
    expect(await reportsOf(other.id)).toHaveLength(0);
    // The report from elsewhere stays, but no longer quotes her address.
    const [kept] = await reportsOf(c2.id);
    expect(kept.note).toBe('[erased]');
  });
});
