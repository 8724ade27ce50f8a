import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startHarness, type Harness } from '../helpers/harness';
import { createTestModerator, signIn } from '../helpers/moderation';

jest.setTimeout(60000);

/**
 * The global security headers (helmet) must not break the pages a browser shows: the queue dashboard
 * (bull-board) runs under its own looser policy, and the HTML error page under its own.
 */
describe('pages under the security headers', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Console errors (CSP violations among them) and failed page errors while `fn` runs. */
  async function problemsOf(page: Page, fn: () => Promise<void>): Promise<string[]> {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await fn();
    return problems;
  }

  it('renders the queue dashboard for an admin, with no CSP violation but the blocked third-party font', async () => {
    const admin = await createTestModerator(h.pool, 'admin');
    const cookie = await signIn(h, admin.email);
    const [name, value] = cookie.split('=');
    await browser.context.addCookies([{ name, value, url: h.baseUrl }]);
    const page = await browser.context.newPage();
    const problems = await problemsOf(page, async () => {
      const res = await page.goto(`${h.baseUrl}/admin/queues`);
      expect(res!.headers()['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
      // The app drew its queue list (React, from its own script files).
      await page.getByText(h.config.QUEUE_NAME, { exact: false }).first().waitFor({ timeout: 15000 });
    });
    // No third-party web font any more (src/http/operations/queue-dashboard.ts drops its link): nothing is refused.
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await page.close();
    await browser.context.clearCookies();
  });

  it('shows the form-post error page readably, with a link back and no script', async () => {
    const noScript = await launchBrowser({ javaScriptEnabled: false }); // the server-rendered form is for readers without JavaScript
    try {
      const page = await noScript.context.newPage();
      const problems = await problemsOf(page, async () => {
        await page.goto(`${h.baseUrl}/?article=csp-check`);
        await page.locator('form.nj-form').evaluate((f) => f.setAttribute('novalidate', ''));
        await page.locator('form.nj-form [name=comment]').fill('No name given.');
        await page.locator('form.nj-form button[type=submit]').click();
        await page.locator('li', { hasText: 'Please enter your name here' }).waitFor();
      });
      // The inline style applies (the policy allows it); the way back is a plain link.
      expect(await page.locator('main').evaluate((m) => getComputedStyle(m).maxWidth)).toBe('640px');
      expect(await page.locator('a', { hasText: 'Back to the article' }).getAttribute('href')).toContain('article=csp-check');
      // The 422 itself is the only error the console reports.
      expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
    } finally {
      await noScript.close();
    }
  });
});
