import { randomUUID } from 'node:crypto';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';

jest.setTimeout(60000);

/** Text an attacker tries: SQL injection, markup, placeholders. Each must come back exactly as sent. */
const INJECTIONS = [
  "Robert'); DROP TABLE comments; --",
  "' OR '1'='1' --",
  "1; UPDATE comments SET status = 'approved'; --",
  "\\'; SELECT pg_sleep(5); --",
  '$1 $2 %s %d ${body}',
  "'||(SELECT author_email FROM comments LIMIT 1)||'",
  '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
  '"; }); alert(1); //',
];

async function post(h: Harness, comment: Record<string, unknown>) {
  const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
  return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string } } };
}

describe('hostile text through API → worker → listing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workerSettings: { holdAll: false } });
  });
  afterAll(async () => {
    await h.close();
  });

  const storedRow = (id: string) =>
    eventually(async () => (await h.pool.query('SELECT author_name, author_url, body, status FROM comments WHERE id = $1', [id])).rows[0], 20000);

  it('stores SQL-injection strings verbatim and shows them verbatim in the listing and the moderator API, as JSON', async () => {
    const articleId = `inject-${randomUUID()}`;
    const ids: string[] = [];
    for (const text of INJECTIONS) {
      const { status, body } = await post(h, sampleComment(articleId, { authorName: text.slice(0, 200), body: `Note: ${text}` }));
      expect(status).toBe(202);
      ids.push(body.id);
    }
    for (const [i, id] of ids.entries()) {
      const row = await storedRow(id);
      expect(row.author_name).toBe(INJECTIONS[i].slice(0, 200));
      expect(row.body).toBe(`Note: ${INJECTIONS[i]}`);
    }
    await h.pool.query(`UPDATE comments SET status = 'approved' WHERE id = ANY($1::uuid[])`, [ids]);

    const listing = await fetch(`${h.baseUrl}/api/articles/${articleId}/comments?limit=50`);
    expect(listing.headers.get('content-type')).toMatch(/^application\/json/);
    const shown = ((await listing.json()) as { comments: { body: string }[] }).comments.map((c) => c.body).sort();
    expect(shown).toEqual(INJECTIONS.map((t) => `Note: ${t}`).sort());

    // The moderator side: filters take the same strings as plain values, answers are JSON.
    const { api } = await signedInClient(h, 'moderator');
    for (const text of INJECTIONS) {
      const found = await api.get(`/api/moderation/comments?status=approved&article=${encodeURIComponent(articleId)}&q=${encodeURIComponent(text)}`);
      expect(found.status).toBe(200);
      expect(found.headers.get('content-type')).toMatch(/^application\/json/);
      expect((found.body.items as { body: string }[]).map((c) => c.body)).toContain(`Note: ${text}`);
    }
    const byEmail = await api.get(`/api/moderation/comments?status=approved&email=${encodeURIComponent("x' OR '1'='1")}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.items).toEqual([]);
    expect((await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1', [articleId])).rows[0].n).toBe(INJECTIONS.length);
  });

  it('renders readers’ text escaped on the server-side page: markup in a comment is never HTML', async () => {
    const articleId = `markup-${randomUUID()}`;
    const { body } = await post(h, sampleComment(articleId, { authorName: '<b>Bold</b>', body: '<script>alert(1)</script> & <img src=x onerror=alert(2)>' }));
    await storedRow(body.id);
    await h.pool.query(`UPDATE comments SET status = 'approved' WHERE id = $1`, [body.id]);
    const page = await (await fetch(`${h.baseUrl}/?article=${articleId}`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('&lt;b&gt;Bold&lt;/b&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
  });

  it('refuses NUL characters with 400 instead of accepting a comment Postgres cannot store', async () => {
    for (const extra of [{ body: 'nul \u0000 here' }, { authorName: 'N\u0000' }, { honeypot: 'x\u0000' }]) {
      const { status, body } = await post(h, sampleComment(`nul-${randomUUID()}`, extra));
      expect(status).toBe(400);
      expect(body.error?.code).toBe('invalid_characters');
    }
    const form = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'comment=a%00b&author=Ada&email=ada%40example.org&comment_post_ID=nul-form',
    });
    expect(form.status).toBe(400);
    expect((await fetch(`${h.baseUrl}/api/articles/a%00b/comments`)).status).toBe(400);
  });

  it('stores comments whose text has lone surrogates or whose quoted matches would cut an emoji in half', async () => {
    const articleId = `unicode-${randomUUID()}`;
    const cases = [
      { body: 'lone \ud800 high and \udc00 low surrogates' },
      { authorName: 'Ada \udfff' },
      { honeypot: 'filled \ud800' },
      // The links check quotes the first 200 characters of a link: character 200 is half an emoji.
      { body: `See https://example.org/${'a'.repeat(175)}${'😀'.repeat(10)} now` },
      { body: `${'😀'.repeat(40)}!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!` },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const { status, body } = await post(h, sampleComment(articleId, c));
      expect(status).toBe(202);
      ids.push(body.id);
    }
    const rows = await eventually(async () => {
      const { rows } = await h.pool.query('SELECT id FROM comments WHERE id = ANY($1::uuid[])', [ids]);
      return rows.length === ids.length ? rows : null;
    }, 20000).catch(async (err) => {
      const states = await Promise.all(ids.map(async (id) => `${id}: ${await (await h.api.producer.queue.getJob(id))?.getState()} ${(await h.api.producer.queue.getJob(id))?.failedReason ?? ''}`));
      throw new Error(`${(err as Error).message}\n${states.join('\n')}`);
    });
    expect(rows).toHaveLength(ids.length);
  });
});
