import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { eventually, sampleComment, startHarness, type Harness } from '../helpers/harness';
import { createTestModerator, seedComment, TEST_PASSWORD } from '../helpers/moderation';

jest.setTimeout(60000);

describe('the review page at /moderation', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const problems: string[] = [];
  beforeAll(async () => {
    // This file's worker holds every comment; other files sharing the e2e database keep the stored settings.
    h = await startHarness({ workerSettings: { holdAll: true } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    // Script errors and CSP violations show as console errors; HTTP errors are checked per response.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('response', (r) => {
      const expected = (r.url().endsWith('/api/moderation/me') && r.status() === 401) || (r.url().endsWith('/api/moderation/settings') && r.status() === 422);
      if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('signs in, shows why a comment was held, approves it with "a", and shows a new comment live', async () => {
    const articleId = `budget-${randomUUID().slice(0, 8)}`;
    const admin = await createTestModerator(h.pool, 'admin');
    const held = await seedComment(h.pool, {
      articleId,
      authorName: 'Lena Ortiz',
      authorEmail: 'lena@example.org',
      body: 'Cheap pills at http://pills.example/buy and http://pills.example/more — best prices!',
      score: 6,
      verdicts: [
        { check: 'required_fields', verdict: 'pass', score: 0, reasons: [] },
        { check: 'links', verdict: 'review', score: 2, reasons: [{ code: 'too_many_links', message: 'The comment has 2 links (hold at 2).', field: 'body' }] },
        { check: 'moderation_keys', verdict: 'review', score: 4, reasons: [{ code: 'moderation_key', message: 'Contains a word on the hold list: “pills”.', field: 'body', match: 'pills' }] },
      ],
    });

    const later = await seedComment(h.pool, {
      articleId,
      authorName: 'Casino Bonus',
      authorEmail: 'win@casino.example',
      body: 'WIN BIG at www.casino.example — free spins, free money!!!',
      score: 9.5,
      submittedAt: new Date(Date.now() + 1000),
      verdicts: [
        { check: 'classifier', verdict: 'review', score: 7.5, reasons: [{ code: 'classifier_unsure', message: 'The spam model is unsure: 71% likely spam ("free", "win").', field: 'body', match: 'free, win, shape:shouting' }] },
        { check: 'content_signals', verdict: 'pass', score: 2, reasons: [{ code: 'shouting', message: 'Written mostly in capitals.', field: 'body' }] },
      ],
    });

    // Sign in.
    const response = await page.goto(`${h.baseUrl}/moderation`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    const signInForm = page.getByRole('region', { name: 'Sign in' });
    await signInForm.getByLabel('Email').fill(admin.email);
    await signInForm.getByLabel('Password').fill(TEST_PASSWORD);
    await signInForm.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: /Pending/ }).waitFor();

    // Only this test's article, then straight to the keyboard.
    await page.locator('#filters input[name=article]').fill(articleId);
    await page.locator('#filters input[name=article]').press('Enter');
    const row = page.locator(`article[data-id="${held.id}"]`);
    await row.waitFor();
    expect(await row.locator('.reasons').innerText()).toContain('Contains a word on the hold list');
    expect(await row.locator('mark.match').first().innerText()).toBe('pills');
    expect(await row.locator('mark.link').count()).toBe(2);
    expect(await row.locator('.email').innerText()).toBe('lena@example.org');
    expect(await page.locator('article.comment.current').getAttribute('data-id')).toBe(held.id);

    await page.keyboard.press('a');
    await row.waitFor({ state: 'detached' });
    // The next comment becomes the current one.
    expect(await page.locator('article.comment.current').getAttribute('data-id')).toBe(later.id);
    await eventually(async () => (await page.locator('#announcer').innerText()).includes('Approved comment by Lena Ortiz'), 20000);
    const listing = await (await fetch(`${h.baseUrl}/api/articles/${articleId}/comments`)).json();
    expect(listing.comments.map((c: { id: string }) => c.id)).toEqual([held.id]);

    // A comment submitted now appears without a reload.
    const body = 'Does the budget include the new bridge over the harbour, or only the repairs to the old one?';
    const posted = await (
      await fetch(`${h.baseUrl}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sampleComment(articleId, { authorName: 'Sam Okafor', authorEmail: 'sam@example.org', body })),
      })
    ).json();
    const live = page.locator(`article[data-id="${posted.id}"]`);
    await live.waitFor({ timeout: 15000 });
    expect(await live.locator('.author').innerText()).toBe('Sam Okafor');
    const pendingInDb = async () => (await h.pool.query(`SELECT count(*)::int AS n FROM comments WHERE status = 'pending'`)).rows[0].n;
    await eventually(async () => Number(await page.locator('#tab-pending .count').innerText()) === (await pendingInDb()), 20000);

    // The shortcut list opens with "?" and closes with Escape.
    await page.locator('article.comment').first().focus();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');

    await page.screenshot({ path: '/tmp/moderation.png', fullPage: true });

    // Admin tools: every setting in a form, checked by the API.
    await page.getByRole('button', { name: 'Settings & privacy' }).click();
    await page.locator('#setting-spamThreshold').waitFor();
    await page.locator('#setting-holdThreshold').fill('999');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(async () => (await page.locator('#setting-holdThreshold-error').innerText()).includes('must not be above'), 20000);
    await page.screenshot({ path: '/tmp/moderation-admin.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
