import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../src/logger';
import { startApi, type RunningApi } from '../../../src/server';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { client, createTestModerator, signIn } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

/** Reads a Server-Sent Events stream in the background, collecting the `review` events' data. */
function openStream(url: string, cookie: string) {
  const controller = new AbortController();
  const events: { type: string; [k: string]: unknown }[] = [];
  const ready = fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal }).then(async (res) => {
    if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (block.includes('event: review') && data) events.push(JSON.parse(data.slice(6)));
          }
        }
      } catch {
        // aborted
      }
    })();
    return res;
  });
  return { events, ready, close: () => controller.abort() };
}

describe('GET /api/moderation/events (live updates over Redis pub/sub)', () => {
  let h: Harness;
  let second: RunningApi;
  let cookie: string;
  beforeAll(async () => {
    h = await startHarness({ workerSettings: { holdAll: true } });
    // A second API process on the same queue: events reach pages whichever process serves them.
    second = await startApi(h.config, createLogger('silent'), { pool: h.pool });
    cookie = await signIn(h, (await createTestModerator(h.pool)).email);
  });
  afterAll(async () => {
    await second.close();
    await h.close();
  });

  it('tells an open page about a comment the worker stored and about another moderator’s decision', async () => {
    const stream = openStream(`http://127.0.0.1:${second.port}/api/moderation/events`, cookie);
    const res = await stream.ready;
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    try {
      const articleId = `art-${randomUUID()}`;
      const posted = await (
        await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(articleId)) })
      ).json();
      const stored = await eventually(async () => stream.events.find((e) => e.type === 'stored' && e.commentId === posted.id), 20000);
      expect(stored).toMatchObject({ articleId, status: 'pending' });
      expect(JSON.stringify(stored)).not.toContain('@');

      const approved = await client(h, cookie).post(`/api/moderation/comments/${posted.id}/approve`, { expectedStatus: 'pending' });
      expect(approved.status).toBe(200);
      const changed = await eventually(async () => stream.events.find((e) => e.type === 'changed'), 20000);
      expect(changed).toMatchObject({ commentIds: [posted.id], to: 'approved', actor: expect.stringMatching(/^moderator:/) });
    } finally {
      stream.close();
    }
  });

  it('refuses the stream without a session', async () => {
    expect((await fetch(`${h.baseUrl}/api/moderation/events`)).status).toBe(401);
  });
});
