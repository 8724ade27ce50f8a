import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startHarness, type Harness } from '../helpers/harness';
import { createTestModerator, seedComment, statusOf, TEST_PASSWORD } from '../helpers/moderation';

jest.setTimeout(90000);

/** A moderator's day on the review page: what each action visibly says, and what each tab and pane shows. */
describe('the review page, as a moderator sees it', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let admin: Awaited<ReturnType<typeof createTestModerator>>;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ workerSettings: { holdAll: true } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      const expected = (r.url().endsWith('/api/moderation/me') && r.status() === 401) || (r.url().endsWith('/api/moderation/settings') && r.status() === 422);
      if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
    });
    admin = await createTestModerator(h.pool, 'admin');
    await page.goto(`${h.baseUrl}/moderation`);
    const form = page.getByRole('region', { name: 'Sign in' });
    await form.getByLabel('Email').fill(admin.email);
    await form.getByLabel('Password').fill(TEST_PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: /Pending/ }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  afterEach(() => expect(problems.splice(0)).toEqual([]));

  async function filterBy(values: Record<string, string>) {
    await page.locator('#filters button[type=reset]').click();
    for (const [name, value] of Object.entries(values)) await page.locator(`#filters [name=${name}]`).fill(value);
    await page.locator('#filters button[type=submit]').click();
  }

  it('shows a toast with Undo after an action, undoes it, and counts in words ("1 comment")', async () => {
    const articleId = `toast-${randomUUID().slice(0, 8)}`;
    const held = await seedComment(h.pool, { articleId, authorName: 'Mira Holt', body: 'Is the ferry timetable changing in spring?' });
    await filterBy({ article: articleId });
    const row = page.locator(`article[data-id="${held.id}"]`);
    await row.waitFor();
    await expect(page.locator('#tab-description').innerText()).resolves.toContain('Held for a moderator');

    await row.click();
    await page.keyboard.press('s');
    const toast = page.locator('#toast');
    await toast.getByText('Marked as spam comment by Mira Holt.').waitFor();
    await row.waitFor({ state: 'detached' });
    // The screen-reader region still says it, with the shortcut.
    await page.locator('#announcer', { hasText: 'Press z to undo.' }).waitFor();
    await page.screenshot({ path: '/tmp/day-ui-toast.png' });

    await toast.getByRole('button', { name: /Undo/ }).click();
    await toast.getByText('Undone: 1 comment back to pending.').waitFor();
    expect(await toast.getByRole('button', { name: /Undo/ }).isVisible()).toBe(false);
    await row.waitFor();
    expect(await statusOf(h.pool, held.id)).toBe('pending');

    // Selecting one comment says "1 comment selected", not "1 comments".
    await row.locator('.select').check();
    await expect(page.locator('#selection-count').innerText()).resolves.toBe('1 comment selected');
    await row.locator('.select').uncheck();
  });

  it('shows details without a literal "null" and names the moderator in the trail', async () => {
    const articleId = `detail-${randomUUID().slice(0, 8)}`;
    const held = await seedComment(h.pool, { articleId, authorName: 'Ola Berg', body: 'The bridge repairs are overdue.', ip: null });
    await filterBy({ article: articleId });
    const row = page.locator(`article[data-id="${held.id}"]`);
    await row.waitFor();
    // Trash and restore it, so the trail has a moderator's entries.
    await row.getByRole('button', { name: 'Trash' }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('#toast').getByRole('button', { name: /Undo/ }).click();
    await row.waitFor();

    await row.getByRole('button', { name: 'Details' }).click();
    const detail = row.locator('.detail');
    await detail.getByText('Not a reply: a comment on the article.').waitFor();
    await detail.locator('.events li', { hasText: 'trash → pending' }).waitFor();
    const text = await detail.innerText();
    expect(text).not.toMatch(/\bnull\b|\bundefined\b/);
    expect(text).not.toContain('moderator:');
    expect(text).toContain(`pending → trash by ${admin.name}`);
    expect(text).toContain('new → pending by the automatic checks');
    expect(text).not.toContain(admin.email);
    await page.screenshot({ path: '/tmp/day-ui-details.png' });
  });

  it('describes what each tab holds: Spam says binned, not held', async () => {
    const descriptions: Record<string, string> = {};
    for (const [key, tab] of [['1', 'pending'], ['2', 'approved'], ['3', 'spam'], ['4', 'rejected'], ['5', 'trash']]) {
      await page.locator('#queue').focus();
      await page.keyboard.press(key);
      await page.locator(`#tab-${tab}[aria-selected=true]`).waitFor();
      descriptions[tab] = await page.locator('#tab-description').innerText();
    }
    expect(descriptions.spam).toContain('Binned as spam');
    expect(descriptions.spam).not.toContain('held for a moderator');
    expect(descriptions.approved).toContain('Published');
    expect(descriptions.trash).toContain('Removed by a moderator');
    expect(descriptions.rejected).toContain('Refused by the checks');
    expect(new Set(Object.values(descriptions)).size).toBe(5);
    await page.keyboard.press('1');
  });
});
