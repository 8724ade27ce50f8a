import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel.
jest.setTimeout(60000);

/** Issue 14, finding 7: the rule tester must not hand moderators what GET /settings keeps for admins. */
describe('POST /api/moderation/rule-test least privilege', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof signedInClient>>['api'];
  let moderator: Awaited<ReturnType<typeof signedInClient>>['api'];
  const sample = { comment: { authorName: 'Sam', authorEmail: 'sam@example.org', body: 'A plain remark about the budget.' } };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = (await signedInClient(h, 'admin')).api;
    moderator = (await signedInClient(h, 'moderator')).api;
  });
  afterAll(async () => {
    await h.close();
  });

  it('lets a moderator test with the stored settings, without the settings (word lists) in the answer', async () => {
    const res = await moderator.post('/api/moderation/rule-test', sample);
    expect(res.status).toBe(200);
    expect(res.body.decision.status).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('settings');
    expect(JSON.stringify(res.body)).not.toMatch(/moderationKeys|disallowedKeys/);
  });

  it('refuses a moderator unsaved settings with 403, and runs nothing', async () => {
    const word = `probe${randomUUID().slice(0, 6)}`;
    const res = await moderator.post('/api/moderation/rule-test', {
      comment: { ...sample.comment, body: `This has ${word} in it.` },
      settings: { disallowedKeys: [{ pattern: word, kind: 'word' }] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('settings_override_forbidden');
    expect(res.body).not.toHaveProperty('decision');
  });

  it('still refuses a moderator GET /settings (the same data the tester must not leak)', async () => {
    expect((await moderator.get('/api/moderation/settings')).status).toBe(403);
  });

  it('lets an admin try unsaved settings and read the merged settings back', async () => {
    const word = `banned${randomUUID().slice(0, 6)}`;
    const res = await admin.post('/api/moderation/rule-test', {
      comment: { ...sample.comment, body: `This has ${word} in it.` },
      settings: { disallowedKeys: [{ pattern: word, kind: 'word' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.decision.status).toBe('spam');
    expect(res.body.settings.disallowedKeys).toEqual([{ pattern: word, kind: 'word' }]);
  });
});
