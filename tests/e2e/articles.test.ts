import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { publishReviewEvent, reviewChannel } from '../../src/live/review-feed';
import { launchBrowser } from '../helpers/browser';
import { eventually, type Harness } from '../helpers/harness';
import { client, createTestModerator, seedComment, signIn, TEST_PASSWORD } from '../helpers/moderation';
import { startWidgetHarness, uniqueArticle } from '../helpers/widget';

jest.setTimeout(90000);
type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** Issue 24 in Chromium: a reader reports, sees a closed article and the editors' picks; a moderator works the Reported tab. */
describe('articles in the browser', () => {
  let h: Harness;
  let moderator: ReturnType<typeof client>;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    h = await startWidgetHarness();
    const account = await createTestModerator(h.pool);
    moderator = client(h, await signIn(h, account.email));
  });
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await h.close();
  });

  const open = async (articleId: string, javaScriptEnabled = true): Promise<Page> => {
    const b = await launchBrowser({ javaScriptEnabled });
    browsers.push(b);
    const page = await b.context.newPage();
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    return page;
  };
  const reportsOf = async (id: string) => (await h.pool.query('SELECT reason, note FROM comment_reports WHERE comment_id = $1', [id])).rows;

  it('reports a comment from the widget with the keyboard alone', async () => {
    const articleId = uniqueArticle('report');
    const c = await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Pat Troll', body: 'You are all idiots.' });
    const page = await open(articleId);
    const button = page.getByRole('button', { name: 'Report the comment by Pat Troll' });
    await button.waitFor();
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    // Focus lands on the first reason; the arrow keys move between the reasons.
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Abusive or hateful' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Insults other readers.');
    await page.getByRole('button', { name: 'Send report' }).press('Enter');
    await page.getByRole('status').filter({ hasText: 'Thank you. A moderator will look at this comment.' }).waitFor();
    expect(await reportsOf(c.id)).toEqual([{ reason: 'abusive', note: 'Insults other readers.' }]);
    // The widget keeps the reader's token: a second report from this browser counts once.
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('cm-reader:')))).toBe(true);
  });

  it('reports a comment without JavaScript through the form under it', async () => {
    const articleId = uniqueArticle('report-nojs');
    const c = await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Sam Spam', body: 'Visit my shop for cheap watches.' });
    const page = await open(articleId, false);
    const item = page.locator(`#comment-${c.id}`);
    await item.locator('summary', { hasText: 'Report' }).click();
    await item.getByLabel('Spam or advertising').check();
    await item.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL((url) => url.searchParams.get('reported') === c.id);
    expect(await page.locator('.pending-notice').innerText()).toContain('Thank you for your report');
    expect(await reportsOf(c.id)).toEqual([{ reason: 'spam', note: null }]);
  });

  it('shows "Comments are closed" and the message instead of the form, in the widget and without JavaScript', async () => {
    const articleId = uniqueArticle('closed');
    await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Early Reader' });
    expect((await moderator.put(`/api/moderation/articles/${articleId}`, { closed: true, message: 'Comments are closed while the case is in court.' })).status).toBe(200);
    const page = await open(articleId);
    await page.locator('#comments .cm-closed').waitFor();
    expect(await page.locator('#comments .cm-closed').innerText()).toContain('Comments are closed.');
    expect(await page.locator('#comments .cm-closed').innerText()).toContain('while the case is in court');
    expect(await page.locator('#comments .cm-respond').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Reply to Early Reader' }).isHidden()).toBe(true);
    const plain = await open(articleId, false);
    expect(await plain.locator('.nj-closed-note').innerText()).toBe('Comments are closed.');
    expect(await plain.locator('form.nj-form').count()).toBe(0);
  });

  it('shows an editors’ pick in a strip above the comments and marks it in the thread', async () => {
    const articleId = uniqueArticle('picks');
    await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Ordinary Reader', submittedAt: new Date(Date.now() - 60000) });
    const pick = await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Thoughtful Reader', body: 'The depot plan saves the arches and the jobs.' });
    expect((await moderator.post(`/api/moderation/comments/${pick.id}/feature`)).status).toBe(200);
    const page = await open(articleId);
    const strip = page.getByRole('region', { name: 'Editors’ picks' });
    await strip.waitFor();
    expect(await strip.innerText()).toContain('The depot plan saves the arches and the jobs.');
    expect(await page.locator(`#comments li#comment-${pick.id} .cm-badge`).innerText()).toMatch(/Editors’ pick/i);
  });

  it('works the Reported tab with the keyboard, picks with f, and hears of a surge live', async () => {
    const articleId = uniqueArticle('reported-tab');
    const reported = await seedComment(h.pool, { articleId, status: 'approved', authorName: 'Reported Reader', body: 'A sharp but fair remark.' });
    const token = ((await (await fetch(`${h.baseUrl}/api/form-token?articleId=${articleId}`)).json()) as { token: string }).token;
    const sent = await fetch(`${h.baseUrl}/api/comments/${reported.id}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'off_topic', note: 'Not about the depot.', formToken: token }) });
    expect(sent.status).toBe(201);

    const account = await createTestModerator(h.pool);
    const b = await launchBrowser();
    browsers.push(b);
    const page = await b.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${h.baseUrl}/moderation`);
    await page.fill('#signin-email', account.email);
    await page.fill('#signin-password', TEST_PASSWORD);
    await page.click('#signin-form button[type=submit]');
    await page.getByRole('tab', { name: /Pending/ }).waitFor();
    await page.fill('#filters [name=article]', articleId);
    await page.press('#filters [name=article]', 'Enter');
    await page.locator('#queue').focus();
    await page.keyboard.press('6');
    await page.locator('#tab-reported[aria-selected=true]').waitFor();
    const row = page.locator(`#c-${reported.id}`);
    await row.waitFor();
    expect(Number(await page.locator('#tab-reported .count').innerText())).toBeGreaterThanOrEqual(1);
    expect(await row.locator('.reports').innerText()).toContain('Not about the depot.');

    // f makes the current comment a pick; a keeps it and dismisses the reports.
    await row.click();
    await page.keyboard.press('f');
    await eventually(async () => (await h.pool.query('SELECT featured_at FROM comments WHERE id = $1', [reported.id])).rows[0].featured_at);
    await page.keyboard.press('a');
    await row.waitFor({ state: 'detached' });
    await eventually(async () => (await h.pool.query(`SELECT 1 FROM comment_reports WHERE comment_id = $1 AND resolution = 'dismissed'`, [reported.id])).rowCount === 1);
    expect((await h.pool.query('SELECT status FROM comments WHERE id = $1', [reported.id])).rows[0].status).toBe('approved');

    // A surge, as a worker announces it, reaches the open page.
    const redis = new Redis(h.config.REDIS_URL);
    try {
      const until = new Date(Date.now() + 30 * 60000).toISOString();
      const event = { type: 'surge' as const, articleId, title: 'Budget 2026', state: 'started' as const, until, reason: '60 comments in 5 minutes', actor: 'system', at: new Date().toISOString() };
      await eventually(async () => {
        await publishReviewEvent(redis, reviewChannel(h.config.QUEUE_PREFIX, h.config.QUEUE_NAME), event);
        return page.locator('#surge-banner').isVisible();
      }, 20000, 500);
    } finally {
      redis.disconnect();
    }
    expect(await page.locator('#surge-banner').innerText()).toMatch(/^Surge on Budget 2026: new comments are held until \d/);
    expect(problems).toEqual([]);
  });
});
