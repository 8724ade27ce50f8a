import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { eventually, type Harness } from '../helpers/harness';
import { approve, fillForm, postComment, startHostSite, startWidgetHarness, uniqueArticle } from '../helpers/widget';

describe('comment widget embedded in other sites', () => {
  let h: Harness;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let allowedSite: string;
  let otherSite: string;

  beforeAll(async () => {
    host = await startHostSite(() => h.baseUrl);
    // One server, two origins: 127.0.0.1 is on the allow-list, localhost is not.
    allowedSite = `http://127.0.0.1:${host.port}`;
    otherSite = `http://localhost:${host.port}`;
    h = await startWidgetHarness({ extraOrigins: [allowedSite] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await host?.close();
  });

  async function open(url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    return { page, problems };
  }

  it('finds its API from its own src on an allowed site: lists, posts and polls cross-origin', async () => {
    const articleId = uniqueArticle('host');
    const earlier = await postComment(h, { articleId, authorName: 'Early Bird', body: 'Already here.' });
    await approve(h, earlier);
    const { page, problems } = await open(`${allowedSite}/?article=${articleId}`);
    await page.locator(`#comments li#comment-${earlier}`).waitFor();

    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${h.baseUrl}/api/comments`);
    await fillForm(page, { comment: 'From another site.', author: 'Guest', email: 'guest@example.org' });
    await page.locator('#comments .cm-submit').click();
    expect((await sent).headers()['idempotency-key']).toMatch(/^[\x21-\x7e]{8,}$/);
    const mine = page.locator('#comments li.cm-pending');
    await mine.waitFor();
    const id = (await mine.getAttribute('id'))!.replace('comment-', '');
    await approve(h, id);
    await page.locator(`#comments li#comment-${id}:not(.cm-pending)`).waitFor({ timeout: 15000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps the host page's styles out of the widget and the widget's out of the page", async () => {
    const articleId = uniqueArticle('host');
    await approve(h, await postComment(h, { articleId, authorName: 'Styled', body: 'Plain text.' }));
    const { page } = await open(`${allowedSite}/?article=${articleId}`);
    await page.locator('#comments li.cm-comment').waitFor();
    const inside = await page.locator('#comments .cm-text p').first().evaluate((e) => {
      const s = getComputedStyle(e);
      return { color: s.color, fontSize: s.fontSize };
    });
    expect(inside.color).not.toBe('rgb(255, 0, 0)');
    expect(inside.fontSize).toBe('15px');
    const outside = await page.evaluate(() => ({
      hostColor: getComputedStyle(document.querySelector('p.host')!).color,
      widgetClassesInPage: document.querySelectorAll('[class*="cm-"]').length,
      styleSheets: document.styleSheets.length,
    }));
    expect(outside).toEqual({ hostColor: 'rgb(255, 0, 0)', widgetClassesInPage: 0, styleSheets: 1 });
    await page.close();
  });

  it('cannot read or post from a site that is not on the allow-list, not even with a plain form', async () => {
    const articleId = uniqueArticle('stranger');
    const { page } = await open(`${otherSite}/?article=${articleId}`);
    await page.locator('#comments .cm-empty', { hasText: 'Comments could not be loaded.' }).waitFor();
    await fillForm(page, { comment: 'Let me in.', author: 'Stranger', email: 'stranger@example.org' });
    await page.locator('#comments .cm-submit').click();
    await page.locator('#comments .cm-status', { hasText: 'could not be sent' }).waitFor();

    // Another site's HTML form posting straight at the API (no preflight for a form) is refused too.
    const answer = page.waitForResponse((r) => r.url() === `${h.baseUrl}/api/comments`);
    await page.evaluate(([api, article]) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `${api}/api/comments`;
      for (const [name, value] of Object.entries({ comment: 'Form from elsewhere.', author: 'Stranger', email: 'stranger2@example.org', comment_post_ID: article })) {
        const input = document.createElement('input');
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    }, [h.baseUrl, articleId]);
    expect((await answer).status()).toBe(403);
    await page.waitForTimeout(300);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId]);
    expect(rows[0].n).toBe(0);
    await page.close();
  });

  it("works under the demo page's strict CSP and fills the comment counts", async () => {
    const articleId = uniqueArticle('csp');
    await approve(h, await postComment(h, { articleId, authorName: 'Counted', body: 'One.' }));
    const { page, problems } = await open(`${h.baseUrl}/?article=${articleId}`);
    await page.locator('#comments li.cm-comment').waitFor();
    // The widget's styles arrive as a constructed stylesheet, which style-src 'self' allows.
    expect(await page.locator('#comments .cm-submit').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(34, 34, 34)');
    await eventually(async () => (await page.locator(`.byline [data-comment-count="${articleId}"]`).innerText()) === '1 comment');
    expect(await page.locator('.most-read [data-comment-count="budget-2026"]').innerText()).toMatch(/^(No comments|\d+ comments?)$/);
    expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
