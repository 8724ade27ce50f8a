import { DISPOSABLE_EMAIL_SCORE, disposableEmailCheck } from '../../../../src/moderation/checks/disposable-email';
import { checkContext } from '../../../helpers/check-context';

describe('disposableEmailCheck', () => {
  it('passes an ordinary address', async () => {
    expect(await disposableEmailCheck.run(checkContext({ comment: { authorEmail: 'ada@gmail.com' } }))).toMatchObject({ verdict: 'pass', score: 0, reasons: [] });
  });

  it('adds points for a disposable domain, and for its subdomains', async () => {
    const r = await disposableEmailCheck.run(checkContext({ comment: { authorEmail: 'x@Mailinator.com' } }));
    expect(r).toMatchObject({ verdict: 'pass', score: DISPOSABLE_EMAIL_SCORE });
    expect(r.reasons[0]).toMatchObject({ code: 'disposable_email', field: 'authorEmail', match: 'mailinator.com' });
    expect((await disposableEmailCheck.run(checkContext({ comment: { authorEmail: 'x@eu.mailinator.com' } }))).reasons[0].match).toBe('mailinator.com');
  });
});
