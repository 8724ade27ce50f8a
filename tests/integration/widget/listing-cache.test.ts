import { randomUUID } from 'node:crypto';
import { eventually, startHarness, type Harness } from '../../helpers/harness';
import { uniqueArticle } from '../../helpers/widget';

/** Stores a comment directly, as the worker would (the listing and counts only read the table). */
async function insertComment(h: Harness, articleId: string, status = 'approved', extra: { parentId?: string; body?: string } = {}): Promise<string> {
  const id = randomUUID();
  await h.pool.query(
    `INSERT INTO comments (id, article_id, parent_id, author_name, author_email, body, status, submitted_at)
     VALUES ($1, $2, $3, 'Ada Reader', $4, $5, $6, now())`,
    [id, articleId, extra.parentId ?? null, `${id}@example.org`, extra.body ?? 'A remark.', status],
  );
  return id;
}

describe('GET /api/articles/:articleId/comments caching', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  const listing = (articleId: string, etag?: string) =>
    fetch(`${h.baseUrl}/api/articles/${encodeURIComponent(articleId)}/comments`, { headers: etag ? { 'if-none-match': etag } : {} });

  it('sends an ETag with must-revalidate and answers 304 to a matching If-None-Match', async () => {
    const articleId = uniqueArticle();
    await insertComment(h, articleId);
    const first = await listing(articleId);
    expect(first.status).toBe(200);
    // Browsers revalidate every view; shared caches may keep it LISTING_CDN_MAX_AGE (default 1 s).
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate, s-maxage=1');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"l2-/);
    const again = await listing(articleId, etag);
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate, s-maxage=1');
    expect(await again.text()).toBe('');
  });

  it('tells CDNs how long to keep and serve stale, and tags the page with its article', async () => {
    const articleId = uniqueArticle();
    const other = uniqueArticle();
    await insertComment(h, articleId);
    const res = await listing(articleId);
    expect(res.headers.get('cdn-cache-control')).toBe('public, max-age=1, stale-while-revalidate=30, stale-if-error=86400');
    expect(res.headers.get('surrogate-control')).toBe('max-age=1, stale-while-revalidate=30, stale-if-error=86400');
    const key = res.headers.get('surrogate-key')!.split(' ');
    expect(key).toEqual([expect.stringMatching(/^comments-a-[0-9a-f]{24}$/), 'comments-listings']);
    expect(res.headers.get('cache-tag')).toBe(key.join(','));
    const otherKey = (await listing(other)).headers.get('surrogate-key')!.split(' ')[0];
    expect(otherKey).not.toBe(key[0]);
  });

  it('changes the ETag when a comment is approved, un-approved, edited or deleted', async () => {
    const articleId = uniqueArticle();
    const a = await insertComment(h, articleId);
    const b = await insertComment(h, articleId, 'pending');
    const seen = new Set<string>();
    const etagNow = async () => {
      const res = await listing(articleId);
      await res.arrayBuffer();
      return res.headers.get('etag')!;
    };
    const step = async (sql: string, params: unknown[]) => {
      const before = await etagNow();
      seen.add(before);
      await h.pool.query(sql, params);
      // The API hears of the change when the commit's notification arrives (milliseconds).
      const after = await eventually(async () => {
        const etag = await etagNow();
        return etag !== before && etag;
      }, 2000, 10);
      expect((await listing(articleId, before)).status).toBe(200);
      return after;
    };
    // approve b; un-approve a (count back to 1, and no newer updated_at among the approved rows)
    await step(`UPDATE comments SET status = 'approved', updated_at = now() WHERE id = $1`, [b]);
    await step(`UPDATE comments SET status = 'pending', updated_at = now() WHERE id = $1`, [a]);
    // edit the approved comment (the invariant: edits bump updated_at)
    await step(`UPDATE comments SET body = 'Edited.', updated_at = now() WHERE id = $1`, [b]);
    // hard delete
    await step('DELETE FROM comments WHERE id = $1', [b]);
    // a pending comment changing does not matter to readers: same ETag, still 304
    const still = await etagNow();
    await h.pool.query(`UPDATE comments SET body = 'x', updated_at = now() WHERE id = $1`, [a]);
    expect((await listing(articleId, still)).status).toBe(304);
  });

  it('swapping one approved comment for another of the same count changes the ETag', async () => {
    const articleId = uniqueArticle();
    const a = await insertComment(h, articleId);
    const b = await insertComment(h, articleId, 'pending');
    // b's updated_at is older than a's: count and max(updated_at) alone would not notice the swap.
    await h.pool.query(`UPDATE comments SET updated_at = now() - interval '1 hour' WHERE id = $1`, [b]);
    const before = (await listing(articleId)).headers.get('etag');
    await h.pool.query(`UPDATE comments SET status = CASE WHEN id = $1 THEN 'pending' ELSE 'approved' END WHERE id IN ($1, $2)`, [a, b]);
    const res = await eventually(async () => {
      const r = await listing(articleId, before!);
      return r.status === 200 ? r : (await r.arrayBuffer(), null);
    }, 2000, 10);
    expect((await res.json()).comments.map((c: { id: string }) => c.id)).toEqual([b]);
  });
});

describe('GET /api/articles/counts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts approved comments per article, 0 for none, and is not captured by the listing route', async () => {
    const [x, y, z] = [uniqueArticle(), uniqueArticle(), uniqueArticle()];
    const parent = await insertComment(h, x);
    await insertComment(h, x, 'approved', { parentId: parent });
    await insertComment(h, x, 'pending');
    await insertComment(h, x, 'spam');
    await insertComment(h, z);
    const res = await fetch(`${h.baseUrl}/api/articles/counts?ids=${x},${y},${z},${x}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ counts: { [x]: 2, [y]: 0, [z]: 1 } });
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  });

  it('keeps ids such as "__proto__" as plain keys', async () => {
    const res = await fetch(`${h.baseUrl}/api/articles/counts?ids=__proto__,constructor`);
    expect(await res.text()).toBe('{"counts":{"__proto__":0,"constructor":0}}');
  });

  it('answers 400 for more than 100 ids, a missing ids parameter, or a malformed id', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `a${i}`).join(',');
    const tooMany = await fetch(`${h.baseUrl}/api/articles/counts?ids=${many}`);
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe('too_many_ids');
    const exactly100 = await fetch(`${h.baseUrl}/api/articles/counts?ids=${Array.from({ length: 100 }, (_, i) => `a${i}`).join(',')}`);
    expect(exactly100.status).toBe(200);
    expect((await (await fetch(`${h.baseUrl}/api/articles/counts`)).json()).error.code).toBe('missing_ids');
    expect((await (await fetch(`${h.baseUrl}/api/articles/counts?ids=${encodeURIComponent('a b<')}`)).json()).error.code).toBe('invalid_article_id');
  });
});
