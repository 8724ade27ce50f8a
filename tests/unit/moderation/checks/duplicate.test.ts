import { DUPLICATE_MESSAGE, duplicateCheck } from '../../../../src/moderation/checks/duplicate';
import { fingerprintBody } from '../../../../src/moderation/fingerprint';
import { checkContext, fakeHistory } from '../../../helpers/check-context';

describe('duplicateCheck', () => {
  it('has no opinion without stored history', async () => {
    expect(await duplicateCheck.run(checkContext())).toMatchObject({ verdict: 'pass', reasons: [] });
  });

  it('passes when no stored comment is the same', async () => {
    const { history, calls } = fakeHistory({ duplicate: null });
    const ctx = checkContext({ history });
    expect((await duplicateCheck.run(ctx)).verdict).toBe('pass');
    expect(calls).toEqual([{ method: 'findDuplicate', args: [ctx.comment, fingerprintBody(ctx.comment.body).hash] }]);
  });

  it('rejects with code duplicate and WordPress\'s message when the same comment is stored', async () => {
    const { history } = fakeHistory({ duplicate: '00000000-0000-4000-8000-00000000000a' });
    const r = await duplicateCheck.run(checkContext({ history }));
    expect(r.verdict).toBe('reject');
    expect(r.reasons).toEqual([{ code: 'duplicate', message: DUPLICATE_MESSAGE, field: 'body', match: '00000000-0000-4000-8000-00000000000a' }]);
  });
});
