import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { eventually, startHarness, type Harness } from '../helpers/harness';
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

  /** Sets every filter field (the ones not given empty) and submits: one request, no race with Clear's. */
  async function filterBy(values: Record<string, string>) {
    for (const name of ['q', 'article', 'email', 'ip']) await page.locator(`#filters [name=${name}]`).fill(values[name] ?? '');
    await page.locator('#filters button[type=submit]').click();
  }

  it('shows a toast with Undo after an action, undoes it, and counts in words ("1 comment")', async () => {
    const articleId = `toast-${randomUUID().slice(0, 8)}`;
    const held = await seedComment(h.pool, { articleId, authorName: 'Mira Holt', body: 'Is the ferry timetable changing in spring?' });
    await filterBy({ article: articleId });
    const row = page.locator(`article[data-id="${held.id}"]`);
    await row.waitFor();
    await expect(page.locator('#tab-description').innerText()).resolves.toContain('Held for a moderator');

    const toast = page.locator('#toast');
    await row.click();
    expect(await toast.isVisible()).toBe(false);
    await page.keyboard.press('s');
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

  it('filters by the beginning of an article id and by any part of an email or name; the empty state says the filter hides comments', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await seedComment(h.pool, { articleId: `harbour-${tag}-bridge`, authorName: 'Lena Ortiz', authorEmail: `lena.${tag}@example.net`, body: 'First.' });
    const b = await seedComment(h.pool, { articleId: `harbour-${tag}-ferry`, authorName: 'Sam Okafor', authorEmail: `sam.${tag}@example.org`, body: 'Second.' });
    /** Waits until the list shows exactly these comments (the visible state, polled with a deadline). */
    const showsExactly = (ids: string[]) =>
      page.waitForFunction(
        (want) => {
          const have = [...document.querySelectorAll<HTMLElement>('#queue > article')].map((r) => r.dataset.id).sort();
          return document.querySelector('#queue')?.getAttribute('aria-busy') === 'false' && JSON.stringify(have) === JSON.stringify(want);
        },
        [...ids].sort(),
        { timeout: 20000 },
      );

    await filterBy({ article: `harbour-${tag}` });
    await showsExactly([a.id, b.id]);
    expect(await page.locator('#filter-note').innerText()).toContain('Filters stay on when you switch tabs');

    // A name in another case; then part of an email in capitals.
    await filterBy({ article: `harbour-${tag}`, email: 'oRTIZ' });
    await showsExactly([a.id]);
    await filterBy({ email: `SAM.${tag.toUpperCase()}@EXAMPLE` });
    await showsExactly([b.id]);

    // Nothing matches: the empty state says why and offers to clear the filter.
    await filterBy({ article: `harbour-${tag}`, email: 'nobody-at-all' });
    const empty = page.locator('#empty');
    await empty.getByText('No comments in this tab match the filter').waitFor();
    expect(await empty.innerText()).toContain('it hides every other comment');
    expect(await empty.innerText()).not.toContain('New comments appear on their own');
    await page.screenshot({ path: '/tmp/day-ui-filter-empty.png' });
    await empty.getByRole('button', { name: 'Clear the filters' }).click();
    // Every pending comment again (other files' too: the first page need not hold this test's two).
    await page.locator('#queue > article').first().waitFor();
    expect(await page.locator('#filters [name=article]').inputValue()).toBe('');
    expect(await page.locator('#filters [name=email]').inputValue()).toBe('');
    expect(await empty.isVisible()).toBe(false);
  });

  it('settings: a control and a description per check, durations in words, every bad value refused with its field named', async () => {
    await page.getByRole('button', { name: 'Settings & privacy' }).click();
    const classifier = page.locator('#check-mode-classifier');
    await classifier.waitFor();
    // Every check of the pipeline has a control with its description; required_fields cannot be relaxed.
    const catalog = (await (await page.request.get(`${h.baseUrl}/api/moderation/settings`)).json()).checks as { name: string }[];
    expect(await page.locator('#setting-checkModes select').count()).toBe(catalog.length);
    expect(await page.locator('#check-mode-classifier-desc').innerText()).toContain('spam model');
    expect(await classifier.locator('option').allInnerTexts()).toEqual(['Enforce: counts', 'Observe: recorded, no effect', 'Off: not run']);
    expect(await page.locator('#check-mode-required_fields').isDisabled()).toBe(true);
    // The form token's 172800 seconds read as 2 days.
    expect(await page.locator('#setting-formTokenMaxAgeSeconds').inputValue()).toBe('2');
    expect(await page.locator('select[name=formTokenMaxAgeSeconds-unit]').inputValue()).toBe('days');
    await page.screenshot({ path: '/tmp/day-ui-settings.png', fullPage: true });

    // Bad values: each named next to its field and in the status line; nothing saved.
    await page.locator('#setting-spamThreshold').fill('');
    await page.locator('#setting-formTokenMaxAgeSeconds').fill('30');
    await page.locator('select[name=formTokenMaxAgeSeconds-unit]').selectOption('seconds');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#setting-spamThreshold-error', { hasText: 'Must be a number.' }).waitFor();
    await page.locator('#setting-formTokenMaxAgeSeconds-error', { hasText: 'Must be at least 1 minute.' }).waitFor();
    const statusLine = await page.locator('#settings-status').innerText();
    expect(statusLine).toContain('Not saved.');
    expect(statusLine).toContain('Spam at this many points: Must be a number.');
    expect(statusLine).toContain('Form tokens expire after: Must be at least 1 minute.');
    expect(await page.locator('#setting-spamThreshold').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: '/tmp/day-ui-settings-errors.png', fullPage: true });

    // Put them right, turn one check off (Akismet's test identities: no other test posts them), save.
    await page.locator('#setting-spamThreshold').fill('10');
    await page.locator('#setting-formTokenMaxAgeSeconds').fill('48');
    await page.locator('select[name=formTokenMaxAgeSeconds-unit]').selectOption('hours');
    await page.locator('#check-mode-akismet_test').selectOption('off');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#settings-status', { hasText: 'Saved.' }).waitFor();
    const stored = async (key: string) => (await h.pool.query('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value;
    expect(await stored('checkModes')).toMatchObject({ akismet_test: 'off', classifier: 'enforce' });
    expect(await stored('formTokenMaxAgeSeconds')).toBe(172800);
    expect(await page.locator('#setting-formTokenMaxAgeSeconds-error').innerText()).toBe('');

    await page.locator('#check-mode-akismet_test').selectOption('enforce');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(async () => (await stored('checkModes'))?.akismet_test === 'enforce', 20000);
    await page.getByRole('button', { name: 'Queue' }).click();
    await page.locator('#review').waitFor();
  });

  it('the job dashboard signed out: a browser gets the sign-in page, comes back after signing in, and the page loads with no console error', async () => {
    const fresh = await launchBrowser();
    try {
      const tab = await fresh.context.newPage();
      await tab.setViewportSize({ width: 1200, height: 900 });
      const errors: string[] = [];
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${h.baseUrl}/admin/queues`);
      await tab.waitForURL(/\/moderation\?next=%2Fadmin%2Fqueues$/);
      const form = tab.getByRole('region', { name: 'Sign in' });
      await form.getByText('you will be taken back to it').waitFor();
      // Signed out: no account links and no toast, only the form.
      expect(await tab.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
      expect(await tab.locator('#toast').isVisible()).toBe(false);
      await tab.screenshot({ path: '/tmp/day-ui-dashboard-signin.png' });
      await form.getByLabel('Email').fill(admin.email);
      await form.getByLabel('Password').fill(TEST_PASSWORD);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await tab.waitForURL(/\/admin\/queues$/);
      await tab.getByText(h.config.QUEUE_NAME, { exact: false }).first().waitFor({ timeout: 20000 });
      await tab.screenshot({ path: '/tmp/day-ui-dashboard.png' });
      // The only failed load is the sign-in page's own "am I signed in?" (401); no CSP refusal, no script error.
      expect(errors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 401'))).toEqual([]);
      // Everything the page links comes from this service (no web font from another host).
      const hosts = await tab.locator('link[href]').evaluateAll((ls) => ls.map((l) => new URL((l as HTMLLinkElement).href).origin));
      expect(new Set(hosts)).toEqual(new Set([h.baseUrl]));
      // Scripts still get JSON.
      const api = await fetch(`${h.baseUrl}/admin/queues/api/queues`, { headers: { accept: 'application/json' } });
      expect(api.status).toBe(401);
    } finally {
      await fresh.close();
    }
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
    await page.locator('#tab-pending[aria-selected=true]').waitFor();
    // How it looks on a phone (for the report; the assertions above hold at any width).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/day-ui-queue-phone.png' });
    await page.setViewportSize({ width: 1200, height: 900 });
  });
});
