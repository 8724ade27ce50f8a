import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { eventually, type Harness } from '../helpers/harness';
import { approve, postComment, startWidgetHarness, uniqueArticle } from '../helpers/widget';

describe('the demo article without JavaScript', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    h = await startWidgetHarness();
    browser = await launchBrowser({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function send(page: Page, values: { comment: string; author: string; email: string; url?: string }): Promise<string> {
    const form = page.locator('form.nj-form');
    await form.locator('[name=comment]').fill(values.comment);
    await form.locator('[name=author]').fill(values.author);
    await form.locator('[name=email]').fill(values.email);
    if (values.url) await form.locator('[name=url]').fill(values.url);
    await Promise.all([page.waitForURL(/unapproved=/), form.locator('button[type=submit]').click()]);
    return new URL(page.url()).searchParams.get('unapproved')!;
  }

  it('posts the plain form, returns to the article (303) with the notice, and lists the comment once approved', async () => {
    const articleId = uniqueArticle('nojs');
    const page = await browser.context.newPage();
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    expect(await page.locator('.nj-respond .block-title > span').innerText()).toBe('LEAVE A REPLY');

    const id = await send(page, { comment: 'Posted with scripts off.\nSecond line.', author: 'Lee No-Script', email: 'lee@example.org', url: 'lee.example.org' });
    const back = new URL(page.url());
    expect(back.origin + back.pathname).toBe(`${h.baseUrl}/`);
    expect(back.searchParams.get('article')).toBe(articleId);
    expect(back.hash).toBe(`#comment-${id}`);
    // The notice, or the reader's own comment with it when the worker stored it in time (widget-nojs-day.test.ts).
    expect(await page.locator(`#comment-${id}`).innerText()).toContain('Your comment is awaiting moderation.');

    const row = await eventually(async () => (await h.pool.query('SELECT body, author_url, status FROM comments WHERE id = $1', [id])).rows[0]);
    expect(row).toMatchObject({ body: 'Posted with scripts off.\r\nSecond line.' /* a form post sends CRLF */, author_url: 'http://lee.example.org/', status: 'pending' });

    await approve(h, id);
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    const item = page.locator(`li.nj-comment#comment-${id}`);
    expect(await item.locator('.nj-author a').getAttribute('rel')).toBe('nofollow ugc noopener');
    expect(await item.locator('.nj-author a').getAttribute('href')).toBe('http://lee.example.org/');
    expect(await item.locator('.nj-text').innerText()).toBe('Posted with scripts off.\nSecond line.');
    expect(await page.locator('.nj-comments > .block-title').innerText()).toBe('1 COMMENT');
    await page.close();
  });

  it('replies without JavaScript through the Reply link (?replytocom=)', async () => {
    const articleId = uniqueArticle('nojs');
    const parentId = await postComment(h, { articleId, authorName: 'Parent Poster', body: 'The parent comment.' });
    await approve(h, parentId);
    const page = await browser.context.newPage();
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    await Promise.all([page.waitForURL(/replytocom=/), page.locator(`#comment-${parentId} .nj-reply`).click()]);
    expect(await page.locator('.nj-replying').innerText()).toBe('Replying to Parent Poster');
    expect(await page.locator('form.nj-form [name=comment_parent]').inputValue()).toBe(parentId);

    const replyId = await send(page, { comment: 'A reply with scripts off.', author: 'Child Poster', email: 'child@example.org' });
    await approve(h, replyId);
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    expect(await page.locator(`#comment-${parentId} > .nj-children > #comment-${replyId} .nj-author`).innerText()).toBe('Child Poster');
    await page.close();
  });

  it('answers a form with a missing name with a page that says what is missing, and stores nothing', async () => {
    const page = await browser.context.newPage();
    const articleId = uniqueArticle('nojs');
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    // Skip the browser's own required-field check, as an old browser would.
    await page.locator('form.nj-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.locator('form.nj-form [name=comment]').fill('No name given.');
    await page.locator('form.nj-form [name=email]').fill('anon@example.org');
    await page.locator('form.nj-form button[type=submit]').click();
    await page.locator('li', { hasText: 'Please enter your name here' }).waitFor();
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId]);
    expect(rows[0].n).toBe(0);
    await page.close();
  });
});
