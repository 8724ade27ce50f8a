import { formTokenCheck, FORM_TOKEN_SCORES } from '../../../../src/moderation/checks/form-token';
import { signFormToken } from '../../../../src/moderation/form-token';
import { checkContext, TEST_SECRET } from '../../../helpers/check-context';

const RECEIVED = new Date('2026-05-01T12:00:00.000Z');
const secondsBefore = (s: number) => new Date(RECEIVED.getTime() - s * 1000);
const run = (formToken: string | null, settings = {}) =>
  formTokenCheck.run(checkContext({ comment: { formToken }, request: { receivedAt: RECEIVED.toISOString() }, settings, formTokenSecret: TEST_SECRET }));

describe('formTokenCheck', () => {
  it('passes a valid token for this article submitted after minSubmitSeconds', async () => {
    const r = await run(signFormToken(TEST_SECRET, 'budget-2026', secondsBefore(40)));
    expect(r).toEqual({ check: 'form_token', verdict: 'pass', score: 0, reasons: [] });
  });

  it('scores a submission sooner than minSubmitSeconds after the form was shown', async () => {
    const r = await run(signFormToken(TEST_SECRET, 'budget-2026', secondsBefore(1)));
    expect(r.score).toBe(FORM_TOKEN_SCORES.tooSoon);
    expect(r.reasons[0]).toMatchObject({ code: 'submitted_too_soon', message: expect.stringContaining('1.0 s') });
  });

  it('judges time by when the API received the comment, not by the worker clock', async () => {
    // `now` (the worker) is far later than receivedAt; the 1 s between token and receipt is what counts.
    const r = await formTokenCheck.run(
      checkContext({
        comment: { formToken: signFormToken(TEST_SECRET, 'budget-2026', secondsBefore(1)) },
        request: { receivedAt: RECEIVED.toISOString() },
        now: new Date(RECEIVED.getTime() + 3600_000),
        formTokenSecret: TEST_SECRET,
      }),
    );
    expect(r.reasons[0].code).toBe('submitted_too_soon');
  });

  it('scores a forged token', async () => {
    const token = signFormToken('another-secret-0123456789abcdef', 'budget-2026', secondsBefore(40));
    const r = await run(token);
    expect(r.score).toBe(FORM_TOKEN_SCORES.forged);
    expect(r.reasons[0]).toMatchObject({ code: 'form_token_invalid', message: expect.stringContaining('bad signature') });
    expect((await run('not-a-token')).reasons[0].code).toBe('form_token_invalid');
  });

  it('scores a token for another article', async () => {
    const r = await run(signFormToken(TEST_SECRET, 'other-article', secondsBefore(40)));
    expect(r.score).toBe(FORM_TOKEN_SCORES.otherArticle);
    expect(r.reasons[0]).toMatchObject({ code: 'form_token_other_article', match: 'other-article' });
  });

  it('scores an expired token', async () => {
    const r = await run(signFormToken(TEST_SECRET, 'budget-2026', secondsBefore(7200)), { formTokenMaxAgeSeconds: 3600 });
    expect(r.score).toBe(FORM_TOKEN_SCORES.expired);
    expect(r.reasons[0].code).toBe('form_token_expired');
  });

  it('adds missingTokenScore when no token came, and nothing when that score is 0', async () => {
    const r = await run(null, { missingTokenScore: 2 });
    expect(r).toMatchObject({ verdict: 'pass', score: 2, reasons: [expect.objectContaining({ code: 'form_token_missing' })] });
    expect(await run(null, { missingTokenScore: 0 })).toMatchObject({ score: 0, reasons: [] });
  });

  it('has no opinion without a secret (the offline rule tester)', async () => {
    const r = await formTokenCheck.run(checkContext({ comment: { formToken: null } }));
    expect(r).toMatchObject({ score: 0, reasons: [] });
  });
});
