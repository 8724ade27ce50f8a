import dns from 'node:dns';
import { randomBytes } from 'node:crypto';
import { AkismetClient } from 'akismet-api';
import { createSharedClassifier } from '../../../src/models/shared-model';
import { spamModelStore } from '../../../src/models/model-store';
import { startHarness, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';

jest.setTimeout(60000);

/**
 * akismet-api (unmodified) addresses the key's calls to `KEY.HOST` (Akismet's old key-in-host-name
 * style), with no agent and no resolver of its own. Names under `localhost` are loopback (RFC 6761),
 * which this machine's resolver does not know: for this file's process, the resolver answers them
 * so and passes every other name on unchanged.
 */
const systemLookup = dns.lookup;
function loopbackLookup(hostname: string, options: unknown, callback?: unknown): void {
  const cb = (typeof options === 'function' ? options : callback) as (err: null, address: unknown, family?: number) => void;
  const opts = (typeof options === 'object' && options) || {};
  if (hostname.endsWith('.localhost')) {
    if ((opts as { all?: boolean }).all) return cb(null, [{ address: '127.0.0.1', family: 4 }]);
    return cb(null, '127.0.0.1', 4);
  }
  (systemLookup as (...a: unknown[]) => void)(hostname, options, callback);
}

const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tu', 've', 'sa', 'no', 'pe', 'di', 'gu', 'bo', 'fe', 'ri', 'zu', 'ha'];
const phrase = () => Array.from({ length: 3 }, () => Array.from(randomBytes(4), (b) => SYLLABLES[b % SYLLABLES.length]).join('')).join(' ');

describe('Akismet-compatible API with the akismet-api client', () => {
  let h: Harness;
  let key: string;
  let keyId: string;
  let host: string;
  const blog = 'https://news.example.org';
  const lessonKeys: string[] = [];

  const client = (opts: { key?: string; blog?: string } = {}) => new AkismetClient({ key: opts.key ?? key, blog: opts.blog ?? blog, host, protocol: 'http' });
  const raw = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${h.baseUrl}/1.1/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  const latestScore = async () => (await h.pool.query<{ score: number; guid: string; status: string }>('SELECT score, guid, status FROM akismet_checks WHERE key_id = $1 ORDER BY created_at DESC LIMIT 1', [keyId])).rows[0];

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    (dns as { lookup: unknown }).lookup = loopbackLookup;
    host = `localhost:${h.api.port}`;
    const { api } = await signedInClient(h, 'admin');
    const created = await api.post('/api/moderation/akismet-keys', { blog });
    expect(created.status).toBe(201);
    key = created.body.key;
    keyId = created.body.id;
  });
  afterAll(async () => {
    (dns as { lookup: unknown }).lookup = systemLookup;
    for (const k of lessonKeys) await spamModelStore.forget(h.pool, k);
    await h.close();
  });

  it('verify-key: valid for the key and its site, invalid otherwise', async () => {
    expect(await client().verifyKey()).toBe(true);
    expect(await client({ key: 'ffffffffffff' }).verifyKey()).toBe(false);
    expect(await client({ blog: 'https://other.example.com' }).verifyKey()).toBe(false);
    // The same site with a trailing slash or over http still matches.
    expect(await client({ blog: 'http://news.example.org/' }).verifyKey()).toBe(true);
    const bad = await raw('verify-key', { api_key: 'ffffffffffff', blog });
    expect(bad.text).toBe('invalid');
    expect(bad.headers.get('x-akismet-error')).toBeTruthy();
  });

  it('comment-check: false for an ordinary comment, true for Akismet test values, false for an administrator', async () => {
    const ordinary = { user_ip: '203.0.113.7', user_agent: 'Mozilla/5.0', comment_type: 'comment', comment_author: 'Ada Reader', comment_author_email: 'ada@example.org', comment_content: 'The council should fund the library and the bridge repairs this year.', permalink: 'https://news.example.org/2026/budget' };
    expect(await client().checkSpam(ordinary)).toBe(false);
    expect(await client().checkSpam({ ...ordinary, comment_author: 'viagra-test-123' })).toBe(true);
    expect(await client().checkSpam({ ...ordinary, comment_author_email: 'akismet-guaranteed-spam@example.com' })).toBe(true);
    expect(await client().checkSpam({ ...ordinary, comment_author: 'viagra-test-123', user_role: 'administrator' })).toBe(false);
  });

  it('comment-check: wrong site for the key and bad keys are refused', async () => {
    const comment = { user_ip: '203.0.113.7', comment_content: 'Hello there' };
    await expect(client({ blog: 'https://other.example.com' }).checkSpam(comment)).rejects.toThrow(/invalid/i);
    await expect(client({ key: '000000000000' }).checkSpam(comment)).rejects.toThrow(/invalid/i);
  });

  it('comment-check over raw HTTP: guid header, discard for blatant spam, errors for missing parameters', async () => {
    const ham = await raw('comment-check', { api_key: key, blog, user_ip: '203.0.113.9', comment_content: 'A fair point about the tram timetable.' });
    expect(ham.text).toBe('false');
    expect(ham.headers.get('x-akismet-guid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ham.headers.get('x-akismet-pro-tip')).toBeNull();

    // The honeypot field Akismet names with honeypot_field_name, filled in: a bot, blatant.
    const bot = await raw('comment-check', { api_key: key, blog, user_ip: '203.0.113.9', comment_content: 'Nice post', honeypot_field_name: 'hp_website', hp_website: 'http://spam.example' });
    expect(bot.text).toBe('true');
    expect(bot.headers.get('x-akismet-pro-tip')).toBe('discard');

    // A test value is spam, but not blatant.
    const test = await raw('comment-check', { api_key: key, blog, user_ip: '203.0.113.9', comment_author: 'viagra-test-123', comment_content: 'Hi' });
    expect(test.text).toBe('true');
    expect(test.headers.get('x-akismet-pro-tip')).toBeNull();

    const missing = await raw('comment-check', { api_key: key, blog, comment_content: 'No address' });
    expect(missing.text).toBe('Missing required field: user_ip.');
    expect(missing.headers.get('x-akismet-error')).toMatch(/user_ip/);
    expect(missing.headers.get('x-akismet-debug-help')).toMatch(/user_ip/);
    expect(missing.headers.get('x-akismet-guid')).toBeNull();
  });

  it('hostile input: oversized fields are judged on what fits, odd parameter shapes are plain errors', async () => {
    const huge = await raw('comment-check', { api_key: key, blog, user_ip: '203.0.113.10', comment_author: 'viagra-test-123', comment_content: 'x '.repeat(60000) });
    expect(huge.text).toBe('true');
    const arrays = await fetch(`${h.baseUrl}/1.1/comment-check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: key, blog, user_ip: { nested: true }, comment_content: ['a', 'b'] }) });
    expect(await arrays.text()).toBe('Missing required field: user_ip.');
    const noKey = await raw('comment-check', { blog, user_ip: '203.0.113.10' });
    expect(noKey.text).toBe('Missing required field: api_key.');
    expect(noKey.headers.get('x-akismet-error')).toMatch(/api_key/);
  });

  it('submit-spam teaches the model: the same comment then scores higher; the record is corrected', async () => {
    const words = phrase();
    const comment = { user_ip: '198.51.100.23', comment_author: 'Sam Vendor', comment_author_email: `sam@${words.split(' ')[0]}.test`, comment_content: `Great article, have a look at ${words} for more.` };
    const observer = await createSharedClassifier(h.pool, { refreshMs: 0 });
    const input = { body: comment.comment_content, authorName: comment.comment_author, authorEmail: comment.comment_author_email };
    try {
      const before = observer.classifier.classify(input).spamProbability;
      await client().checkSpam(comment);
      const first = await latestScore();

      // With its guid, as the WordPress plugin sends it: the check's record says it was reported.
      const thanks = await raw('submit-spam', { api_key: key, blog, guid: first.guid, ...comment });
      expect(thanks.text).toBe('Thanks for making the web a better place.');
      lessonKeys.push(`akismet:${first.guid}`);
      const record = await h.pool.query('SELECT reported FROM akismet_checks WHERE guid = $1', [first.guid]);
      expect(record.rows[0].reported).toBe('spam');

      // And through the client (no guid): a second, content-keyed lesson.
      await client().submitSpam(comment);
      const rows = await h.pool.query<{ key: string }>(`SELECT key FROM ${spamModelStore.tables.lessons} WHERE key LIKE $1`, [`akismet:${keyId}:%`]);
      lessonKeys.push(...rows.rows.map((r) => r.key));
      expect(rows.rows.length).toBeGreaterThan(0);

      await observer.refresh();
      expect(observer.classifier.classify(input).spamProbability).toBeGreaterThan(before);
      await client().checkSpam(comment);
      const second = await latestScore();
      expect(second.guid).not.toBe(first.guid);
      expect(second.score).toBeGreaterThan(first.score);
    } finally {
      observer.close();
    }
  });

  it('submit-ham with is_test teaches nothing; without it, it replaces the spam lesson', async () => {
    const words = phrase();
    const comment = { user_ip: '198.51.100.24', comment_author: 'Kim', comment_content: `Thoughts on ${words} and the harbour.` };
    const countLessons = async () => Number((await h.pool.query(`SELECT count(*) FROM ${spamModelStore.tables.lessons} WHERE key LIKE 'akismet:%'`)).rows[0].count);
    const before = await countLessons();
    await client().submitSpam({ ...comment, is_test: true });
    await client().submitHam({ ...comment, is_test: '1' });
    expect(await countLessons()).toBe(before);

    const check = await raw('comment-check', { api_key: key, blog, ...comment });
    const guid = check.headers.get('x-akismet-guid')!;
    lessonKeys.push(`akismet:${guid}`);
    await raw('submit-spam', { api_key: key, blog, guid, ...comment });
    const label = async () => (await h.pool.query(`SELECT label FROM ${spamModelStore.tables.lessons} WHERE key = $1`, [`akismet:${guid}`])).rows[0]?.label;
    expect(await label()).toBe('spam');
    const ham = await raw('submit-ham', { api_key: key, blog, guid, ...comment });
    expect(ham.text).toBe('Thanks for making the web a better place.');
    expect(await label()).toBe('ham');
    expect((await h.pool.query('SELECT reported FROM akismet_checks WHERE guid = $1', [guid])).rows[0].reported).toBe('ham');
  });

  it('a revoked key is invalid at once', async () => {
    const { api } = await signedInClient(h, 'admin');
    const made = await api.post('/api/moderation/akismet-keys', { blog: 'https://revoke.example.org' });
    const c = client({ key: made.body.key, blog: 'https://revoke.example.org' });
    expect(await c.verifyKey()).toBe(true);
    expect((await api.del(`/api/moderation/akismet-keys/${made.body.id}`)).status).toBe(200);
    expect(await c.verifyKey()).toBe(false);
    const listed = await api.get('/api/moderation/akismet-keys');
    expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
    // Moderators cannot manage keys.
    const { api: mod } = await signedInClient(h, 'moderator');
    expect((await mod.post('/api/moderation/akismet-keys', { blog })).status).toBe(403);
    expect((await api.post('/api/moderation/akismet-keys', { blog: 'ftp://x' })).status).toBe(422);
  });
});
