import fc from 'fast-check';
import { anyText, anyValue, badAnswer, encodeLoosely, headerText, isHonestRefusal, nested, send, withPoisonedKeys, type FuzzRequest } from '../../helpers/fuzz';
import { sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { wellFormed } from '../../../src/moderation/well-formed';

// A deadline against a hang, not a speed requirement: with every core busy (npm run test:soak) the
// readers' fuzz took 126 s and the moderators' 77 s on this 2-core machine.
jest.setTimeout(600000); // 10,000 requests; minutes on a 2-core machine other work shares

/** Requests per property run, sent in parallel; runs × this = the requests generated. */
const BATCH = 20;
const RUNS = 500;

const FIELDS = ['articleId', 'parentId', 'authorName', 'authorEmail', 'authorUrl', 'body', 'honeypot', 'formToken'];
const FORM_FIELDS = ['comment', 'author', 'email', 'url', 'comment_post_ID', 'comment_parent', 'redirect_to', 'hp_url', 'form_token', ...FIELDS];
const POISON_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A comment-shaped object: any subset of the fields, each of any type, plus junk keys. */
const commentLike = fc
  .tuple(
    fc.record(Object.fromEntries(FIELDS.map((f) => [f, anyValue])), { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom(...POISON_KEYS), fc.oneof(anyValue, fc.record({ authorName: anyText, body: anyText }))),
    fc.dictionary(anyText, anyValue, { maxKeys: 3 }),
  )
  .map(([fields, poison, junk]) => withPoisonedKeys({ ...junk, ...fields }, poison));

/** Nearly valid: a good comment with one field swapped for anything. */
const nearlyValid = fc.tuple(fc.constantFrom(...FIELDS, 'none'), anyValue).map(([field, value]) => {
  const c: Record<string, unknown> = sampleComment('fuzz-article');
  if (field !== 'none') c[field] = value;
  return JSON.stringify(c);
});

/** Bytes that are not valid UTF-8 (stray continuation bytes, overlong forms, CESU surrogates), inside a JSON string. */
const invalidUtf8 = fc
  .tuple(fc.constantFrom('authorName', 'body', 'articleId', 'authorEmail'), fc.array(fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]), { minLength: 1, maxLength: 4 }))
  .map(([field, chunks]) => {
    const c: Record<string, unknown> = sampleComment('fuzz-article');
    const [before, after] = JSON.stringify({ ...c, [field]: '\u0001' }).split('\\u0001');
    return Buffer.concat([Buffer.from(before), Buffer.from(chunks.flat()), Buffer.from(after)]);
  });

const deep = fc.tuple(fc.integer({ min: 50, max: 60000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.boolean()).map(([depth, kind, asBody]) =>
  asBody ? `{"articleId":"a","authorName":"n","authorEmail":"a@example.org","body":${nested(depth, '"x"', kind)}}` : nested(depth, '1', kind),
);

/** Form bodies: WordPress's names, ours, repeated fields, bracket names, poisoned names, broken escapes. */
const formBody = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...FORM_FIELDS, ...POISON_KEYS, 'author[]', 'email[0]', 'comment[a][b]', '__proto__[author]'), anyText),
      fc.oneof(anyText, fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%00', '%C0%AF', '%ED%A0%80', '+', '&&')),
      fc.boolean(),
    ),
    { maxLength: 12 },
  )
  .map((pairs) => pairs.map(([k, v, raw]) => (raw ? `${encodeLoosely(k)}=${v}` : `${encodeLoosely(k)}=${encodeLoosely(v)}`)).join('&'));

const validForm = fc.constantFrom('author=a&author=b', 'author[]=x', '').map((extra) => {
  const c = sampleComment('fuzz-article');
  return `comment=${encodeURIComponent(c.body)}&author=Ada&email=${encodeURIComponent(c.authorEmail)}&comment_post_ID=fuzz-article&${extra}`;
});

