import { randomUUID } from 'node:crypto';
import { truncateOldIps } from '../../../src/db/privacy-repository';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

describe('settings, rule tester and privacy tools', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = (await signedInClient(h, 'admin')).api;
  });
  afterAll(async () => {
    await h.close();
  });

  describe('GET/PUT /api/moderation/settings', () => {
    it('reads every setting with the defaults, and saves a valid change', async () => {
      const read = await admin.get('/api/moderation/settings');
      expect(read.status).toBe(200);
      expect(Object.keys(read.body.settings)).toEqual(expect.arrayContaining(['holdAll', 'spamThreshold', 'moderationKeys', 'checkModes']));
      // Saves the value it has (other files' workers read these settings); the write itself is what is checked.
      const current = read.body.settings.commentMaxLinks;
      const res = await admin.put('/api/moderation/settings', { commentMaxLinks: current });
      expect(res.status).toBe(200);
      expect(res.body.settings.commentMaxLinks).toBe(current);
      const { rows } = await h.pool.query(`SELECT updated_by FROM settings WHERE key = 'commentMaxLinks'`);
      expect(rows[0].updated_by).toMatch(/^moderator:/);
    });

    it('answers 422 naming every bad field, and saves nothing', async () => {
      const res = await admin.put('/api/moderation/settings', { spamThreshold: -1, holdAll: 'yes', unknownSetting: 1, commentMaxLinks: 1.5 });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      const fields = res.body.error.fields.map((f: { field: string }) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['spamThreshold', 'holdAll', 'commentMaxLinks', '(body)']));
      const bad = await admin.put('/api/moderation/settings', { holdThreshold: 1e6 });
      expect(bad.body.error.fields).toEqual([expect.objectContaining({ field: 'holdThreshold' })]);
      const regex = await admin.put('/api/moderation/settings', { disallowedKeys: [{ pattern: '(unclosed', kind: 'regex' }] });
      expect(regex.status).toBe(422);
      expect((await admin.get('/api/moderation/settings')).body.settings.spamThreshold).not.toBe(-1);
    });

    it('lists the checks with their descriptions, and refuses a misspelt check name instead of ignoring it', async () => {
      const read = await admin.get('/api/moderation/settings');
      expect(read.body.checks).toContainEqual({ name: 'classifier', description: expect.any(String), modes: ['enforce', 'observe', 'off'] });
      const res = await admin.put('/api/moderation/settings', { checkModes: { classifer: 'observe' } });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual([{ field: 'checkModes.classifer', message: expect.stringContaining('There is no check named “classifer”') }]);
    });
  });

  describe('POST /api/moderation/rule-test', () => {
    it('runs every check on a sample and shows the verdict trace without saving anything', async () => {
      const before = (await h.pool.query('SELECT count(*)::int AS n FROM comments')).rows[0].n;
      const word = `banned${randomUUID().slice(0, 6)}`;
      const res = await admin.post('/api/moderation/rule-test', {
        comment: { authorName: 'Sam', authorEmail: 'sam@example.org', body: `This has ${word} in it.` },
        settings: { disallowedKeys: [{ pattern: word, kind: 'word' }] },
      });
      expect(res.status).toBe(200);
      expect(res.body.decision.status).toBe('spam');
      const checks = res.body.decision.verdicts.map((v: { check: string }) => v.check);
      expect(checks).toEqual(expect.arrayContaining(['required_fields', 'reply']));
      const reasons = res.body.decision.verdicts.flatMap((v: { reasons: { code: string; match?: string }[] }) => v.reasons);
      expect(reasons).toEqual(expect.arrayContaining([expect.objectContaining({ match: expect.stringContaining(word) })]));
      expect((await h.pool.query('SELECT count(*)::int AS n FROM comments')).rows[0].n).toBe(before);
      expect((await admin.get('/api/moderation/settings')).body.settings.disallowedKeys).not.toEqual([{ pattern: word, kind: 'word' }]);
    });

    it('judges a pasted sample without a form token point: it came through no form', async () => {
      const res = await admin.post('/api/moderation/rule-test', {
        comment: { authorName: 'Sam', authorEmail: 'sam@example.org', body: 'A plain remark about the bus timetable.' },
      });
      expect(res.status).toBe(200);
      const token = res.body.decision.verdicts.find((v: { check: string }) => v.check === 'form_token');
      expect(token).toMatchObject({ verdict: 'pass', score: 0, reasons: [] });
    });

    it('reads the curated spam lists the workers read, so a listed site bins the sample as it would a real post', async () => {
      const res = await admin.post('/api/moderation/rule-test', {
        comment: { authorName: 'Sam', authorEmail: 'sam@example.org', body: 'Cheap press releases at https://freeprnow.com/offer today.' },
      });
      expect(res.status).toBe(200);
      const lists = res.body.decision.verdicts.find((v: { check: string }) => v.check === 'curated_lists');
      expect(lists.reasons).toEqual([expect.objectContaining({ code: 'curated_spam_site', match: 'freeprnow.com' })]);
      expect(res.body.decision.status).toBe('spam');
    });

    it('rejects a sample missing required fields, with the field reasons', async () => {
      const res = await admin.post('/api/moderation/rule-test', { comment: { body: 'No author.' } });
      expect(res.body.decision.status).toBe('rejected');
      const invalid = await admin.post('/api/moderation/rule-test', { comment: { body: 'x' }, settings: { holdAll: 'maybe' } });
      expect(invalid.status).toBe(422);
    });
  });

  describe('privacy', () => {
    it('exports everything stored for one email as JSON', async () => {
      const email = `export-${randomUUID().slice(0, 8)}@example.org`;
      const a = await seedComment(h.pool, { authorEmail: email, status: 'approved', body: 'First.' });
      await seedComment(h.pool, { authorEmail: email.toUpperCase(), status: 'pending', body: 'Second.' });
      await admin.patch(`/api/moderation/comments/${a.id}`, { body: 'First, edited.' });
      const res = await admin.get(`/api/moderation/privacy/export?email=${encodeURIComponent(email)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/attachment/);
      expect(res.body.email).toBe(email);
      expect(res.body.comments.map((c: { body: string }) => c.body)).toEqual(['First, edited.', 'Second.']);
      expect(res.body.comments[0]).toMatchObject({ authorEmail: email, ip: '203.0.113.7', revisions: [expect.objectContaining({ body: 'First.' })] });
      expect(res.body.comments[0].events.length).toBeGreaterThanOrEqual(2);
    });

    it('erases an author’s details and keeps the text, recording an event', async () => {
      const email = `erase-${randomUUID().slice(0, 8)}@example.org`;
      const verdicts = [{ check: 'disallowed_keys', verdict: 'spam' as const, score: 10, reasons: [{ code: 'disallowed_key', message: 'm', field: 'author_email', match: email }] }];
      const c = await seedComment(h.pool, { authorEmail: email, authorName: 'Real Name', authorUrl: 'https://me.example', body: 'Keep me.', verdicts });
      const res = await admin.post('/api/moderation/privacy/erase', { email, bodies: 'keep' });
      expect(res.status).toBe(200);
      expect(res.body.comments).toBe(1);
      const { rows } = await h.pool.query('SELECT * FROM comments WHERE id = $1', [c.id]);
      expect(rows[0]).toMatchObject({ author_name: 'Anonymous', author_email: '', author_url: null, ip: null, user_agent: null, body: 'Keep me.' });
      expect(JSON.stringify(rows[0].reasons)).not.toContain(email);
      const events = await h.pool.query('SELECT reasons, actor FROM moderation_events WHERE comment_id = $1 ORDER BY id', [c.id]);
      expect(events.rows.at(-1).reasons).toEqual([expect.objectContaining({ code: 'personal_data_erased' })]);
      expect(JSON.stringify(events.rows)).not.toContain(email);
      expect((await admin.get(`/api/moderation/privacy/export?email=${encodeURIComponent(email)}`)).body.comments).toEqual([]);
    });

    it('erases an author’s comments entirely when asked to delete the bodies', async () => {
      const email = `gone-${randomUUID().slice(0, 8)}@example.org`;
      const c = await seedComment(h.pool, { authorEmail: email });
      const res = await admin.post('/api/moderation/privacy/erase', { email, bodies: 'delete', note: 'request #12' });
      expect(res.body.comments).toBe(1);
      expect((await h.pool.query('SELECT 1 FROM comments WHERE id = $1', [c.id])).rowCount).toBe(0);
      const { rows } = await h.pool.query('SELECT to_status, note FROM moderation_events WHERE comment_id = $1 ORDER BY id DESC LIMIT 1', [c.id]);
      expect(rows[0]).toEqual({ to_status: 'deleted', note: 'request #12' });
    });

    it('privacy tools are for admins only', async () => {
      const moderator = (await signedInClient(h)).api;
      expect((await moderator.get('/api/moderation/privacy/export?email=a@example.org')).status).toBe(403);
      expect((await moderator.post('/api/moderation/privacy/erase', { email: 'a@example.org', bodies: 'keep' })).status).toBe(403);
    });

    it('truncates IP addresses older than the retention period, and only those', async () => {
      const now = new Date();
      const old = new Date(now.getTime() - 31 * 24 * 3600 * 1000);
      const v4 = await seedComment(h.pool, { ip: '198.51.100.123', submittedAt: old });
      const v6 = await seedComment(h.pool, { ip: '2001:db8:abcd:12:34::1', submittedAt: old });
      const recent = await seedComment(h.pool, { ip: '198.51.100.124', submittedAt: now });
      await truncateOldIps(h.pool, 30, now);
      expect(await truncateOldIps(h.pool, 30, now)).toBe(0); // idempotent
      const ipOf = async (id: string) => (await h.pool.query('SELECT host(ip) AS ip FROM comments WHERE id = $1', [id])).rows[0].ip;
      expect(await ipOf(v4.id)).toBe('198.51.100.0');
      expect(await ipOf(v6.id)).toBe('2001:db8:abcd::');
      expect(await ipOf(recent.id)).toBe('198.51.100.124');
    });
  });
});
