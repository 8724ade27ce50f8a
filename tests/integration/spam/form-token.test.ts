import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../../../src/moderation/types';
import { FORM_TOKEN_SCORES } from '../../../src/moderation/checks/form-token';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';

describe('GET /api/form-token and the form_token check', () => {
  let h: Harness;
  /**
   * The API's clock, stepped by the tests: how long a reader took between token and submit is what
   * the check judges, so it must not depend on how fast a loaded machine answers (or on sleeping).
   */
  let clock = Date.now();
  const advance = (ms: number) => (clock += ms);
  beforeAll(async () => {
    h = await startHarness({
      workerSettings: { minSubmitSeconds: 1 },
      apiSettings: { formTokenMaxAgeSeconds: 7200 },
      extras: () => ({ now: () => new Date(clock) }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const tokenFor = async (articleId: string) => {
    const res = await fetch(`${h.baseUrl}/api/form-token?articleId=${encodeURIComponent(articleId)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return (await res.json()) as { token: string; issuedAt: string; expiresAt: string };
  };
  const submit = async (body: unknown) => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    return eventually(async () => {
      const { rows } = await h.pool.query<{ reasons: CheckResult[] }>('SELECT reasons FROM comments WHERE id = $1', [id]);
      return rows[0]?.reasons.find((v) => v.check === 'form_token');
    });
  };

  it('hands out a token with its issue and expiry times', async () => {
    const answer = await tokenFor('budget-2026');
    expect(answer.token).toMatch(/^v1\.\d+\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(answer.issuedAt)).toBe(clock);
    expect(Date.parse(answer.expiresAt) - Date.parse(answer.issuedAt)).toBe(7200 * 1000);
  });

  it('answers 422 without a valid article id', async () => {
    for (const query of ['', '?articleId=', '?articleId=%3Cscript%3E']) {
      const res = await fetch(`${h.baseUrl}/api/form-token${query}`);
      expect(res.status).toBe(422);
      expect((await res.json()).error).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ field: 'articleId' })] });
    }
  });

  it('gives no token penalty to a comment posted with a valid token after minSubmitSeconds', async () => {
    const articleId = `art-${randomUUID()}`;
    const { token } = await tokenFor(articleId);
    advance(1200); // the reader took 1.2 s to write
    const verdict = await submit(sampleComment(articleId, { formToken: token }));
    expect(verdict).toMatchObject({ verdict: 'pass', score: 0, reasons: [] });
  });

  it('scores a comment posted sooner than minSubmitSeconds after the token was issued', async () => {
    const articleId = `art-${randomUUID()}`;
    const { token } = await tokenFor(articleId);
    advance(300); // 0.3 s: faster than a person, however long the machine took to answer
    const verdict = await submit(sampleComment(articleId, { formToken: token }));
    expect(verdict?.score).toBe(FORM_TOKEN_SCORES.tooSoon);
    expect(verdict?.reasons[0].code).toBe('submitted_too_soon');
  });

  it('scores a token for another article, and one sent as the form field form_token', async () => {
    const { token } = await tokenFor('some-other-article');
    advance(1200); // the reader took 1.2 s to write
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ comment: 'Posted from the form.', author: 'Form User', email: `form-${randomUUID()}@example.org`, comment_post_ID: `art-${randomUUID()}`, form_token: token }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get('location')!).searchParams.get('unapproved')!;
    const verdict = await eventually(async () => {
      const { rows } = await h.pool.query<{ reasons: CheckResult[] }>('SELECT reasons FROM comments WHERE id = $1', [id]);
      return rows[0]?.reasons.find((v) => v.check === 'form_token');
    });
    expect(verdict).toMatchObject({ score: FORM_TOKEN_SCORES.otherArticle, reasons: [expect.objectContaining({ code: 'form_token_other_article', match: 'some-other-article' })] });
  });
});
