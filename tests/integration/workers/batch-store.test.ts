import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '../../../src/db/pool';
import { createLogger } from '../../../src/logger';
import { fingerprintBody } from '../../../src/moderation/fingerprint';
import type { CommentInput, Decision } from '../../../src/moderation/types';
import type { DecidedComment } from '../../../src/db/comment-repository';
import { createBatchStore } from '../../../workers/batch-store';

const decision: Decision = { status: 'approved', score: 0, verdicts: [{ check: 'required_fields', verdict: 'pass', score: 0, reasons: [], mode: 'enforce' }] };

function decided(articleId: string, over: Partial<CommentInput> = {}, ip: string | null = '203.0.113.9'): DecidedComment {
  const comment: CommentInput = { id: randomUUID(), articleId, parentId: null, authorName: 'Ada Reader', authorEmail: `${randomUUID()}@example.org`, authorUrl: null, body: `A remark ${randomUUID()}`, ...over };
  return { comment, request: { ip, userAgent: 'test', referrer: null, receivedAt: new Date().toISOString() }, decision, fingerprint: fingerprintBody(comment.body), eventReasons: [] };
}

describe('createBatchStore', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(process.env.TEST_DATABASE_URL!, 3, createLogger('silent'));
  });
  afterAll(async () => {
    await pool.end();
  });

  const counts = async (articleId: string) =>
    (
      await pool.query<{ id: string; events: number }>(
        `SELECT c.id, (SELECT count(*)::int FROM moderation_events e WHERE e.comment_id = c.id AND e.from_status IS NULL) AS events
         FROM comments c WHERE c.article_id = $1`,
        [articleId],
      )
    ).rows;

  it('stores a batch with one first event per comment, and stores nothing when the same jobs run again', async () => {
    const store = createBatchStore(pool, createLogger('silent'));
    const articleId = `batch-${randomUUID()}`;
    const items = Array.from({ length: 5 }, () => decided(articleId));

    const first = await Promise.all(items.map(store));
    const again = await Promise.all(items.map(store));

    expect(first).toEqual([true, true, true, true, true]);
    expect(again).toEqual([false, false, false, false, false]);
    const rows = await counts(articleId);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.events === 1)).toBe(true);
  });

  it('stores a comment that appears twice in one batch once', async () => {
    const store = createBatchStore(pool, createLogger('silent'));
    const articleId = `batch-${randomUUID()}`;
    const item = decided(articleId);

    const answers = await Promise.all([store(item), store({ ...item })]);

    expect(answers.sort()).toEqual([false, true]);
    expect(await counts(articleId)).toEqual([{ id: item.comment.id, events: 1 }]);
  });

  it('fails only the comment Postgres refuses; the rest of its batch is stored', async () => {
    const store = createBatchStore(pool, createLogger('silent'));
    const articleId = `batch-${randomUUID()}`;
    const good = [decided(articleId), decided(articleId)];
    const bad = decided(articleId, {}, 'not-an-address');

    const results = await Promise.allSettled([store(good[0]), store(bad), store(good[1])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await counts(articleId)).map((r) => r.id).sort()).toEqual(good.map((g) => g.comment.id).sort());
  });
});
