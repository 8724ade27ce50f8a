import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { eventually, startHarness, type Harness } from '../helpers/harness';
import { createTestModerator, TEST_PASSWORD } from '../helpers/moderation';

jest.setTimeout(60000);

describe('the review page’s integrations section', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const problems: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('response', (r) => {
      const expected = (r.url().endsWith('/api/moderation/me') && r.status() === 401) || (r.url().endsWith('/api/moderation/webhooks') && r.status() === 422);
      if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('an admin opts in to e-mail, creates an Akismet and a Perspective key shown once, and sees a webhook URL refused', async () => {
    const admin = await createTestModerator(h.pool, 'admin');
    await page.goto(`${h.baseUrl}/moderation`);
    const signInForm = page.locator('#signin-form');
    await signInForm.getByLabel('Email').fill(admin.email);
    await signInForm.getByLabel('Password').fill(TEST_PASSWORD);
    await signInForm.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#account').waitFor();

    const optIn = page.getByLabel('E-mail me about held comments');
    await optIn.check();
    await eventually(async () => (await h.pool.query('SELECT notify_held FROM moderators WHERE id = $1', [admin.id])).rows[0].notify_held === true, 20000);

    await page.getByRole('button', { name: 'Settings & privacy' }).click();
    const blog = `https://site-${randomUUID().slice(0, 8)}.example.org`;
    await page.locator('#akismet-key-form').getByLabel('Site URL').fill(blog);
    await page.locator('#akismet-key-form').getByRole('button', { name: 'Create key' }).click();
    const status = page.locator('#akismet-key-status');
    await eventually(async () => (await status.innerText()).includes('shown once'), 20000).catch(async (err) => {
      throw new Error(`${String(err)}: status "${await status.innerText()}", problems ${problems.join('; ')}`);
    });
    const key = (await status.locator('code').innerText()).trim();
    expect(key).toMatch(/^[0-9a-z]{12}$/);
    await eventually(async () => (await page.locator('#akismet-keys').innerText()).includes(blog), 20000);
    const verify = await fetch(`${h.baseUrl}/1.1/verify-key`, { method: 'POST', body: new URLSearchParams({ key, blog }) });
    expect(await verify.text()).toBe('valid');

    // A Perspective-compatible key, made and listed the same way (shown once, then only its hint).
    const label = `Coral ${randomUUID().slice(0, 8)}`;
    await page.locator('#perspective-key-form').getByLabel('Label').fill(label);
    await page.locator('#perspective-key-form').getByRole('button', { name: 'Create key' }).click();
    const pStatus = page.locator('#perspective-key-status');
    await eventually(async () => (await pStatus.innerText()).includes('shown once'), 20000);
    const pKey = (await pStatus.locator('code').innerText()).trim();
    expect(pKey).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    await eventually(async () => (await page.locator('#perspective-keys').innerText()).includes(label), 20000);
    expect(await page.locator('#perspective-keys').innerText()).toContain(pKey.slice(0, 9));
    expect(await page.locator('#perspective-keys').innerText()).not.toContain(pKey);

    // Not http(s): refused whatever the private-targets setting (which another file may switch on meanwhile).
    await page.locator('#webhook-form').getByLabel('Endpoint URL').fill('ftp://files.example.org/hook');
    await page.getByRole('button', { name: 'Register' }).click();
    await eventually(async () => (await page.locator('#webhook-status').innerText()).includes('only http and https'), 20000);
    await page.screenshot({ path: '/tmp/moderation-integrations.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
