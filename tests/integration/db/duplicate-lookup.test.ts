import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { insertDecidedComments } from '../../../src/db/comment-repository';
import { findDuplicates } from '../../../src/db/history-repository';
import { commentFingerprint } from '../../../src/moderation/fingerprint';
import type { CommentInput } from '../../../src/moderation/types';
import { tableCopies } from '../../helpers/table-copies';

/**
 * The duplicate look-up finds both kinds of earlier comment — with a body hash, and stored before
 * fingerprints existed (NULL hash) — and reads only index entries of the same hash (or of none), not
 * the article. Written as one condition with OR, the planner of the bench's drain (20,000 comments on
 * one article, not yet analyzed) chose a BitmapAnd over (article_id, status) and the email index and
 * read every comment of the article per look-up: 137 million index entries in one drain, measured
 * with pg_stat_user_indexes. This test's table did not lead the planner there with the old query
 * (it read 52 entries either way); it keeps both branches finding their rows, and the reads bounded,
 * counted in index entries read (pg_stat), not in time. A schema of its own, autovacuum off.
 */
describe('duplicate look-up with statistics behind the table', () => {
  let copies: Awaited<ReturnType<typeof tableCopies>>;
  let pool: Pool;
  let schema: string;
  const article = `dup-${randomUUID()}`;

  beforeAll(async () => {
    copies = await tableCopies('dup', ['comments', 'moderation_events', 'comment_origins']);
    ({ pool, schema } = copies);
  });
  afterAll(async () => {
    await copies?.drop();
  });

  const comment = (i: number, body = `comment ${i} about the council budget and schools ${randomUUID()}`): CommentInput => ({
    id: randomUUID(),
    articleId: article,
    parentId: null,
    authorName: `Reader ${i}`,
    authorEmail: `reader-${i}@example.org`,
    authorUrl: null,
    body,
  });
  /** Every check's result, as the worker stores them (about 1.7 kB a row): rows as wide as real ones, as the planner sees them. */
  const VERDICTS = Array.from({ length: 20 }, (_, k) => ({ check: `check_${k}`, verdict: 'pass' as const, score: 0, mode: 'enforce' as const, reasons: [{ code: `code_${k}`, message: `The check number ${k} found nothing to say about this comment.` }] }));
  const store = (items: CommentInput[]) =>
    insertDecidedComments(
      pool,
      items.map((c) => ({
        comment: c,
        request: { ip: null, userAgent: null, referrer: null, receivedAt: new Date().toISOString() },
        decision: { status: 'approved' as const, score: 0, verdicts: VERDICTS },
        fingerprint: commentFingerprint(c),
        eventReasons: [],
      })),
    );
  /** Index tuples read on this schema's comments (this backend's counters, flushed first). */
  const tuplesRead = async () => {
    await pool.query('SELECT pg_stat_force_next_flush()');
    await pool.query('SELECT 1');
    const { rows } = await pool.query<{ n: string }>(
      `SELECT coalesce(sum(idx_tup_read), 0) AS n FROM pg_stat_user_indexes WHERE schemaname = $1 AND relname = 'comments'`,
      [schema],
    );
    return Number(rows[0].n);
  };

  it('finds hashed and legacy (unhashed) duplicates, reading a few index entries per look-up', async () => {
    // Arrange: 20,000 comments on one article, never analyzed (the bench's drain of 20,000 ended before
    // autovacuum's first visit), then a hashed original and a legacy one (no fingerprint).
    for (let start = 0; start < 20_000; start += 1000) await store(Array.from({ length: 1000 }, (_, i) => comment(start + i)));
    const original = comment(1, 'The bridge repairs should come before the new stadium.');
    await store([original]);
    const legacy = comment(2, 'Library opening hours matter more than the parking plan.');
    await store([legacy]);
    await pool.query('UPDATE comments SET body_hash = NULL, body_minhash = NULL, body_lsh = NULL WHERE id = $1', [legacy.id]);
    const again = (c: CommentInput) => ({ ...c, id: randomUUID() });
    const batch = [again(original), again(legacy), ...Array.from({ length: 48 }, (_, i) => comment(10_000 + i))];
    const before = await tuplesRead();

    // Act
    const found = await findDuplicates(pool, batch, batch.map((c) => commentFingerprint(c).hash));

    // Assert: both duplicates found, nothing else, and the 50 look-ups read a handful of entries each, not the article.
    expect(found[0]).toBe(original.id);
    expect(found[1]).toBe(legacy.id);
    expect(found.slice(2).every((id) => id === null)).toBe(true);
    expect((await tuplesRead()) - before).toBeLessThan(50 * 10);
  });
});
