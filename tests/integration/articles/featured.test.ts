import { randomUUID } from 'node:crypto';
import { eventually, startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

jest.setTimeout(60000);

/** Issue 24, part 3: editors' picks in the reader listing. */
describe('POST/DELETE /api/moderation/comments/:id/feature', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const listing = async (articleId: string) => {
    const res = await fetch(`${h.baseUrl}/api/articles/${articleId}/comments`);
    return { etag: res.headers.get('etag'), body: await res.json() };
  };

  it('marks a published comment featured in the listing, with featuredIds and the picks, and takes it back', async () => {
    const articleId = `art-${randomUUID()}`;
    const older = await seedComment(h.pool, { articleId, status: 'approved', submittedAt: new Date(Date.now() - 60000) });
    const pick = await seedComment(h.pool, { articleId, status: 'approved' });
    const before = await listing(articleId);
    expect(before.body.featuredIds).toEqual([]);

    const res = await api.post(`/api/moderation/comments/${pick.id}/feature`);
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({ id: pick.id, featured: true });
    // The listing's version moves (new ETag) as soon as the change is announced.
    const after = await eventually(async () => {
      const l = await listing(articleId);
      return l.etag !== before.etag && l;
    });
    expect(after.body.featuredIds).toEqual([pick.id]);
    expect(after.body.featured).toEqual([expect.objectContaining({ id: pick.id, body: pick.body, featured: true })]);
    const inThread = after.body.comments.find((c: { id: string }) => c.id === pick.id);
    expect(inThread.featured).toBe(true);
    expect(after.body.comments.find((c: { id: string }) => c.id === older.id).featured).toBeUndefined();
    const events = await h.pool.query('SELECT reasons FROM moderation_events WHERE comment_id = $1 ORDER BY id', [pick.id]);
    expect(JSON.stringify(events.rows.at(-1)!.reasons)).toContain('featured');

    expect((await api.del(`/api/moderation/comments/${pick.id}/feature`)).status).toBe(200);
    const cleared = await eventually(async () => {
      const l = await listing(articleId);
      return l.body.featuredIds.length === 0 && l;
    });
    expect(cleared.body.comments.every((c: { featured?: boolean }) => c.featured === undefined)).toBe(true);
  });

  it('answers 409 not_published for a held comment and 404 for an unknown one', async () => {
    const held = await seedComment(h.pool, { status: 'pending' });
    const res = await api.post(`/api/moderation/comments/${held.id}/feature`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_published');
    expect((await api.post(`/api/moderation/comments/${randomUUID()}/feature`)).status).toBe(404);
    const anonymous = await fetch(`${h.baseUrl}/api/moderation/comments/${held.id}/feature`, { method: 'POST', headers: { origin: h.baseUrl } });
    expect(anonymous.status).toBe(401);
  });
});
