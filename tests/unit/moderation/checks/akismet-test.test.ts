import { akismetTestCheck } from '../../../../src/moderation/checks/akismet-test';
import { checkContext } from '../../../helpers/check-context';

describe('akismetTestCheck', () => {
  it('passes ordinary authors', async () => {
    expect((await akismetTestCheck.run(checkContext())).verdict).toBe('pass');
  });

  it.each([
    [{ authorName: 'viagra-test-123' }, 'authorName'],
    [{ authorName: 'Akismet-Guaranteed-Spam' }, 'authorName'],
    [{ authorEmail: 'akismet-guaranteed-spam@example.com' }, 'authorEmail'],
  ])('returns spam for the test value %o', async (comment, field) => {
    const r = await akismetTestCheck.run(checkContext({ comment }));
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0]).toMatchObject({ code: 'test_spam', field });
  });
});
