import { campaignCheck } from '../../../../src/moderation/checks/campaign';
import type { CampaignQuery } from '../../../../src/moderation/types';
import { checkContext, fakeHistory } from '../../../helpers/check-context';

const LONG = 'Earn thousands every week from home with this one simple trick that banks hate';

describe('campaignCheck', () => {
  it('passes when fewer than 3 authors and addresses sent the text', async () => {
    const { history, calls } = fakeHistory({ campaign: { authors: 2, ips: 2 } });
    const r = await campaignCheck.run(checkContext({ comment: { body: LONG }, history }));
    expect(r.verdict).toBe('pass');
    const q = calls[0].args[0] as CampaignQuery;
    expect(q).toMatchObject({ commentId: '00000000-0000-4000-8000-000000000001', email: 'ada@example.org', ip: '203.0.113.7' });
    expect(q.since.toISOString()).toBe('2026-04-30T12:00:00.000Z');
    expect(q.fingerprint.bands).toHaveLength(8);
    expect(q.fingerprint.minhash).toHaveLength(16);
  });

  it('returns spam when 3 or more authors sent the same text within a day', async () => {
    const { history } = fakeHistory({ campaign: { authors: 3, ips: 1 } });
    const r = await campaignCheck.run(checkContext({ comment: { body: LONG }, history }));
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0]).toMatchObject({ code: 'campaign', message: 'The same text came from 3 different authors and 1 addresses within 24 hours.' });
  });

  it('returns spam when one author used 3 or more addresses', async () => {
    const { history } = fakeHistory({ campaign: { authors: 1, ips: 3 } });
    expect((await campaignCheck.run(checkContext({ comment: { body: LONG }, history }))).verdict).toBe('spam');
  });

  it('leaves short, common texts alone without asking the database', async () => {
    const { history, calls } = fakeHistory({ campaign: { authors: 50, ips: 50 } });
    expect((await campaignCheck.run(checkContext({ comment: { body: 'Great article, thanks!' }, history }))).verdict).toBe('pass');
    expect(calls).toEqual([]);
  });

  it('does not count a private address as the commenter\'s', async () => {
    const { history, calls } = fakeHistory();
    await campaignCheck.run(checkContext({ comment: { body: LONG }, request: { ip: '10.0.0.5' }, history }));
    expect((calls[0].args[0] as CampaignQuery).ip).toBeNull();
  });
});
