import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { anyText, anyValue, badAnswer, encodeLoosely, send, withPoisonedKeys, type FuzzRequest } from '../../helpers/fuzz';
import { startHarness, type Harness } from '../../helpers/harness';
import { createTestModerator, seedComment, signIn } from '../../helpers/moderation';

// A deadline against a hang, not a speed requirement: with every core busy (npm run test:soak) the
// readers' fuzz took 126 s and the moderators' 77 s on this 2-core machine.
jest.setTimeout(300000);

const BATCH = 20;
const RUNS = 150;
const ACTIONS = ['approve', 'unapprove', 'spam', 'not-spam', 'trash', 'restore'];
const STATUSES = ['approved', 'pending', 'spam', 'rejected', 'trash'];

/**
 * The moderator API with a valid admin session and hostile input. Routes that change what other test
 * files share (settings, accounts, erasure) are left out; the rest act only on this file's comments
 * (its own article, emails and IP range), and spam decisions teach no shared model here.
 */
describe('moderator API with hostile input (property-based)', () => {
  let h: Harness;
  let cookie: string;
  const ids: string[] = [];
  const emails: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ worker: false, extras: () => ({ spamFilter: {} }) });
    const admin = await createTestModerator(h.pool, 'admin');
    cookie = await signIn(h, admin.email);
    const articleId = `fuzz-mod-${randomUUID()}`;
    for (let i = 0; i < 40; i++) {
      const c = await seedComment(h.pool, { articleId, status: STATUSES[i % STATUSES.length] as never, ip: `198.51.100.${i}`, authorEmail: `fuzz-${randomUUID()}@example.org` });
      ids.push(c.id);
      emails.push(c.authorEmail);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it(`answers ${RUNS * BATCH} generated requests with 2xx or a 4xx JSON error, never 5xx`, async () => {
    const commentId = fc.oneof(fc.constantFrom(...ids), fc.uuid(), anyText.map(encodeLoosely), fc.constantFrom('%00', '..%2F..', '%E0%A4%A', '%'));
    const status = fc.oneof(fc.constantFrom(...STATUSES), anyValue);
    const note = fc.option(anyValue, { nil: undefined });
    const actionBody = fc.record({ expectedStatus: status, note }, { requiredKeys: [] });
    const bulkBody = fc.record(
      {
        action: fc.oneof(fc.constantFrom(...ACTIONS, 'delete'), anyValue),
        ids: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...ids), fc.uuid(), anyText), { maxLength: 30 }), anyValue),
        authorEmail: fc.oneof(fc.constantFrom(...emails), anyText.filter((s) => !s.includes('@'))),
        authorIp: fc.oneof(fc.integer({ min: 0, max: 255 }).map((n) => `198.51.100.${n}`), anyText.filter((s) => !/^[\d.:a-f]+$/i.test(s))),
        expectedStatus: status,
        note,
      },
      { requiredKeys: [] },
    );
    const ruleTest = fc.record(
      {
        comment: fc.oneof(fc.record({ articleId: anyValue, parentId: anyValue, authorName: anyValue, authorEmail: anyValue, authorUrl: anyValue, body: anyValue }, { requiredKeys: [] }), anyValue),
        request: fc.oneof(fc.record({ ip: anyValue, userAgent: anyValue }, { requiredKeys: [] }), anyValue),
        settings: fc.oneof(fc.dictionary(fc.constantFrom('holdThreshold', 'spamThreshold', 'maxLinks', 'moderationKeys', 'disallowedKeys', 'holdAll', 'floodSeconds', 'checkModes'), anyValue), anyValue),
      },
      { requiredKeys: [] },
    );
    const queueQuery = fc
      .dictionary(fc.constantFrom('status', 'article', 'email', 'ip', 'q', 'since', 'until', 'sort', 'limit', 'cursor', '__proto__', 'constructor'), fc.oneof(anyText, fc.constantFrom('198.51.100.0/24', '::1/200', '2026-13-45', '-1', '1e9')))
      .map((q) => Object.entries(q).map(([k, v]) => `${k}=${encodeLoosely(v)}`).join('&'));

    const route: fc.Arbitrary<{ method: string; path: string; json?: unknown }> = fc.oneof(
      fc.tuple(commentId, fc.constantFrom(...ACTIONS), actionBody).map(([id, a, b]) => ({ method: 'POST', path: `/api/moderation/comments/${id}/${a}`, json: b })),
      fc.tuple(commentId, fc.record({ body: anyValue, expectedStatus: status, note }, { requiredKeys: [] })).map(([id, b]) => ({ method: 'PATCH', path: `/api/moderation/comments/${id}`, json: b })),
      fc.tuple(commentId, actionBody).map(([id, b]) => ({ method: 'DELETE', path: `/api/moderation/comments/${id}`, json: b })),
      fc.tuple(commentId).map(([id]) => ({ method: 'GET', path: `/api/moderation/comments/${id}` })),
      bulkBody.map((b) => ({ method: 'POST', path: '/api/moderation/bulk', json: b })),
      ruleTest.map((b) => ({ method: 'POST', path: '/api/moderation/rule-test', json: b })),
      queueQuery.map((q) => ({ method: 'GET', path: `/api/moderation/comments?${q}` })),
      fc.constant({ method: 'GET', path: '/api/moderation/counts' }),
      anyText.map((e) => ({ method: 'GET', path: `/api/moderation/privacy/export?email=${encodeLoosely(e)}` })),
      fc.record({ name: anyValue }, { requiredKeys: [] }).map((b) => ({ method: 'POST', path: '/api/moderation/tokens', json: b })),
    );

    /** How the body travels: JSON, JSON with poisoned keys, form, raw bytes, or nothing; usually as JSON. */
    const request: fc.Arbitrary<FuzzRequest> = fc
      .tuple(
        route,
        fc.oneof({ weight: 6, arbitrary: fc.constant('json') }, { weight: 1, arbitrary: fc.constantFrom('poisoned', 'form', 'raw', 'none', 'wrong-type') }),
        fc.uint8Array({ maxLength: 500 }),
        fc.oneof({ weight: 9, arbitrary: fc.constant(h.baseUrl) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.example', '') }),
      )
      .map(([r, how, bytes, origin]) => {
        const headers: Record<string, string> = { cookie };
        if (origin) headers.origin = origin;
        if (r.method === 'GET') return { method: r.method, path: r.path, headers };
        const json = JSON.stringify(r.json ?? {}) ?? 'null';
        const bodies: Record<string, [string | undefined, Buffer | undefined]> = {
          json: ['application/json', Buffer.from(json)],
          poisoned: ['application/json', Buffer.from(withPoisonedKeys((r.json as Record<string, unknown>) ?? {}, { __proto__: { body: 'x', action: 'approve' }, constructor: { prototype: 1 } }))],
          form: ['application/x-www-form-urlencoded', Buffer.from(Object.entries((r.json as Record<string, unknown>) ?? {}).map(([k, v]) => `${encodeLoosely(k)}=${encodeLoosely(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`).join('&'))],
          raw: ['application/json', Buffer.from(bytes)],
          none: [undefined, undefined],
          'wrong-type': ['text/plain', Buffer.from(json)],
        };
        const [type, body] = bodies[how];
        if (type) headers['content-type'] = type;
        return { method: r.method, path: r.path, headers, body };
      });

    // Lessons are keyed by the decision (`review:<comment id>`). Other files share this database and
    // teach the shared model while this one runs (two Jest workers), so count this file's lessons only.
    const lessonsOnSeeded = async () =>
      Number((await h.pool.query('SELECT count(*) FROM spam_model_lessons WHERE key = ANY($1::text[])', [ids.map((id) => `review:${id}`)])).rows[0].count);
    const lessonsBefore = await lessonsOnSeeded();
    const statuses: Record<number, number> = {};
    let sent = 0;
    const t0 = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map((req) => send(h.baseUrl, req)));
        sent += batch.length;
        for (const [i, res] of answers.entries()) {
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const problem = badAnswer(batch[i], res, { htmlAllowed: false });
          if (problem) throw new Error(problem);
          if (res.status < 400 && res.status !== 204 && !res.contentType.startsWith('application/json')) throw new Error(`not JSON: ${batch[i].method} ${batch[i].path} → ${res.status} ${res.contentType}`);
        }
      }),
      { numRuns: RUNS },
    );
    process.stdout.write(`[fuzz] moderator API: ${sent} requests in ${((Date.now() - t0) / 1000).toFixed(1)}s, statuses ${JSON.stringify(statuses)}\n`);
    expect(sent).toBe(RUNS * BATCH);
    expect(await lessonsOnSeeded()).toBe(lessonsBefore); // the fuzz taught the shared spam model nothing
    // The session still works, and the seeded comments are all still there or deliberately deleted.
    expect((await fetch(`${h.baseUrl}/api/moderation/me`, { headers: { cookie } })).status).toBe(200);
  });
});
