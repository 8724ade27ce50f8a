import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '../../../src/db/pool';
import { createLogger } from '../../../src/logger';
import { startWorker, type RunningWorker } from '../../../workers/moderation-worker';
import { eventually, overlaySettings, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { client, createTestModerator, signIn } from '../../helpers/moderation';

// 100 comments through three workers on a small machine running files in parallel.
jest.setTimeout(180000);

/** Reads the review page's event stream in the background, collecting its `review` events. */
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
  return { events, close: () => controller.abort(), ready };
}

const THRESHOLD = 30;
const HOLD_SECONDS = 600;

/**
 * Issue 24, part 4: a surge of comments to one article, decided by several workers (each with its own
 * pool and Redis connections, as separate processes would have), switches the article to pre-moderation
 * exactly once, tells the review page, and ends on time. Every clock is the test's: no sleeping.
 */
describe('surge pre-moderation', () => {
  let h: Harness;
  const workers: RunningWorker[] = [];
  const pools: Pool[] = [];
  let clock = new Date();
  let api: ReturnType<typeof client>;
  let cookie: string;
  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { SETTINGS_REFRESH_MS: '0', WORKER_CONCURRENCY: '5' },
      apiSettings: { floodSeconds: 0, hourlyLimitPerIp: 0 },
      extras: () => ({ now: () => clock }),
    });
    const log = createLogger('silent');
    for (let i = 0; i < 3; i += 1) {
      const pool = createPool(h.config.DATABASE_URL, 4, log);
      pools.push(pool);
      const settings = overlaySettings(pool, h.config, { surgeCount: THRESHOLD, surgeWindowSeconds: 60, surgeFactor: 0, surgeHoldSeconds: HOLD_SECONDS, floodSeconds: 0, hourlyLimitPerIp: 0 });
      workers.push(await startWorker(h.config, log, { pool, settings, now: () => clock }));
    }
    cookie = await signIn(h, (await createTestModerator(h.pool)).email);
    api = client(h, cookie);
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    for (const p of pools) await p.end();
    await h.close();
  });

  /** Submits; an honest 503 (Redis busy) is retried, as the widget would. */
  const submit = async (comment: Record<string, unknown>): Promise<string> => {
    for (let attempt = 0; ; attempt += 1) {
      const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(comment) });
      if (res.status === 202) return ((await res.json()) as { id: string }).id;
      if (res.status !== 503 || attempt > 20) throw new Error(`submit answered ${res.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const storedOf = async (ids: string[]) =>
    (await h.pool.query('SELECT id, status, reasons FROM comments WHERE id = ANY($1::uuid[])', [ids])).rows as { id: string; status: string; reasons: { reasons: { code: string }[] }[] }[];
  const held = (row: { reasons: { reasons: { code: string }[] }[] }) => row.reasons.some((v) => v.reasons.some((r) => r.code === 'article:premoderate_all'));
  const surgesOf = async (articleId: string) => (await h.pool.query('SELECT * FROM article_surges WHERE article_id = $1', [articleId])).rows;

  it('switches an article to pre-moderation once, tells the review page, and ends on time', async () => {
    const articleId = `surge-${randomUUID()}`;
    await api.put(`/api/moderation/articles/${articleId}`, { title: 'Budget 2026' });
    const stream = openStream(`${h.baseUrl}/api/moderation/events`, cookie);
    await stream.ready;
    const start = clock;

    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch += 1) ids.push(...(await Promise.all(Array.from({ length: 10 }, () => submit(sampleComment(articleId))))));
    const rows = await eventually(async () => {
      const r = await storedOf(ids);
      return r.length === ids.length && r;
    }, 150000, 200);

    // Exactly one surge, however many workers crossed the threshold, recorded with its reason.
    const surges = await surgesOf(articleId);
    expect(surges).toHaveLength(1);
    expect(surges[0].until.getTime()).toBe(start.getTime() + HOLD_SECONDS * 1000);
    expect(surges[0].reason).toMatch(/comments in 1 minute \(the limit is 30\)/);
    const heldRows = rows.filter(held);
    // The first THRESHOLD - 1 comments cannot have been held; once it started, new comments are.
    expect(rows.length - heldRows.length).toBeGreaterThanOrEqual(THRESHOLD - 1);
    expect(heldRows.length).toBeGreaterThanOrEqual(40);
    expect(heldRows.every((r) => r.status === 'pending')).toBe(true);

    // The review page heard of it, once.
    const heard = await eventually(async () => stream.events.filter((e) => e.type === 'surge' && e.articleId === articleId));
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ state: 'started', title: 'Budget 2026', until: surges[0].until.toISOString() });
    stream.close();
    const view = await api.get(`/api/moderation/articles/${articleId}`);
    expect(view.body.article.surge).toEqual({ active: true, until: surges[0].until.toISOString() });

    // A second before the end a comment is still held; once the time has passed it is published again.
    clock = new Date(start.getTime() + HOLD_SECONDS * 1000 - 1000);
    const late = await submit(sampleComment(articleId));
    const lateRow = await eventually(async () => (await storedOf([late]))[0]);
    expect(held(lateRow)).toBe(true);
    clock = new Date(start.getTime() + HOLD_SECONDS * 1000 + 1000);
    const after = await submit(sampleComment(articleId));
    const afterRow = await eventually(async () => (await storedOf([after]))[0]);
    expect(held(afterRow)).toBe(false);
    expect(afterRow.status).toBe('approved');
    expect((await api.get(`/api/moderation/articles/${articleId}`)).body.article.surge.active).toBe(false);
    expect(await surgesOf(articleId)).toHaveLength(1);
  });

  it('lets a moderator end a surge early, and starts no new one for a window', async () => {
    const articleId = `surge-${randomUUID()}`;
    const ids: string[] = [];
    for (let batch = 0; batch < 4; batch += 1) ids.push(...(await Promise.all(Array.from({ length: 10 }, () => submit(sampleComment(articleId))))));
    await eventually(async () => (await storedOf(ids)).length === ids.length, 120000, 200);
    expect(await surgesOf(articleId)).toHaveLength(1);

    const ended = await api.del(`/api/moderation/articles/${articleId}/surge`);
    expect(ended.status).toBe(200);
    expect(ended.body.surge).toMatchObject({ articleId, endedBy: expect.stringMatching(/^moderator:/) });
    expect((await api.del(`/api/moderation/articles/${articleId}/surge`)).status).toBe(404);

    // The wave is still counted, but the moderator said no: published, and no second surge.
    const more = await Promise.all(Array.from({ length: 5 }, () => submit(sampleComment(articleId))));
    const rows = await eventually(async () => {
      const r = await storedOf(more);
      return r.length === more.length && r;
    }, 60000, 200);
    expect(rows.filter(held)).toEqual([]);
    expect(await surgesOf(articleId)).toHaveLength(1);
  });
});
