import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient, statusOf } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

describe('moderation actions', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  let other: Awaited<ReturnType<typeof signedInClient>>['api'];
  let moderatorId: string;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const signed = await signedInClient(h);
    api = signed.api;
    moderatorId = signed.account.id;
    other = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const eventsOf = async (id: string) =>
    (await h.pool.query('SELECT from_status, to_status, actor, note FROM moderation_events WHERE comment_id = $1 ORDER BY id', [id])).rows;

  it.each([
    ['approve', 'pending', 'approved'],
    ['unapprove', 'approved', 'pending'],
    ['spam', 'pending', 'spam'],
    ['not-spam', 'spam', 'approved'],
    ['trash', 'approved', 'trash'],
  ])('%s moves a %s comment to %s and records who did it', async (action, from, to) => {
    const c = await seedComment(h.pool, { status: from as 'pending' });
    const res = await api.post(`/api/moderation/comments/${c.id}/${action}`, { expectedStatus: from, note: 'checked' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from, to, comment: { id: c.id, status: to } });
    expect(await statusOf(h.pool, c.id)).toBe(to);
    expect((await eventsOf(c.id)).at(-1)).toEqual({ from_status: from, to_status: to, actor: `moderator:${moderatorId}`, note: 'checked' });
  });

  it('restore returns a trashed comment to the status it had before', async () => {
    const c = await seedComment(h.pool, { status: 'approved' });
    await api.post(`/api/moderation/comments/${c.id}/trash`, { expectedStatus: 'approved' });
    const res = await api.post(`/api/moderation/comments/${c.id}/restore`, { expectedStatus: 'trash' });
    expect(res.body).toMatchObject({ from: 'trash', to: 'approved' });
  });

  it('restore returns a comment the worker marked spam to pending', async () => {
    const c = await seedComment(h.pool, { status: 'spam' });
    const res = await api.post(`/api/moderation/comments/${c.id}/restore`, {});
    expect(res.body).toMatchObject({ from: 'spam', to: 'pending' });
  });

  it('answers 409 already_decided when the comment is no longer in the expected status', async () => {
    const c = await seedComment(h.pool, { status: 'approved' });
    const res = await api.post(`/api/moderation/comments/${c.id}/spam`, { expectedStatus: 'pending' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'already_decided', currentStatus: 'approved' });
    expect(await statusOf(h.pool, c.id)).toBe('approved');
  });

  it('lets exactly one of two moderators racing on the same comment win', async () => {
    for (let round = 0; round < 5; round += 1) {
      const c = await seedComment(h.pool, { status: 'pending' });
      const [a, b] = await Promise.all([
        api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' }),
        other.post(`/api/moderation/comments/${c.id}/spam`, { expectedStatus: 'pending' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? 'approved' : 'spam';
      expect(await statusOf(h.pool, c.id)).toBe(winner);
      expect((await eventsOf(c.id)).filter((e) => e.from_status === 'pending')).toHaveLength(1);
    }
  });

  it('answers 422 for an expected status the action can never start from, and 404 for an unknown comment', async () => {
    const c = await seedComment(h.pool, { status: 'pending' });
    const bad = await api.post(`/api/moderation/comments/${c.id}/not-spam`, { expectedStatus: 'pending' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ field: 'expectedStatus' })]);
    expect((await api.post(`/api/moderation/comments/${randomUUID()}/approve`, {})).status).toBe(404);
  });

  it('edits the body and keeps the old text in the history', async () => {
    const c = await seedComment(h.pool, { status: 'pending', body: 'Original words.' });
    const res = await api.patch(`/api/moderation/comments/${c.id}`, { body: 'Edited words.', expectedStatus: 'pending' });
    expect(res.status).toBe(200);
    const detail = await api.get(`/api/moderation/comments/${c.id}`);
    expect(detail.body.comment.body).toBe('Edited words.');
    expect(detail.body.revisions).toEqual([expect.objectContaining({ body: 'Original words.', editedBy: `moderator:${moderatorId}` })]);
    expect(detail.body.events.at(-1)).toMatchObject({ from: 'pending', to: 'pending' });
  });

  it('deletes permanently, moves replies up and records the deletion', async () => {
    const parent = await seedComment(h.pool, { status: 'approved' });
    const c = await seedComment(h.pool, { status: 'trash', articleId: parent.articleId, parentId: parent.id });
    const reply = await seedComment(h.pool, { status: 'approved', articleId: parent.articleId, parentId: c.id });
    const res = await api.del(`/api/moderation/comments/${c.id}`, { expectedStatus: 'trash' });
    expect(res.status).toBe(200);
    expect(await statusOf(h.pool, c.id)).toBeNull();
    const { rows } = await h.pool.query('SELECT parent_id FROM comments WHERE id = $1', [reply.id]);
    expect(rows[0].parent_id).toBe(parent.id);
    expect((await eventsOf(c.id)).at(-1)).toMatchObject({ from_status: 'trash', to_status: 'deleted' });
    expect((await api.del(`/api/moderation/comments/${c.id}`)).status).toBe(404);
  });

  it('applies a bulk action to a list of ids, reporting each one', async () => {
    const a = await seedComment(h.pool, { status: 'pending' });
    const b = await seedComment(h.pool, { status: 'pending' });
    const decided = await seedComment(h.pool, { status: 'approved' });
    const res = await api.post('/api/moderation/bulk', { action: 'trash', ids: [a.id, b.id, decided.id], expectedStatus: 'pending' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: 2, failed: 1 });
    expect(res.body.results).toEqual([
      { id: a.id, ok: true, from: 'pending', to: 'trash' },
      { id: b.id, ok: true, from: 'pending', to: 'trash' },
      { id: decided.id, ok: false, error: expect.objectContaining({ code: 'already_decided', currentStatus: 'approved' }) },
    ]);
  });

  it('marks everything from one author as spam', async () => {
    const authorEmail = `spammer-${randomUUID().slice(0, 8)}@example.org`;
    const seeded = await Promise.all([
      seedComment(h.pool, { status: 'pending', authorEmail }),
      seedComment(h.pool, { status: 'approved', authorEmail: authorEmail.toUpperCase() }),
      seedComment(h.pool, { status: 'spam', authorEmail }),
    ]);
    const res = await api.post('/api/moderation/bulk', { action: 'spam', authorEmail });
    expect(res.body).toMatchObject({ changed: 2, failed: 0 });
    for (const c of seeded) expect(await statusOf(h.pool, c.id)).toBe('spam');
  });

  it('validates the bulk body with field errors', async () => {
    const res = await api.post('/api/moderation/bulk', { action: 'explode', ids: ['nope'] });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['action', 'ids.0']));
  });
});