const body = fc.oneof(
  { weight: 4, arbitrary: commentLike.map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: nearlyValid.map((s) => Buffer.from(s)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 2, arbitrary: invalidUtf8 },
  { weight: 1, arbitrary: deep.map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: formBody.map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: validForm.map((s) => Buffer.from(s)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.integer({ min: 290000, max: 330000 }).map((n) => Buffer.from(`{"body":"${'x'.repeat(n)}"}`)) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

/** Mostly the two accepted types (so the parsers and the shape check get the hostile bodies), then anything. */
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json;;;',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
      'application/x-www-form-urlencoded; charset=utf-7',
      'text/plain',
      'text/html',
      'multipart/form-data; boundary=----x',
      'application/xml',
      'application/merge-patch+json',
      '*/*',
      'garbage',
      '',
    ),
  },
);

/** `arb` one time in ten, else undefined. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const request: fc.Arbitrary<FuzzRequest> = fc
  .record({
    body,
    contentType,
    accept: fc.option(fc.constantFrom('text/html', 'application/json', '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8', 'image/png'), { nil: undefined }),
    encoding: rarely(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-unknown')),
    idempotencyKey: rarely(fc.oneof(headerText, fc.uuid())),
    origin: rarely(fc.constantFrom('https://evil.example', 'null')),
    query: rarely(fc.constantFrom('?__proto__[x]=1', '?constructor=1', '?a=%00', '?body=x&body=y')),
  })
  .map((r) => {
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.accept) headers.accept = r.accept;
    if (r.encoding) headers['content-encoding'] = r.encoding;
    if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
    if (r.origin) headers.origin = r.origin;
    return { method: 'POST', path: `/api/comments${r.query ?? ''}`, body: r.body, headers };
  });

/** The comment id a successful submission announces (202 JSON, or a 303 back to the article). */
function acceptedId(status: number, text: string, location: string | null): string | null {
  if (status === 202) return (JSON.parse(text) as { id: string }).id;
  if (status === 303) return /[?&]unapproved=([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? null;
  return null;
}

describe('POST /api/comments with hostile input (property-based)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false }); // no worker: every accepted comment stays countable in the queue
  });
  afterAll(async () => {
    await h.close();
  });

  it(`answers ${RUNS * BATCH} generated requests with 2xx/3xx or a 4xx error, never 5xx, and enqueues only what it accepted`, async () => {
    const queue = h.api.producer.queue;
    const before = await queue.count();
    const accepted = new Set<string>();
    const statuses: Record<number, number> = {};
    let sent = 0;
    const t0 = Date.now();

    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map((req) => send(h.baseUrl, req)));
        sent += batch.length;
        for (const [i, res] of answers.entries()) {
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (isHonestRefusal(res)) continue;
          const problem = badAnswer(batch[i], res, { htmlAllowed: true });
          if (problem) throw new Error(problem);
          if (res.status < 400) {
            const id = acceptedId(res.status, res.text, res.location);
            if (!id) throw new Error(`success without a comment id: ${res.status} ${res.text.slice(0, 200)}`);
            accepted.add(id);
          }
        }
      }),
      { numRuns: RUNS },
    );

    const enqueued = (await queue.count()) - before;
    process.stdout.write(`[fuzz] POST /api/comments: ${sent} requests in ${((Date.now() - t0) / 1000).toFixed(1)}s, statuses ${JSON.stringify(statuses)}, accepted ${accepted.size}, enqueued ${enqueued}\n`);
    expect(sent).toBeGreaterThanOrEqual(10000);
    expect(enqueued).toBe(accepted.size);
    // What was accepted can be stored: no NUL, no lone surrogate in any text (Postgres refuses both).
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1);
    const unstorable = jobs.filter((j) => accepted.has(String(j.id)) && Object.values(j.data.comment).some((v) => typeof v === 'string' && (v.includes('\u0000') || wellFormed(v) !== v)));
    expect(unstorable.map((j) => j.data.comment)).toEqual([]);
    // Still alive and well.
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
