import fc from 'fast-check';
import { anyText, anyValue, nested, send, withPoisonedKeys, type FuzzAnswer, type FuzzRequest } from '../../helpers/fuzz';
import { startHarness, type Harness } from '../../helpers/harness';
import { coralAnalyzeBody, coralSuggestBody, marker, newKeyFromCli } from '../../helpers/perspective';

// A deadline against a hang on a busy machine, not a speed requirement.
jest.setTimeout(300000);

const BATCH = 10;
const RUNS = 150;
const POISON_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const ANALYZE_FIELDS = ['comment', 'requestedAttributes', 'languages', 'doNotStore', 'spanAnnotations', 'clientToken', 'context', 'communityId'];

/** Nearly valid: Coral's request with one field, or one attribute's options, swapped for anything. */
const nearlyValid = fc.tuple(fc.constantFrom(...ANALYZE_FIELDS, 'comment.text', 'attr', 'none'), anyValue).map(([field, value]) => {
  const body: Record<string, unknown> = coralAnalyzeBody('You are an idiot and the council is lazy.');
  if (field === 'comment.text') body.comment = { text: value };
  else if (field === 'attr') body.requestedAttributes = { TOXICITY: value };
  else if (field !== 'none') body[field] = value;
  return JSON.stringify(body);
});

/** Any attribute map: real names, poisoned keys, junk, with any options. */
const attributeMap = fc.dictionary(fc.oneof(fc.constantFrom('TOXICITY', 'PROFANITY_EXPERIMENTAL', 'INSULT', ...POISON_KEYS), anyText), anyValue, { maxKeys: 5 });
const analyzeLike = fc
  .tuple(attributeMap, anyValue, fc.dictionary(fc.constantFrom(...POISON_KEYS), anyValue))
  .map(([attrs, text, poison]) => withPoisonedKeys({ comment: { text }, requestedAttributes: attrs }, poison));
/**
 * Suggested scores, of any value and token. The comment is made of this file's own made-up words, so
 * the lessons that do get taught move only features no other test file uses (they share the database).
 */
const OWN_WORDS = `${marker()} ${marker()} ${marker()}`;
const suggestLike = fc.tuple(fc.oneof(fc.double(), anyValue), anyText).map(([value, token]) => {
  const body = coralSuggestBody(OWN_WORDS, 'c', false) as Record<string, any>;
  body.attributeScores.TOXICITY.summaryScore.value = value;
  body.clientToken = token;
  return JSON.stringify(body);
});

const body = fc.oneof(
  { weight: 4, arbitrary: nearlyValid.map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: analyzeLike.map((s) => Buffer.from(s)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 60000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([d, k]) => Buffer.from(nested(d, '1', k))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.integer({ min: 20000, max: 250000 }).map((n) => Buffer.from(JSON.stringify(coralAnalyzeBody('ab '.repeat(n / 3))))) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

/** Every answer: 200 with scores in 0..1, or Perspective's error shape with code = HTTP status, never a 5xx. */
function badAnswer(req: FuzzRequest, res: FuzzAnswer): string | null {
  const what = () => `${req.path} body=${req.body?.subarray(0, 200).toString('latin1')} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) return `5xx: ${what()}`;
  let parsed: any;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    return `not JSON: ${what()}`;
  }
  if (res.status === 200) {
    if (!req.path.includes('analyze')) return null;
    const scores = Object.values(parsed.attributeScores ?? {}) as { summaryScore: { value: number } }[];
    return scores.every((s) => s.summaryScore.value >= 0 && s.summaryScore.value <= 1) ? null : `score out of range: ${what()}`;
  }
  const e = parsed.error;
  if (e?.code !== res.status || typeof e.message !== 'string' || typeof e.status !== 'string') return `error shape: ${what()}`;
  return null;
}

describe('Perspective API: hostile input', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { PERSPECTIVE_REQUESTS_PER_MINUTE: '100000', PERSPECTIVE_LESSONS_PER_HOUR: '100000' } });
    key = await newKeyFromCli(h.config, 'fuzz');
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`answers ${BATCH * RUNS} generated requests with a score or a Perspective error, never a 5xx`, async () => {
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    const request = fc.record({
      path: fc.constantFrom('/v1alpha1/comments:analyze', '/comments:analyze', '/v1alpha1/comments:suggestscore'),
      body: fc.oneof({ weight: 5, arbitrary: body }, { weight: 2, arbitrary: suggestLike.map((s) => Buffer.from(s)) }),
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', '') }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(
          batch.map(async (r) => {
            const req: FuzzRequest = { method: 'POST', path: `${r.path}?key=${key}`, body: r.body, headers: r.contentType ? { 'content-type': r.contentType } : {} };
            const res = await send(h.baseUrl, req);
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            const bad = badAnswer(req, res);
            if (bad) problems.push(bad);
          }),
        );
      }),
      { numRuns: RUNS },
    );
    expect(problems.slice(0, 5)).toEqual([]);
    // The generators reach both outcomes.
    expect(statuses[200]).toBeGreaterThan(0);
    expect(statuses[400]).toBeGreaterThan(0);
  });
});
