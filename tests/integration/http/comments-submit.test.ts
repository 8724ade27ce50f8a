import { randomUUID } from 'node:crypto';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';

describe('POST /api/comments → worker → Postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    // The spam model lives in the run's shared database, and moderation tests running in parallel
    // teach it (marking sample comments as spam): here the flow is under test, so the model's
    // verdict is recorded but does not decide. Its effect is tested in tests/integration/spam.
    h = await startHarness({ workerSettings: { checkModes: { classifier: 'observe' } } });
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), redirect: 'manual' });

  const rowsFor = async (id: string) => (await h.pool.query('SELECT status, reasons FROM comments WHERE id = $1', [id])).rows;

  it('stores a JSON submission as approved with its verdicts, and the status and article endpoints show it', async () => {
    const articleId = `art-${randomUUID()}`;
    // An email of its own: another file's spam from a shared address would add author-history points.
    const email = `ada-${randomUUID()}@example.org`;
    const res = await post(sampleComment(articleId, { body: 'Clear reporting, thank you.', authorEmail: email }));
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer).toEqual({ id: expect.any(String), status: 'queued', statusUrl: `${h.config.PUBLIC_URL}/api/comments/${answer.id}` });

    const rows = await eventually(async () => {
      const r = await rowsFor(answer.id);
      return r.length ? r : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('approved');
    expect(rows[0].reasons.map((v: { check: string }) => v.check)).toEqual(expect.arrayContaining(['required_fields', 'reply']));

    const status = await (await fetch(`${h.baseUrl}/api/comments/${answer.id}`)).json();
    expect(status).toMatchObject({ id: answer.id, status: 'approved' });

    const listing = await (await fetch(`${h.baseUrl}/api/articles/${articleId}/comments`)).json();
    expect(listing.total).toBe(1);
    expect(listing.comments[0]).toMatchObject({ id: answer.id, authorName: 'Ada Reader', body: 'Clear reporting, thank you.' });
    expect(JSON.stringify(listing)).not.toContain(email);
  });

  it('accepts a WordPress form post and answers 303 back to the allowed article page', async () => {
    const articleId = `art-${randomUUID()}`;
    const form = new URLSearchParams({
      comment: 'Posted from a plain HTML form.',
      author: 'Form User',
      email: 'form@example.org',
      url: '',
      comment_post_ID: articleId,
      comment_parent: '0',
      redirect_to: `${h.config.PUBLIC_URL}/?article=${articleId}`,
    });
    const res = await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(new URL(h.config.PUBLIC_URL).origin);
    const id = location.searchParams.get('unapproved')!;
    expect(location.hash).toBe(`#comment-${id}`);

    const rows = await eventually(async () => ((await rowsFor(id)).length ? rowsFor(id) : null));
    expect(rows[0].status).toBe('approved');
  });

  it('never redirects a form post to an origin outside the allow-list', async () => {
    const form = new URLSearchParams({ comment: 'x y z', author: 'A', email: 'a@example.org', comment_post_ID: 'open-redirect', redirect_to: 'https://evil.example/phish' });
    const res = await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://evil.example/' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).origin).toBe(new URL(h.config.PUBLIC_URL).origin);
  });

  it('replays the first answer for a repeated Idempotency-Key and stores one row', async () => {
    const key = `retry-${randomUUID()}`;
    const body = sampleComment(`art-${randomUUID()}`);
    const headers = { 'content-type': 'application/json', 'idempotency-key': key };
    const first = await post(body, headers);
    const second = await post(body, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const a = await first.json();
    const b = await second.json();
    expect(b.id).toBe(a.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await eventually(async () => (await rowsFor(a.id)).length === 1);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [body.articleId]);
    expect(rows[0].n).toBe(1);
  });

  it('shows a reply nested under its approved parent', async () => {
    const articleId = `art-${randomUUID()}`;
    const parent = await (await post(sampleComment(articleId))).json();
    await eventually(async () => (await rowsFor(parent.id))[0]?.status === 'approved');
    const reply = await (await post(sampleComment(articleId, { parentId: parent.id, authorName: 'Replier' }))).json();
    await eventually(async () => (await rowsFor(reply.id))[0]?.status === 'approved');

    const listing = await (await fetch(`${h.baseUrl}/api/articles/${articleId}/comments`)).json();
    expect(listing.total).toBe(2);
    expect(listing.comments).toHaveLength(1);
    expect(listing.comments[0].replies[0]).toMatchObject({ id: reply.id, parentId: parent.id, authorName: 'Replier' });
  });

  it('rejects a reply to a comment of another article, with the reason shown to the submitter', async () => {
    const parent = await (await post(sampleComment(`art-${randomUUID()}`))).json();
    await eventually(async () => (await rowsFor(parent.id))[0]?.status === 'approved');
    const reply = await (await post(sampleComment(`art-${randomUUID()}`, { parentId: parent.id }))).json();
    await eventually(async () => (await rowsFor(reply.id))[0]?.status === 'rejected');
    const status = await (await fetch(`${h.baseUrl}/api/comments/${reply.id}`)).json();
    expect(status.status).toBe('rejected');
    expect(status.fields).toEqual([expect.objectContaining({ field: 'parentId', code: 'parent_other_article' })]);
  });

  it('answers 404 for an unknown comment id', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
