import { randomUUID } from 'node:crypto';
import { sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { createLogger } from '../../../src/logger';
import { startApi } from '../../../src/server';
import { testConfig } from '../../helpers/env';
import { createPool } from '../../../src/db/pool';

describe('POST /api/comments with bad input', () => {
  let h: Harness;
  // No worker: every job the API enqueues stays in the queue, so "nothing enqueued" can be counted.
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h.close();
  });

  const queued = async () => {
    const counts = await h.api.producer.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };
  const post = (body: string, contentType?: string) =>
    fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });

  it.each([
    ['missing body', { body: '' }, 'body', 'Please enter your comment!'],
    ['missing name', { authorName: '   ' }, 'authorName', 'Please enter your name here'],
    ['bad email', { authorEmail: 'not-an-email' }, 'authorEmail', 'You have entered an incorrect email address!'],
    ['name too long', { authorName: 'x'.repeat(246) }, 'authorName', 'Your name may be at most 245 characters.'],
    ['email too long', { authorEmail: `${'a'.repeat(95)}@example.org` }, 'authorEmail', 'Your email address may be at most 100 characters.'],
    ['url too long', { authorUrl: `https://example.org/${'p'.repeat(200)}` }, 'authorUrl', 'Please enter a valid website address (http or https).'],
    ['body too long', { body: 'b'.repeat(65526) }, 'body', 'Your comment may be at most 65525 characters.'],
    ['missing article', { articleId: undefined }, 'articleId', 'The comment form is missing its article.'],
    ['wrong type', { authorName: 42 }, 'authorName', 'Please enter your name here'],
  ])('answers 422 for %s, naming the field, and enqueues nothing', async (_name, change, field, message) => {
    const before = await queued();
    const res = await post(JSON.stringify({ ...sampleComment(`art-${randomUUID()}`), ...change }), 'application/json');
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields).toEqual(expect.arrayContaining([{ field, message }]));
    expect(await queued()).toBe(before);
  });

  it('lists every bad field at once', async () => {
    const res = await post(JSON.stringify({ articleId: 'a' }), 'application/json');
    const body = await res.json();
    expect(body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['authorEmail', 'authorName', 'body']);
  });

  it('answers 400 for malformed JSON', async () => {
    const before = await queued();
    const res = await post('{"articleId": "a", ', 'application/json');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('malformed_json');
    expect(await queued()).toBe(before);
  });

  it('answers 415 for an unsupported content type', async () => {
    const before = await queued();
    const res = await post(JSON.stringify(sampleComment('a')), 'text/plain');
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('unsupported_media_type');
    const none = await post('', undefined);
    expect(none.status).toBe(415);
    expect(await queued()).toBe(before);
  });

  it('answers 413 for a body over the limit', async () => {
    const before = await queued();
    const res = await post(JSON.stringify({ ...sampleComment('a'), body: 'x'.repeat(400 * 1024) }), 'application/json');
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect(await queued()).toBe(before);
  });

  it('answers 422 for a form post with a repeated field', async () => {
    const res = await post('comment=hi&author=a&author=b&email=a%40example.org&comment_post_ID=x', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields).toEqual([{ field: 'authorName', message: 'Please enter your name here' }]);
  });

  it('answers 400 for an invalid Idempotency-Key', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'short' },
      body: JSON.stringify(sampleComment('a')),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_idempotency_key');
  });

  it('enqueues a valid comment with its id as the job id and the request context', async () => {
    const res = await post(JSON.stringify(sampleComment('ctx-article')), 'application/json');
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const job = await h.api.producer.queue.getJob(id);
    expect(job?.id).toBe(id);
    expect(job?.data.comment).toMatchObject({ id, articleId: 'ctx-article' });
    expect(job?.data.request).toMatchObject({ ip: expect.stringContaining('127.0.0.1'), receivedAt: expect.any(String) });
    expect(job?.opts.attempts).toBe(h.config.JOB_ATTEMPTS);
  });
});

describe('POST /api/comments when Redis is unreachable', () => {
  it('answers 503 with Retry-After at once (not after the enqueue deadline), never 202', async () => {
    // The longest enqueue deadline: an answer sooner than it cannot have waited for it, however
    // slow the machine (a 2 s bound on the answer itself failed only on how busy the machine was).
    const config = testConfig({ REDIS_URL: 'redis://127.0.0.1:1', ENQUEUE_TIMEOUT_MS: '10000' });
    const log = createLogger('silent');
    const pool = createPool(config.DATABASE_URL, 2, log);
    const api = await startApi(config, log, { pool });
    try {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${api.port}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sampleComment('no-redis')),
      });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await res.json()).error.code).toBe('queue_unavailable');
      expect(elapsed).toBeLessThan(config.ENQUEUE_TIMEOUT_MS);

      const ready = await fetch(`http://127.0.0.1:${api.port}/readyz`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks.redis).toMatch(/^down/);
    } finally {
      await api.close();
      await pool.end();
    }
  });
});
