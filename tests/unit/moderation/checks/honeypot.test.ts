import { honeypotCheck } from '../../../../src/moderation/checks/honeypot';
import { checkContext } from '../../../helpers/check-context';

describe('honeypotCheck', () => {
  it('has no opinion when the client never sent the field (a JSON client without the form)', async () => {
    const r = await honeypotCheck.run(checkContext({ comment: { honeypot: undefined } }));
    expect(r).toEqual({ check: 'honeypot', verdict: 'pass', score: 0, reasons: [] });
  });

  it('has no opinion when the field is null or left empty', async () => {
    expect((await honeypotCheck.run(checkContext({ comment: { honeypot: null } }))).verdict).toBe('pass');
    expect((await honeypotCheck.run(checkContext({ comment: { honeypot: '  ' } }))).verdict).toBe('pass');
  });

  it('returns spam when the hidden field is filled', async () => {
    const r = await honeypotCheck.run(checkContext({ comment: { honeypot: 'http://spam.example' } }));
    expect(r.verdict).toBe('spam');
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'honeypot_filled', field: 'honeypot', match: 'http://spam.example' })]);
  });
});
