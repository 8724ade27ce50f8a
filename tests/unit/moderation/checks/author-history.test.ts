import { authorHistoryCheck, HISTORY_SCORES } from '../../../../src/moderation/checks/author-history';
import { decide } from '../../../../src/moderation/pipeline';
import type { CheckResult } from '../../../../src/moderation/types';
import { checkContext, fakeHistory } from '../../../helpers/check-context';

describe('authorHistoryCheck', () => {
  it('has no opinion for a new author', async () => {
    const { history } = fakeHistory();
    expect(await authorHistoryCheck.run(checkContext({ history }))).toEqual({ check: 'author_history', verdict: 'pass', score: 0, reasons: [] });
  });

  it('takes points off for an email with approved comments and no spam', async () => {
    const { history } = fakeHistory({ author: { approvedByEmail: 3 } });
    const r = await authorHistoryCheck.run(checkContext({ history }));
    expect(r.score).toBe(HISTORY_SCORES.previouslyApproved);
    expect(r.reasons[0]).toMatchObject({ code: 'previously_approved', message: expect.stringContaining('3 approved comments') });
  });

  it('gives nothing off when previouslyApproved is switched off', async () => {
    const { history } = fakeHistory({ author: { approvedByEmail: 3 } });
    expect((await authorHistoryCheck.run(checkContext({ history, settings: { previouslyApproved: false } }))).score).toBe(0);
  });

  it('offsets a mildly suspicious score but never another check\'s spam, reject or review verdict', async () => {
    const { history } = fakeHistory({ author: { approvedByEmail: 1 } });
    const ctx = checkContext({ history });
    const own = { ...(await authorHistoryCheck.run(ctx)), mode: 'enforce' as const };
    const mild: CheckResult = { check: 'classifier', verdict: 'pass', score: 6, reasons: [], mode: 'enforce' };
    expect(decide([mild], ctx.settings).status).toBe('pending');
    expect(decide([mild, own], ctx.settings).status).toBe('approved');
    for (const verdict of ['spam', 'reject', 'review'] as const) {
      const other: CheckResult = { check: 'other', verdict, score: 0, reasons: [], mode: 'enforce' };
      expect(decide([other, own], ctx.settings).status).toBe({ spam: 'spam', reject: 'rejected', review: 'pending' }[verdict]);
    }
  });

  it('adds points for earlier spam, naming email, website and address', async () => {
    const { history, calls } = fakeHistory({ author: { approvedByEmail: 5, spamByEmail: 1, spamByUrl: 2, spamByIp: 4 } });
    const r = await authorHistoryCheck.run(checkContext({ comment: { authorUrl: 'https://pills.example/' }, history }));
    expect(r.score).toBe(HISTORY_SCORES.spamByEmail + HISTORY_SCORES.spamByUrl + HISTORY_SCORES.spamByIp);
    expect(r.reasons.map((x) => [x.code, x.field])).toEqual([
      ['spam_history_email', 'authorEmail'],
      ['spam_history_url', 'authorUrl'],
      ['spam_history_ip', 'ip'],
    ]);
    expect(calls[0].args[0]).toMatchObject({ email: 'ada@example.org', ip: '203.0.113.7', url: 'https://pills.example/', ipSince: new Date('2026-04-01T12:00:00.000Z') });
  });

  it('never looks up loopback or private addresses (a proxy, not a commenter)', async () => {
    const { history, calls } = fakeHistory();
    await authorHistoryCheck.run(checkContext({ request: { ip: '127.0.0.1' }, history }));
    await authorHistoryCheck.run(checkContext({ request: { ip: '::ffff:192.168.1.20' }, history }));
    expect(calls.map((c) => (c.args[0] as { ip: string | null }).ip)).toEqual([null, null]);
  });
});
