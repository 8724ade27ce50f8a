import { startHarness, type Harness } from '../../helpers/harness';
import { uniqueArticle } from '../../helpers/widget';

const ALLOWED = 'https://news.example.org';
const STRANGER = 'https://evil.example';

describe("readers' API CORS", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ALLOWED_ORIGINS: `${ALLOWED},http://localhost:0` }, workerSettings: { floodSeconds: 0, hourlyLimitPerIp: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  const json = (articleId: string, email: string) =>
    JSON.stringify({ articleId, authorName: 'Ada', authorEmail: email, body: 'Cross-origin remark.' });
  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers, body, redirect: 'manual' });

  it('answers a preflight from an allowed origin with the methods and headers the widget sends', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')!.toLowerCase()).toBe('content-type,idempotency-key');
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('accepts a JSON post from an allowed origin and lets it read the answer', async () => {
    const res = await post({ origin: ALLOWED, 'content-type': 'application/json' }, json(uniqueArticle(), 'allowed@example.org'));
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });

  it('refuses a JSON post, a form post and a preflight from an unlisted origin with 403 origin_not_allowed', async () => {
    const articleId = uniqueArticle();
    const jsonRes = await post({ origin: STRANGER, 'content-type': 'application/json' }, json(articleId, 'stranger@example.org'));
    expect(jsonRes.status).toBe(403);
    expect(jsonRes.headers.get('access-control-allow-origin')).toBeNull();
    expect((await jsonRes.json()).error.code).toBe('origin_not_allowed');

    const form = new URLSearchParams({ comment: 'Hi', author: 'A', email: 'form-stranger@example.org', comment_post_ID: articleId });
    const formRes = await post({ origin: STRANGER, 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
    expect(formRes.status).toBe(403);
    expect(await formRes.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });

    const preflight = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'OPTIONS',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    // Nothing was queued for that article.
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses Origin: null (sandboxed frames, file: pages)', async () => {
    const res = await post({ origin: 'null', 'content-type': 'application/json' }, json(uniqueArticle(), 'null@example.org'));
    expect(res.status).toBe(403);
  });

  it('accepts posts without an Origin (curl, servers) and from its own origin', async () => {
    expect((await post({ 'content-type': 'application/json' }, json(uniqueArticle(), 'curl@example.org'))).status).toBe(202);
    const own = h.baseUrl; // not in ALLOWED_ORIGINS: same-origin requests are always allowed
    expect((await post({ origin: own, 'content-type': 'application/json' }, json(uniqueArticle(), 'own@example.org'))).status).toBe(202);
  });

  it('gives listings CORS headers for allowed origins only, and never refuses a GET', async () => {
    const url = `${h.baseUrl}/api/articles/${uniqueArticle()}/comments`;
    const allowed = await fetch(url, { headers: { origin: ALLOWED } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const stranger = await fetch(url, { headers: { origin: STRANGER } });
    expect(stranger.status).toBe(200);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(stranger.headers.get('vary')).toMatch(/Origin/);
  });

  it('leaves routes outside the readers\' API without CORS headers', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`, { headers: { origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
