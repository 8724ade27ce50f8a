import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { uniqueArticle } from '../../helpers/widget';

const EMBED_BUDGET_GZIP_BYTES = 15 * 1024;

describe('embed.js', () => {
  it(`stays within ${EMBED_BUDGET_GZIP_BYTES} bytes gzipped and loads nothing from elsewhere`, () => {
    const source = readFileSync(path.resolve(process.cwd(), 'public/widget/embed.js'));
    const gzipped = gzipSync(source, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(EMBED_BUDGET_GZIP_BYTES);
    // No third-party hosts, no eval-like constructs, no HTML parsing of data.
    const code = source.toString();
    expect(code).not.toMatch(/https?:\/\/(?!comments\.example\.org)[a-z]/i);
    expect(code).not.toMatch(/\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });
});

describe('GET /embed.js and the demo page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves embed.js as JavaScript, cacheable, with an ETag, gzip and CORS *', async () => {
    const res = await fetch(`${h.baseUrl}/embed.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{3,}/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-encoding')).toBe('gzip'); // fetch asks for gzip and decodes it
    expect(await res.text()).toContain('attachShadow');
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${h.baseUrl}/embed.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves the demo article with a strict CSP and no inline script or style', async () => {
    const res = await fetch(`${h.baseUrl}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain('<div id="comments" data-article-id="demo-article">');
    expect(html).toContain('<script src="/embed.js" async></script>');
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<h1>');
  });

  it('selects the article with ?article= and gives the no-JavaScript form the WordPress field names', async () => {
    const articleId = uniqueArticle();
    const html = await (await fetch(`${h.baseUrl}/?article=${articleId}`)).text();
    expect(html).toContain(`data-article-id="${articleId}"`);
    for (const name of ['comment', 'author', 'email', 'url', 'comment_post_ID', 'comment_parent', 'redirect_to', 'hp_url', 'form_token']) {
      expect(html).toContain(`name="${name}"`);
    }
    expect(html).toContain('<form action="/api/comments" method="post"');
    expect(html).toContain(`name="comment_post_ID" value="${articleId}"`);
  });

  it('shows "Your comment is awaiting moderation." for ?unapproved=<id>', async () => {
    const id = randomUUID();
    const html = await (await fetch(`${h.baseUrl}/?article=demo-article&unapproved=${id}`)).text();
    expect(html).toContain(`id="comment-${id}"`);
    expect(html).toContain('Your comment is awaiting moderation.');
  });

  it('escapes everything readers wrote in the server-rendered comments', async () => {
    const articleId = uniqueArticle();
    await h.pool.query(
      `INSERT INTO comments (id, article_id, author_name, author_email, author_url, body, status, submitted_at)
       VALUES ($1, $2, $3, 'x@example.org', $4, $5, 'approved', now())`,
      [randomUUID(), articleId, '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '</noscript><script>alert(1)</script>\nsee https://example.org/a?b=1&c=<2>'],
    );
    const html = await (await fetch(`${h.baseUrl}/?article=${articleId}`)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/noscript&gt;&lt;script&gt;alert(1)&lt;/script&gt;<br>see <a href="https://example.org/a?b=1&amp;c=" rel="nofollow ugc noopener">');
    expect(html).not.toContain('javascript:');
    expect(html.match(/<\/noscript>/g)).toHaveLength(1);
  });

  it('answers 404 for an article id that cannot be one', async () => {
    expect((await fetch(`${h.baseUrl}/?article=${encodeURIComponent('<x>')}`)).status).toBe(404);
  });
});
