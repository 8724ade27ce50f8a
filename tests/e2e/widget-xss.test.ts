import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads';
import { launchBrowser } from '../helpers/browser';
import { eventually, type Harness } from '../helpers/harness';
import { fillForm, startHostSite, startWidgetHarness, uniqueArticle } from '../helpers/widget';

/** Every element the widget's comment list may contain; anything else came from a payload. */
const LIST_TAGS = new Set(['OL', 'LI', 'ARTICLE', 'SPAN', 'P', 'CITE', 'A', 'TIME', 'EM', 'DIV', 'BR', 'BUTTON']);

describe('comment widget against XSS', () => {
  let h: Harness;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const articleId = uniqueArticle('xss');
  let stored = 0;

  beforeAll(async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    host = await startHostSite(() => h.baseUrl);
    h = await startWidgetHarness({ extraOrigins: [`http://127.0.0.1:${host.port}`] });
    browser = await launchBrowser();

    // Each payload as name, website and body through the API; where the API refuses the website
    // (not an http(s) URL), once more without it.
    const ids: string[] = [];
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const comment = { articleId, authorName: payload.slice(0, 245), authorEmail: `xss-${i}-${randomUUID()}@example.org`, authorUrl: payload.slice(0, 200), body: payload };
      let res = await post(comment);
      if (res.status === 422) res = await post({ ...comment, authorUrl: null });
      expect(res.status).toBe(202);
      ids.push((await res.json()).id);
    }
    await eventually(async () => (await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE id = ANY($1::uuid[])', [ids])).rows[0].n === ids.length, 30000);
    // The same payloads as stored website URLs, as if an older import had let them through.
    // (Millisecond timestamps, as the worker stores them: the listing's cursor has that precision.)
    for (const payload of XSS_PAYLOADS) {
      await h.pool.query(
        `INSERT INTO comments (id, article_id, author_name, author_email, author_url, body, status, submitted_at)
         VALUES ($1, $2, 'Imported Author', 'import@example.org', $3, 'Imported comment.', 'approved', date_trunc('milliseconds', clock_timestamp()))`,
        [randomUUID(), articleId, payload],
      );
    }
    const approved = await h.pool.query(`UPDATE comments SET status = 'approved', updated_at = now() WHERE article_id = $1`, [articleId]);
    stored = approved.rowCount ?? 0;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await host?.close();
  });

  function post(comment: Record<string, unknown>) {
    return fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
  }

  /** A page that counts dialogs; `window.__xss` is the payloads' other signal. */
  async function watchedPage(): Promise<{ page: Page; dialogs: string[] }> {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return { page, dialogs };
  }

  const ranSomething = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? 0);

  it(`shows ${XSS_PAYLOADS.length} payloads as name, website and body on a page without CSP, and runs none`, async () => {
    const { page, dialogs } = await watchedPage();
    await page.goto(`http://127.0.0.1:${host.port}/?article=${articleId}`);
    await page.locator('#comments .cm-list > li').first().waitFor();
    // All pages of comments (50 top-level each).
    while (await page.locator('#comments .cm-more').isVisible()) {
      const before = await page.locator('#comments .cm-list > li').count();
      await page.locator('#comments .cm-more').click();
      await eventually(async () => (await page.locator('#comments .cm-list > li').count()) > before);
    }
    expect(await page.locator('#comments li.cm-comment').count()).toBe(stored);
    // Give error/load/focus/animation handlers every chance to fire, and hover everything.
    await page.waitForTimeout(800);
    await page.mouse.move(200, 200);

    expect(await ranSomething(page)).toBe(0);
    expect(dialogs).toEqual([]);
    const report = await page.evaluate(() => {
      const root = document.querySelector('#comments')!.shadowRoot!;
      const tags = [...new Set([...root.querySelectorAll('.cm-list *')].map((e) => e.tagName))];
      const links = [...root.querySelectorAll('.cm-list a')].map((a) => ({ href: (a as HTMLAnchorElement).href, rel: a.getAttribute('rel') }));
      const handlers = [...root.querySelectorAll('.cm-list *')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on'));
      return { tags, links, handlers, lightDomNodes: document.querySelectorAll('img, svg, iframe, object, embed, script:not([src$="/embed.js"])').length };
    });
    expect(report.tags.filter((t) => !LIST_TAGS.has(t))).toEqual([]);
    expect(report.handlers).toEqual([]);
    expect(report.lightDomNodes).toBe(0);
    for (const link of report.links) {
      expect(new URL(link.href).protocol).toMatch(/^https?:$/);
      expect(link.rel).toBe('nofollow ugc noopener');
    }
    // The text is shown as typed: the first payload's body reads exactly as the payload.
    expect(await page.locator('#comments li.cm-comment .cm-text', { hasText: XSS_PAYLOADS[0] }).first().innerText()).toBe(XSS_PAYLOADS[0]);
    await page.close();
  });

  it("shows the submitter's own pending payloads as text too", async () => {
    const { page, dialogs } = await watchedPage();
    await page.goto(`http://127.0.0.1:${host.port}/?article=${uniqueArticle('xss-own')}`);
    await page.locator('#comments .cm-submit').waitFor();
    await fillForm(page, { comment: `<img src=x onerror="window.__xss=1">\n<svg onload=alert(1)>`, author: '<script>window.__xss=1</script>', email: 'own-xss@example.org', url: 'https://example.org/"onmouseover="window.__xss=1' });
    await page.locator('#comments .cm-submit').click();
    const mine = page.locator('#comments li.cm-pending');
    await mine.waitFor();
    await page.reload(); // and once more from this browser's storage
    await mine.waitFor();
    await page.waitForTimeout(500);
    expect(await mine.locator('.cm-author').innerText()).toBe('<script>window.__xss=1</script>');
    expect(await mine.locator('.cm-text').innerText()).toBe('<img src=x onerror="window.__xss=1">\n<svg onload=alert(1)>');
    expect(await ranSomething(page)).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('renders the server-side (no-JavaScript) list with every payload escaped', async () => {
    // Every page of the server-rendered list (50 top-level comments each, "More comments" links on).
    let noscript = '';
    let next: string | null = `${h.baseUrl}/?article=${articleId}`;
    while (next) {
      const html = await (await fetch(next)).text();
      expect(html.match(/<\/noscript>/g)).toHaveLength(1);
      const part = /<noscript>([\s\S]*)<\/noscript>/.exec(html)![1];
      noscript += part;
      const more = /<a class="more" href="([^"]+)"/.exec(part);
      next = more ? more[1].replaceAll('&amp;', '&') : null;
    }
    expect(noscript.match(/class="nj-comment"/g)).toHaveLength(stored);
    const { page, dialogs } = await watchedPage();
    // Parsed as live HTML with scripts on and no CSP: only escaping protects it here.
    await page.setContent(`<!doctype html><html><body>${noscript}</body></html>`);
    await page.waitForTimeout(800);
    expect(await ranSomething(page)).toBe(0);
    expect(dialogs).toEqual([]);
    // Every element of the list but the service's own Report form under each comment (issue 24).
    const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('.nj-list *:not(.nj-report, .nj-report *)')].map((e) => e.tagName))]);
    expect(tags.filter((t) => !LIST_TAGS.has(t))).toEqual([]);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('.nj-list a[href]')].map((a) => a.getAttribute('href')!));
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    await page.close();
  });
});
