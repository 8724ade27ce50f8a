import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import type { Harness } from '../helpers/harness';
import { approve, fillForm, postComment, startWidgetHarness, uniqueArticle } from '../helpers/widget';

jest.setTimeout(90000);

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** A reader's day with the widget: what the form says after each step, on a phone and on a desktop. */
describe('the comment widget, as a reader sees it', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startWidgetHarness();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function openArticle(articleId: string, viewport = { width: 390, height: 844 }): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    await page.locator('#comments .cm-submit').waitFor();
    return page;
  }
  const status = (page: Page) => page.locator('#comments .cm-status');
  const seconds = async (page: Page) => Number(/Try again in (\d+) second/.exec(await status(page).innerText())?.[1] ?? NaN);

  it('says "published" once the pending comment is approved, and no "No comments yet" under it meanwhile', async () => {
    const articleId = uniqueArticle();
    const page = await openArticle(articleId);
    await page.locator('#comments .cm-empty', { hasText: 'No comments yet' }).waitFor();
    await fillForm(page, { comment: 'Will the library stay open on Sundays?', author: 'Ines Moreau', email: 'ines@example.org' });
    await page.locator('#comments .cm-submit').click();
    await status(page).getByText('Your comment is awaiting moderation.').waitFor();
    const mine = page.locator('#comments li.cm-pending');
    await mine.waitFor();
    expect(await page.locator('#comments .cm-empty').isVisible()).toBe(false);
    await page.screenshot({ path: '/tmp/day-ui-reader-pending-phone.png', fullPage: true });

    const id = (await mine.getAttribute('id'))!.replace('comment-', '');
    await approve(h, id);
    // The widget polls the comment's status: the banner changes and the comment joins the list.
    await status(page).getByText('Your comment is published.').waitFor({ timeout: 30000 });
    await page.locator(`#comments li#comment-${id}:not(.cm-pending)`).waitFor();
    expect(await status(page).innerText()).not.toContain('awaiting moderation');
    expect(await page.locator('#comments .cm-empty').isVisible()).toBe(false);
    await page.screenshot({ path: '/tmp/day-ui-reader-published-phone.png', fullPage: true });
    await page.close();
  });

  it('says a missing email is missing, not incorrect', async () => {
    const page = await openArticle(uniqueArticle(), { width: 1200, height: 900 });
    await fillForm(page, { comment: 'No email given.', author: 'Jo' });
    await page.locator('#comments .cm-submit').click();
    const error = page.locator('#comments [name=email] + .cm-error');
    await error.getByText('Please enter your email address (it is not published).').waitFor();
    await fillForm(page, { email: 'jo@' });
    await page.locator('#comments .cm-submit').click();
    await error.getByText('You have entered an incorrect email address!').waitFor();
    await page.locator('#comments form').screenshot({ path: '/tmp/day-ui-reader-email-desktop.png' });
    await page.close();
  });

  it('counts "Try again in N seconds" down, then says the reader may post', async () => {
    const page = await openArticle(uniqueArticle());
    await page.route(
      (url) => url.pathname === '/api/comments',
      (route) => route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '4' }, body: JSON.stringify({ error: { code: 'rate_limited', message: 'You are posting comments too quickly. Slow down.' } }) }),
    );
    await fillForm(page, { comment: 'Too soon.', author: 'Kim', email: 'kim@example.org' });
    await page.locator('#comments .cm-submit').click();
    await status(page).getByText(/Try again in \d+ seconds?\./).waitFor();
    const first = await seconds(page);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(4);
    // The number goes down (no exact timing: the machine may be busy).
    await page.waitForFunction(
      (start) => {
        const text = document.querySelector('#comments')?.shadowRoot?.querySelector('.cm-status')?.textContent ?? '';
        const m = /Try again in (\d+) second/.exec(text);
        return m !== null && Number(m[1]) < start;
      },
      first,
      { timeout: 20000 },
    );
    await page.screenshot({ path: '/tmp/day-ui-reader-countdown-phone.png' });
    await status(page).getByText('You can post your comment now.').waitFor({ timeout: 20000 });
    await page.close();
  });

  it('keeps a phone reader at their reply after sending it, with focus on it', async () => {
    const articleId = uniqueArticle();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push(await postComment(h, { articleId, authorName: `Reader ${i}`, body: `Remark number ${i}.\n\n${'A long paragraph about the harbour. '.repeat(8)}` }));
    }
    for (const id of ids) await approve(h, id);
    const page = await openArticle(articleId);
    const first = page.locator(`#comments li#comment-${ids[0]}`);
    await first.locator(':scope > article .cm-reply').click();
    await fillForm(page, { comment: 'A reply to the first remark.', author: 'Una Shah', email: 'una@example.org' });
    await page.locator('#comments .cm-submit').click();
    const reply = first.locator(':scope > .cm-children > li.cm-pending');
    await reply.waitFor();
    const replyId = (await reply.getAttribute('id'))!;
    await page.waitForFunction((id) => document.querySelector('#comments')?.shadowRoot?.activeElement?.id === id, replyId);
    await expect(reply.isVisible()).resolves.toBe(true);
    const box = (await reply.boundingBox())!;
    // On screen: the reply's top is within the 844 px viewport.
    expect(box.y).toBeGreaterThanOrEqual(-1);
    expect(box.y).toBeLessThan(844);
    await page.screenshot({ path: '/tmp/day-ui-reader-reply-phone.png' });
    await page.close();
  });
});
