import { startHarness, eventually, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';
import { coralAnalyzeBody, newKeyFromCli, perspectiveKeyCli, postPerspective } from '../../helpers/perspective';

/**
 * The Perspective-compatible endpoint's gate and request checks, in Perspective's error shape:
 * `{ error: { code, message, status } }`. Keys come from the real CLI (npm run perspective:key).
 */
describe('Perspective API: keys, limits and errors', () => {
  let h: Harness;
  let key: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { PERSPECTIVE_REQUESTS_PER_MINUTE: '20' } });
    key = await newKeyFromCli(h.config, 'keys-and-errors');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('prints a new key on the last line of npm run --silent perspective:key', () => {
    expect(key).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
  });

  it('answers 403 PERMISSION_DENIED without a key and with a wrong one, on both paths', async () => {
    for (const path of ['/v1alpha1/comments:analyze', '/comments:analyze', '/v1alpha1/comments:suggestscore']) {
      const missing = await postPerspective(h.baseUrl, path, coralAnalyzeBody('hello there'));
      expect(missing.status).toBe(403);
      expect(missing.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
      expect(missing.body.error.message).toMatch(/API key/);
      const wrong = await postPerspective(h.baseUrl, path, coralAnalyzeBody('hello there'), `pk_${'x'.repeat(32)}`);
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.status).toBe('PERMISSION_DENIED');
      const junk = await postPerspective(h.baseUrl, path, coralAnalyzeBody('hello there'), 'AIzaSyNotOurs');
      expect(junk.status).toBe(403);
    }
  });

  it('names an unknown attribute in a 400 INVALID_ARGUMENT', async () => {
    const res = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { comment: { text: 'You are kind.' }, requestedAttributes: { TOXICITY: {}, FLIRTATION: {} } }, key);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(res.body.error.message).toContain('FLIRTATION');
  });

  it('refuses a declared or detected language the model does not handle, naming it', async () => {
    const declared = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { ...coralAnalyzeBody('Du bist ein Idiot'), languages: ['de'] }, key);
    expect(declared.status).toBe(400);
    expect(declared.body.error.message).toBe('Attribute TOXICITY does not support request languages: de');
    const detected = await postPerspective(
      h.baseUrl,
      '/comments:analyze',
      { comment: { text: 'Das ist nicht wahr, und die Stadt hat mit dem Geld auch nichts für die Schulen getan.' }, requestedAttributes: { INSULT: {} } },
      key,
    );
    expect(detected.status).toBe(400);
    expect(detected.body.error.message).toBe('Attribute INSULT does not support request languages: de');
  });

  it('answers malformed and empty requests in Perspective’s shape', async () => {
    const malformed = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', '{"comment": {"text": ', key);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const empty = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { comment: { text: '  ' }, requestedAttributes: { TOXICITY: {} } }, key);
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].errorType).toBe('COMMENT_EMPTY');
    const tooLong = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { comment: { text: 'word '.repeat(5000) }, requestedAttributes: { TOXICITY: {} } }, key);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/too long/);
    const badScore = await postPerspective(h.baseUrl, '/v1alpha1/comments:suggestscore', { comment: { text: 'fine' }, attributeScores: { TOXICITY: { summaryScore: { value: 7 } } } }, key);
    expect(badScore.status).toBe(400);
    expect(badScore.body.error.message).toMatch(/summary_score\.value/);
  });

  it('limits requests per key with a 429 RESOURCE_EXHAUSTED and Retry-After', async () => {
    const limited = await newKeyFromCli(h.config, 'limited');
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof postPerspective>> | undefined;
    for (let i = 0; i < 22; i += 1) {
      last = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { comment: { text: 'x' }, requestedAttributes: { NOPE: {} } }, limited);
      statuses.push(last.status);
    }
    // 20 a minute: twenty answered (400 here: the attribute is unknown), then refused.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(400));
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(last!.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(last!.body.error.message).toMatch(/20 requests per minute/);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key is not affected.
    const other = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', { comment: { text: 'x' }, requestedAttributes: { NOPE: {} } }, key);
    expect(other.status).toBe(400);
  });

  it('stops a revoked key within seconds', async () => {
    const doomed = await newKeyFromCli(h.config, 'doomed');
    const body = { comment: { text: 'x' }, requestedAttributes: { NOPE: {} } };
    expect((await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', body, doomed)).status).toBe(400);
    const listed = await perspectiveKeyCli(h.config, ['--list']);
    const line = listed.stdout.split('\n').find((l) => l.includes('doomed'));
    expect(line).toMatch(/active/);
    const revoked = await perspectiveKeyCli(h.config, ['--revoke', line!.split(/\s+/)[0]]);
    expect(revoked.code).toBe(0);
    await eventually(async () => (await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', body, doomed)).status === 403, 15000, 200);
  });

  it('lets an admin create, list and revoke keys from the review page’s API, as Akismet keys are; moderators cannot', async () => {
    const { api: admin } = await signedInClient(h, 'admin');
    const made = await admin.post('/api/moderation/perspective-keys', { label: 'Coral on news.example.org' });
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    expect(made.body.key).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    expect(made.body.key.startsWith(made.body.keyHint)).toBe(true);
    const body = { comment: { text: 'x' }, requestedAttributes: { NOPE: {} } };
    expect((await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', body, made.body.key)).status).toBe(400);

    const listed = await admin.get('/api/moderation/perspective-keys');
    const mine = listed.body.keys.find((k: { id: string }) => k.id === made.body.id);
    expect(mine).toMatchObject({ label: 'Coral on news.example.org', keyHint: made.body.keyHint, revokedAt: null });
    // Only the digest is stored: the listing and the table never hold the key itself.
    expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
    const stored = await h.pool.query('SELECT row_to_json(k)::text AS row FROM perspective_keys k WHERE id = $1', [made.body.id]);
    expect(stored.rows[0].row).not.toContain(made.body.key);

    const tooLong = await admin.post('/api/moderation/perspective-keys', { label: 'x'.repeat(201) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.fields[0]).toEqual({ field: 'label', message: 'A label has at most 200 characters.' });

    const { api: moderator } = await signedInClient(h, 'moderator');
    expect((await moderator.get('/api/moderation/perspective-keys')).status).toBe(403);
    expect((await moderator.post('/api/moderation/perspective-keys', {})).status).toBe(403);

    expect((await admin.del('/api/moderation/perspective-keys/not-a-key')).status).toBe(404);
    const revoked = await admin.del(`/api/moderation/perspective-keys/${made.body.id}?takeBackLessons=1`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: made.body.id, revoked: true, lessonsTakenBack: 0 });
    await eventually(async () => (await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', body, made.body.key)).status === 403, 15000, 200);
  });
});
