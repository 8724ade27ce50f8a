import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startHarness, type Harness } from '../helpers/harness';
import { freePort, postComment, startWidgetHarness, uniqueArticle } from '../helpers/widget';

jest.setTimeout(90000);

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** A reader without JavaScript: their own held comment after the 303, and the pages that refuse a comment. */
describe('the demo article without JavaScript, as a reader sees it', () => {
  let h: Harness;
  let reader: Browser;
  let stranger: Browser;
  const problems: string[] = [];
  beforeAll(async () => {
    h = await startWidgetHarness();
    reader = await launchBrowser({ javaScriptEnabled: false });
    stranger = await launchBrowser({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await reader?.close();
    await stranger?.close();
    await h?.close();
  });

  async function open(browser: Browser, url: string, viewport = { width: 390, height: 844 }): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    // Script and CSP errors; the refusals' own statuses (422, 429) are what these pages answer.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    await page.goto(url);
    return page;
  }

  async function fill(page: Page, values: Record<string, string>) {
    for (const [name, value] of Object.entries(values)) await page.locator(`form.nj-form [name=${name}]`).fill(value);
  }

  it("shows the reader their own held comment after the 303, awaiting moderation, and nobody else", async () => {
    const articleId = uniqueArticle('nojs-own');
    const page = await open(reader, `${h.baseUrl}/?article=${articleId}`);
    await fill(page, { comment: 'Held, but I can see it.', author: 'Rae No-Script', email: 'rae@example.org' });
    await Promise.all([page.waitForURL(/unapproved=/), page.locator('form.nj-form button[type=submit]').click()]);
    const backUrl = page.url();
    const id = new URL(backUrl).searchParams.get('unapproved')!;

    // The page waits a moment for the worker; on a busy machine a reload may still be needed.
    const mine = page.locator(`li.nj-pending#comment-${id}`);
    const deadline = Date.now() + 30000;
    while (!(await mine.isVisible()) && Date.now() < deadline) await page.reload();
    await mine.waitFor({ timeout: 1000 });
    expect(await mine.locator('.nj-note').innerText()).toBe('Your comment is awaiting moderation.');
    expect(await mine.locator('.nj-text').innerText()).toBe('Held, but I can see it.');
    expect(await mine.locator('.nj-author').innerText()).toBe('Rae No-Script');
    await mine.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/day-ui-nojs-own-pending-phone.png' });

    // Another browser with the very same link sees the generic notice, never the comment.
    const other = await open(stranger, backUrl);
    await other.locator('.pending-notice', { hasText: 'Your comment is awaiting moderation.' }).waitFor();
    expect(await other.locator('li.nj-pending').count()).toBe(0);
    expect(await other.content()).not.toContain('Held, but I can see it.');
    // Nor with a cookie it made up.
    await stranger.context.addCookies([{ name: 'cm_own', value: `${id}.AAAAAAAAAAAAAAAAAAAAAA`, url: h.baseUrl }]);
    await other.reload();
    expect(await other.locator('li.nj-pending').count()).toBe(0);
    expect(await other.content()).not.toContain('Held, but I can see it.');
    await other.close();
    await page.close();
    expect(problems.splice(0)).toEqual([]);
  });

  it('answers a refused comment with a styled page that says what is missing', async () => {
    const page = await open(reader, `${h.baseUrl}/?article=${uniqueArticle('nojs-err')}`);
    await page.locator('form.nj-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await fill(page, { comment: 'No name given.', email: 'anon@example.org' });
    await page.locator('form.nj-form button[type=submit]').click();
    await page.locator('li', { hasText: 'Please enter your name here' }).waitFor();
    const look = await page.locator('main').evaluate((m) => {
      const s = getComputedStyle(m);
      return { background: s.backgroundColor, border: s.borderTopWidth, body: getComputedStyle(document.body).backgroundColor };
    });
    expect(look).toEqual({ background: 'rgb(255, 255, 255)', border: '4px', body: 'rgb(241, 241, 241)' });
    expect(await page.locator('a.back').innerText()).toContain('Back to the article');
    await page.screenshot({ path: '/tmp/day-ui-nojs-error-phone.png', fullPage: true });
    await page.close();
    expect(problems.splice(0)).toEqual([]);
  });

  describe('with flood control on', () => {
    let flood: Harness;
    beforeAll(async () => {
      const port = await freePort();
      const own = `http://127.0.0.1:${port}`;
      flood = await startHarness({
        env: { PORT: String(port), PUBLIC_URL: own, ALLOWED_ORIGINS: own },
        apiSettings: { floodSeconds: 60, hourlyLimitPerIp: 0 },
        workerSettings: { holdAll: true },
      });
    });
    afterAll(async () => {
      await flood?.close();
    });

    it('says how long to wait when a comment comes too soon after the last', async () => {
      const articleId = uniqueArticle('nojs-flood');
      const email = `quick-${Date.now()}@example.org`;
      await postComment(flood, { articleId, authorName: 'Quick', authorEmail: email, body: 'The first one.' });
      const page = await open(reader, `${flood.baseUrl}/?article=${articleId}`, { width: 1200, height: 900 });
      await fill(page, { comment: 'And the second, straight away.', author: 'Quick', email });
      await page.locator('form.nj-form button[type=submit]').click();
      const wait = page.locator('p.wait');
      await wait.waitFor();
      const seconds = Number(/Please wait (\d+) seconds?/.exec(await wait.innerText())?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(await page.locator('h1').innerText()).toBe('Your comment was not posted');
      await page.screenshot({ path: '/tmp/day-ui-nojs-too-fast.png' });
      await page.close();
      expect(problems.splice(0)).toEqual([]);
    });
  });
});
