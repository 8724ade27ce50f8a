import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel.
jest.setTimeout(60000);

/** Issue 14, finding 8: "Load more" with the server's own cursor, and bad query input answered 400 with the field. */
describe('GET /api/moderation/comments paging and query validation', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  const articleId = `paging-${randomUUID()}`;
  const seeded: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    api = (await signedInClient(h)).api;
    // 11 comments: some share a submission time and some a score, so every tie-break is exercised.
    const t = Date.now() - 3600_000;
    for (let i = 0; i < 11; i += 1) {
      const c = await seedComment(h.pool, { articleId, status: 'pending', score: i % 3, submittedAt: new Date(t + Math.floor(i / 2) * 1000) });
      seeded.push(c.id);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  for (const sort of ['oldest', 'newest', 'score'] as const) {
    it(`pages through sort=${sort} to the end with the returned cursor, every comment exactly once`, async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const res = await api.get(`/api/moderation/comments?article=${articleId}&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(cursor).toBeNull();
      expect(seen).toHaveLength(seeded.length);
      expect(new Set(seen)).toEqual(new Set(seeded));
    });
  }

  it('pages newest first in descending submission order', async () => {
    const res1 = await api.get(`/api/moderation/comments?article=${articleId}&sort=newest&limit=4`);
    const res2 = await api.get(`/api/moderation/comments?article=${articleId}&sort=newest&limit=4&cursor=${res1.body.nextCursor}`);
    expect(res2.status).toBe(200);
    const times = [...res1.body.items, ...res2.body.items].map((c: { submittedAt: string }) => Date.parse(c.submittedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('filters by a subnet written with host bits set (127.0.0.1/8)', async () => {
    const ipArticle = `paging-ip-${randomUUID()}`;
    const inside = await seedComment(h.pool, { articleId: ipArticle, ip: '127.5.6.7' });
    await seedComment(h.pool, { articleId: ipArticle, ip: '203.0.113.9' });
    const res = await api.get(`/api/moderation/comments?article=${ipArticle}&ip=${encodeURIComponent('127.0.0.1/8')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([inside.id]);
  });

  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const badInputs: [string, string, string][] = [
    ['a cursor that is not base64 JSON', 'cursor=garbage', 'cursor'],
    ['a cursor with a malformed id', `cursor=${encode({ s: 0, t: '2026-01-01T00:00:00Z', id: '-'.repeat(36) })}`, 'cursor'],
    ['a cursor with a date Postgres cannot hold', `cursor=${encode({ s: 0, t: '-100000-01-01T00:00:00Z', id: randomUUID() })}`, 'cursor'],
    ['a cursor with a score that is not a number', `cursor=${encode({ s: 'x', t: '2026-01-01T00:00:00Z', id: randomUUID() })}`, 'cursor'],
    ['a JSON null cursor', `cursor=${encode(null)}`, 'cursor'],
    ['an extreme since date', `since=${encodeURIComponent('-271821-04-20T00:00:00Z')}`, 'since'],
    ['a far-future until date', `until=${encodeURIComponent('+275760-09-13T00:00:00Z')}`, 'until'],
    ['a date that is not one', 'since=yesterday', 'since'],
    ['a subnet with too many bits', `ip=${encodeURIComponent('10.0.0.0/33')}`, 'ip'],
    ['an IPv6 address with a zone', `ip=${encodeURIComponent('fe80::1%eth0')}`, 'ip'],
    ['an unknown sort', 'sort=random', 'sort'],
  ];
  for (const [what, query, field] of badInputs) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      const res = await api.get(`/api/moderation/comments?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
      expect(res.body.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
    });
  }

  it('answers 200, never 500, when a cursor from one sort order is used with another', async () => {
    const first = await api.get(`/api/moderation/comments?article=${articleId}&sort=score&limit=2`);
    const other = await api.get(`/api/moderation/comments?article=${articleId}&sort=newest&limit=2&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(200);
  });
});
