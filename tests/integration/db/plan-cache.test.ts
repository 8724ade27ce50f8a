import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { insertDecidedComments } from '../../../src/db/comment-repository';
import { approvedListingVersion } from '../../../src/db/comment-repository';
import { authorHistories, countCampaigns, findDuplicates } from '../../../src/db/history-repository';
import { commentFingerprint, NEAR_DUPLICATE_MATCHES } from '../../../src/moderation/fingerprint';
import type { CommentInput } from '../../../src/moderation/types';
import { tableCopies } from '../../helpers/table-copies';

/**
 * A worker's look-ups must stay fast on a connection that first ran them against an empty table (a
 * new install): a prepared statement's generic plan, made then, would scan the table for the
 * connection's life (measured before the fix: 1.5 s per batch of 50 at 20,000 rows, 6 ms fresh).
 * Runs in a schema of its own, with empty copies of the tables, so the run's shared tables (and
 * the other files' rows in them) play no part.
 */
describe('history look-ups on a connection that began with an empty table', () => {
  // One connection, as a busy worker's pool keeps each of its own for good; autovacuum kept off
  // these tables so that nothing but the statements themselves decides the plans.
  let copies: Awaited<ReturnType<typeof tableCopies>>;
  let pool: Pool;

  beforeAll(async () => {
    copies = await tableCopies('plan', ['comments', 'moderation_events']);
    pool = copies.pool;
  });
  afterAll(async () => {
    await copies?.drop();
  });

  const VOCABULARY = 'budget council schools housing transport library rates parks hospital election river market bridge museum harbour cyclists teachers nurses farmers tenants weather football theatre festival planning trains buses roads clinic pensions water energy recycling police courts students rents wages airport ferry garden orchestra archive'.split(' ');
  /** Bodies no more alike than real comments (near-duplicates would make this a campaign test). */
  const words = (n: number) => Array.from({ length: n }, () => `${VOCABULARY[Math.floor(Math.random() * VOCABULARY.length)]}${Math.floor(Math.random() * 50)}`).join(' ');
  const comments = (n: number, article: string): CommentInput[] =>
    Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      articleId: article,
      parentId: null,
      authorName: `Reader ${i}`,
      authorEmail: `reader-${randomUUID()}@example.org`,
      authorUrl: null,
      body: words(14),
    }));
  const lookUp = async (batch: CommentInput[]) => {
    const fingerprints = batch.map((c) => commentFingerprint(c));
    const started = performance.now();
    await findDuplicates(pool, batch, fingerprints.map((f) => f.hash));
    await countCampaigns(pool, batch.map((c, i) => ({ commentId: c.id, email: c.authorEmail, ip: '203.0.113.9', fingerprint: fingerprints[i], since: new Date(Date.now() - 86_400_000), minMatches: NEAR_DUPLICATE_MATCHES })));
    await authorHistories(pool, batch.map((c) => ({ email: c.authorEmail, ip: '203.0.113.9', url: null, ipSince: new Date(Date.now() - 30 * 86_400_000) })));
    await approvedListingVersion(pool, batch[0].articleId);
    return performance.now() - started;
  };

  it('plans each run, so 20,000 new rows do not make a batch slow', async () => {
    // Arrange: the look-ups run more than five times on the empty table (Postgres's threshold for a generic plan)
    for (let i = 0; i < 8; i += 1) await lookUp(comments(50, 'plan-a'));
    for (let i = 0; i < 400; i += 1) {
      const batch = comments(50, `plan-${i % 20}`);
      await insertDecidedComments(pool, batch.map((comment) => ({
        comment,
        request: { ip: '203.0.113.9', userAgent: null, referrer: null, receivedAt: new Date().toISOString() },
        decision: { status: 'approved' as const, score: 0, verdicts: [] },
        fingerprint: commentFingerprint(comment),
        eventReasons: [],
      })));
    }
    // No ANALYZE: on a new install the rows arrive long before autovacuum's first one, which is
    // what would have replaced a generic plan.

    // Act: the same connection, then the median of a few batches
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) times.push(await lookUp(comments(50, 'plan-3')));

    // Assert: index look-ups take a few ms per batch; a scan of 20,000 rows per comment takes seconds
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(200);
  });
});
