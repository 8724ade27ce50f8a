import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import type { Harness } from '../helpers/harness';
import { approve, fillForm, postComment, startWidgetHarness, uniqueArticle } from '../helpers/widget';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

describe('comment widget on the demo article', () => {
  let h: Harness;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    h = await startWidgetHarness();
  });
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await h.close();
  });

  /** A fresh browser profile (its own localStorage) on the article's page, with the widget drawn. */
  async function openArticle(articleId: string, browser?: Browser): Promise<{ page: Page; browser: Browser; posts: string[] }> {
    const b = browser ?? (await launchBrowser());
    if (!browser) browsers.push(b);
    const page = await b.context.newPage();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/comments')) posts.push(r.postData() ?? '');
    });
    page.on('dialog', (d) => void d.dismiss());
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    await page.locator('#comments .cm-submit').waitFor();
    return { page, browser: b, posts };
  }

  const status = (page: Page) => page.locator('#comments .cm-status');
  /** Waits until the form's message line says exactly `text`. */
  const saying = (page: Page, text: string) =>
    page.waitForFunction(
      (t) => document.querySelector('#comments')?.shadowRoot?.querySelector('.cm-status')?.textContent === t,
      text,
    );
  const isSubmit = (url: URL) => url.pathname === '/api/comments';
  const isFormToken = (url: URL) => url.pathname === '/api/form-token';
  const comment = (page: Page, id: string) => page.locator(`#comments li#comment-${id}`);

  it('renders the reply form as on the site and an empty list', async () => {
    const { page } = await openArticle(uniqueArticle());
    const form = page.locator('#comments form');
    expect(await page.locator('#comments .cm-respond .cm-block-title > span').innerText()).toBe('LEAVE A REPLY');
    expect(await form.locator('textarea[name=comment]').getAttribute('placeholder')).toBe('Comment:');
    expect(await form.locator('[name=author]').getAttribute('placeholder')).toBe('Name:*');
    expect(await form.locator('[name=email]').getAttribute('placeholder')).toBe('Email:*');
    expect(await form.locator('[name=url]').getAttribute('placeholder')).toBe('Website:');
    expect(await form.locator('.cm-save label').innerText()).toBe('Save my name, email, and website in this browser for the next time I comment.');
    expect(await form.locator('.cm-submit').innerText()).toBe('Post Comment');
    expect(await page.locator('#comments .cm-empty').innerText()).toContain('No comments yet');
    // The honeypot is in the form but far off-screen, out of the tab order.
    const honeypot = form.locator('[name=hp_url]');
    expect((await honeypot.boundingBox())!.x).toBeLessThan(-1000);
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
  });

  it('sends a comment, says it awaits moderation, and shows it once approved, also after a reload', async () => {
    const articleId = uniqueArticle();
    const { page, posts } = await openArticle(articleId);
    await fillForm(page, { comment: 'The glass over the inspection pits is a fine idea.\nMore of this, please.', author: 'Nora Quinn', email: 'nora@example.org' });
    await page.locator('#comments .cm-submit').click();

    await saying(page, 'Your comment is awaiting moderation.');
    const mine = page.locator('#comments li.cm-pending');
    await mine.waitFor();
    expect(await mine.locator('.cm-note').innerText()).toBe('Your comment is awaiting moderation.');
    const id = (await mine.getAttribute('id'))!.replace('comment-', '');
    expect(JSON.parse(posts[0])).toMatchObject({ articleId, authorName: 'Nora Quinn', authorEmail: 'nora@example.org', parentId: null, honeypot: '' });
    expect(await page.locator('#comments textarea[name=comment]').inputValue()).toBe('');

    // Approved by a moderator: the widget's status polling brings it in as a published comment.
    await approve(h, id);
    await page.locator(`#comments li#comment-${id}:not(.cm-pending)`).waitFor({ timeout: 15000 });

    await page.reload();
    const shown = comment(page, id);
    await shown.waitFor();
    expect(await shown.getAttribute('class')).not.toContain('cm-pending');
    expect(await shown.locator('.cm-author').innerText()).toBe('Nora Quinn');
    expect(await shown.locator('.cm-text').innerText()).toBe('The glass over the inspection pits is a fine idea.\nMore of this, please.');
    expect(await shown.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.locator('#comments .cm-root > h3.cm-block-title').first().innerText()).toBe('1 COMMENT');
  });

  it('checks the fields before sending: each message, and nothing sent', async () => {
    const { page, posts } = await openArticle(uniqueArticle());
    const error = (name: string) => page.locator(`#comments [name=${name}] + .cm-error`);
    await page.locator('#comments .cm-submit').click();
    expect(await error('comment').innerText()).toBe('Please enter your comment!');
    expect(await error('author').innerText()).toBe('Please enter your name here');
    expect(await error('email').innerText()).toBe('Please enter your email address (it is not published).');

    await fillForm(page, { comment: 'Something worth saying.', email: 'reader@example.org' });
    await page.locator('#comments .cm-submit').click();
    expect(await error('author').innerText()).toBe('Please enter your name here');
    expect(await error('comment').isVisible()).toBe(false);
    expect(await page.locator('#comments [name=author]').getAttribute('aria-invalid')).toBe('true');

    await fillForm(page, { author: 'Sam', email: 'not-an-address' });
    await page.locator('#comments .cm-submit').click();
    expect(await error('email').innerText()).toBe('You have entered an incorrect email address!');
    await page.waitForTimeout(200);
    expect(posts).toHaveLength(0);
  });

  it("shows the API's 422, 429 and 503 answers in words", async () => {
    const { page } = await openArticle(uniqueArticle());
    await fillForm(page, { comment: 'A comment.', author: 'Kim', email: 'kim@example.org', url: 'not a website' });
    await page.locator('#comments .cm-submit').click();
    await page.locator('#comments [name=url] + .cm-error', { hasText: 'Please enter a valid website address (http or https).' }).waitFor();

    await fillForm(page, { url: '' });
    const answer = (status: number, code: string, message: string, retryAfter?: string) =>
      page.route(isSubmit, (route) =>
        route.fulfill({ status, contentType: 'application/json', headers: retryAfter ? { 'Retry-After': retryAfter } : {}, body: JSON.stringify({ error: { code, message } }) }),
      );
    await answer(429, 'rate_limited', 'You are posting comments too quickly. Slow down.', '12');
    await page.locator('#comments .cm-submit').click();
    // The wait counts down (widget-day.test.ts checks that it does); the first words give it whole.
    await status(page).getByText(/^You are posting comments too quickly\. Slow down\. Try again in 1[12] seconds\.$/).waitFor();
    expect(await status(page).getAttribute('class')).toContain('cm-bad');

    await page.unroute(isSubmit);
    await answer(503, 'queue_unavailable', 'Comments cannot be accepted right now. Please try again in a moment.', '5');
    await page.locator('#comments .cm-submit').click();
    await saying(page, 'Comments cannot be accepted right now. Please try again in a moment.');

    await page.unroute(isSubmit);
    await page.route(isSubmit, (route) => route.abort('connectionrefused'));
    await page.locator('#comments .cm-submit').click();
    await saying(page, 'The comment could not be sent. Check your connection and try again.');
  });

  it('nests a reply under its parent: Reply moves the form, Cancel reply moves it back', async () => {
    const articleId = uniqueArticle();
    const parentId = await postComment(h, { articleId, authorName: 'First Reader', body: 'Top-level remark.' });
    await approve(h, parentId);
    const { page, posts } = await openArticle(articleId);
    const parent = comment(page, parentId);
    await parent.waitFor();

    await parent.locator(':scope > article .cm-reply').click();
    expect(await parent.locator('.cm-respond').count()).toBe(1);
    expect(await page.locator('#comments .cm-respond a', { hasText: 'Cancel reply' }).isVisible()).toBe(true);
    await page.locator('#comments .cm-respond a', { hasText: 'Cancel reply' }).click();
    expect(await parent.locator('.cm-respond').count()).toBe(0);

    await parent.locator(':scope > article .cm-reply').click();
    await fillForm(page, { comment: 'A reply to the first reader.', author: 'Second Reader', email: 'second@example.org' });
    await page.locator('#comments .cm-submit').click();
    const pendingReply = parent.locator(':scope > .cm-children > li.cm-pending');
    await pendingReply.waitFor();
    expect(JSON.parse(posts[0]).parentId).toBe(parentId);
    const replyId = (await pendingReply.getAttribute('id'))!.replace('comment-', '');
    // The form went back under the list after sending.
    expect(await parent.locator('.cm-respond').count()).toBe(0);

    await approve(h, replyId);
    await page.reload();
    await parent.locator(`:scope > .cm-children > li#comment-${replyId}`).waitFor();
    expect(await parent.locator(`:scope > .cm-children > li#comment-${replyId} .cm-author`).innerText()).toBe('Second Reader');
    expect(await page.locator('#comments .cm-root > h3.cm-block-title').first().innerText()).toBe('2 COMMENTS');
  });

  it('"Save my name…" refills the form next time, and forgets when unticked', async () => {
    const { page } = await openArticle(uniqueArticle());
    await fillForm(page, { comment: 'Remember me.', author: 'Ola Berg', email: 'ola@example.org', url: 'ola.example.org' });
    await page.locator('#comments .cm-save input').check();
    await page.locator('#comments .cm-submit').click();
    await page.locator('#comments li.cm-pending').waitFor();

    await page.reload();
    await page.locator('#comments .cm-submit').waitFor();
    expect(await page.locator('#comments [name=author]').inputValue()).toBe('Ola Berg');
    expect(await page.locator('#comments [name=email]').inputValue()).toBe('ola@example.org');
    expect(await page.locator('#comments [name=url]').inputValue()).toBe('ola.example.org');
    expect(await page.locator('#comments .cm-save input').isChecked()).toBe(true);

    await page.locator('#comments .cm-save input').uncheck();
    await fillForm(page, { comment: 'Forget me now.' });
    await page.locator('#comments .cm-submit').click();
    await saying(page, 'Your comment is awaiting moderation.');
    await page.reload();
    await page.locator('#comments .cm-submit').waitFor();
    expect(await page.locator('#comments [name=author]').inputValue()).toBe('');
    expect(await page.locator('#comments .cm-save input').isChecked()).toBe(false);
  });

  it("keeps the submitter's pending comment visible to this browser only", async () => {
    const articleId = uniqueArticle();
    const { page } = await openArticle(articleId);
    await fillForm(page, { comment: 'Only I should see this for now.', author: 'Pat', email: 'pat@example.org' });
    await page.locator('#comments .cm-submit').click();
    await page.locator('#comments li.cm-pending').waitFor();

    await page.reload();
    await page.locator('#comments li.cm-pending .cm-note').waitFor();
    expect(await page.locator('#comments li.cm-pending .cm-text').innerText()).toBe('Only I should see this for now.');

    const other = await openArticle(articleId);
    await other.page.locator('#comments .cm-empty').waitFor();
    expect(await other.page.locator('#comments li').count()).toBe(0);
  });

  it('fetches the form token and sends it; without the endpoint (404) sends none', async () => {
    const articleId = uniqueArticle();
    const b = await launchBrowser();
    browsers.push(b);
    const page = await b.context.newPage();
    const tokenAsks: string[] = [];
    await page.route(isFormToken, (route) => {
      tokenAsks.push(route.request().url());
      const now = Date.now();
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ token: 'signed.token.value', issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 3600e3).toISOString() }) });
    });
    const bodies: Record<string, unknown>[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/comments')) bodies.push(r.postDataJSON());
    });
    await page.goto(`${h.baseUrl}/?article=${articleId}`);
    await page.locator('#comments .cm-submit').waitFor();
    await fillForm(page, { comment: 'With a token.', author: 'Tok', email: 'tok@example.org' });
    await page.locator('#comments .cm-submit').click();
    await page.locator('#comments li.cm-pending').waitFor();
    expect(tokenAsks[0]).toContain(`/api/form-token?articleId=${articleId}`);
    expect(bodies[0].formToken).toBe('signed.token.value');

    await page.unroute(isFormToken);
    await page.route(isFormToken, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found"}}' }));
    await page.reload();
    await page.locator('#comments .cm-submit').waitFor();
    await fillForm(page, { comment: 'Without a token.', author: 'Tok', email: 'tok2@example.org' });
    await page.locator('#comments .cm-submit').click();
    await saying(page, 'Your comment is awaiting moderation.');
    expect(bodies[1].formToken).toBeNull();
  });
});
