import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { submission } from '../lib/comments';
import type { BenchContext } from '../lib/context';
import { load, paced } from '../lib/load';
import { sleep } from '../lib/services';

export interface EndToEndResult {
  /** Comments per second from the first submit to the last decided row, at full speed. */
  commentsPerSec: number;
  acked: number;
  /** Submit → decided row at a steady rate: p50 / p99 (ms), from the API's receivedAt to the row's decided_at. */
  steadyRate: number;
  p50Ms: number;
  p99Ms: number;
  /** The submit's own answer time at the steady rate (client side), p50 / p99 (ms). */
  httpP50Ms: number;
  httpP99Ms: number;
}

async function waitStored(databaseUrl: string, articleId: string, expected: number, timeoutMs: number) {
  const pool = createPool(databaseUrl, 1, createLogger('silent'));
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await pool.query<{ n: number; last: Date | null }>('SELECT count(*)::int AS n, max(decided_at) AS last FROM comments WHERE article_id = $1', [articleId]);
      if (rows[0].n >= expected || Date.now() > deadline) return rows[0];
      await sleep(100);
    }
  } finally {
    await pool.end();
  }
}

/**
 * Submissions through HTTP while worker processes decide and store them: first as fast as the API
 * takes them (then until every acknowledged comment is stored), then at an even rate (./load.ts
 * paced) with the latency from submit to decided row read from the rows themselves.
 */
export async function endToEnd(ctx: BenchContext, baseUrl: string, opts: { seconds: number; steadyRate: number }): Promise<EndToEndResult> {
  const run = Date.now().toString(36);
  const url = `${baseUrl}/api/comments`;

  const burstArticle = `e2e-burst-${run}`;
  const started = Date.now();
  const burst = await load({ url, method: 'POST', seconds: opts.seconds, expect: 202, body: () => submission(burstArticle) });
  const stored = await waitStored(ctx.databaseUrl, burstArticle, burst.ok, 90000);
  const spanMs = Math.max(1, (stored.last?.getTime() ?? Date.now()) - started);

  const steadyArticle = `e2e-steady-${run}`;
  const steady = await paced({ url, rate: opts.steadyRate, seconds: opts.seconds, expect: 202, body: () => submission(steadyArticle) });
  await waitStored(ctx.databaseUrl, steadyArticle, steady.ok, 30000);
  const pool = createPool(ctx.databaseUrl, 1, createLogger('silent'));
  try {
    const { rows } = await pool.query<{ p50: number; p99: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM decided_at - submitted_at) * 1000 AS ms FROM comments WHERE article_id = $1) t`,
      [steadyArticle],
    );
    return { commentsPerSec: (stored.n * 1000) / spanMs, acked: burst.ok, steadyRate: steady.reqPerSec, p50Ms: rows[0].p50, p99Ms: rows[0].p99, httpP50Ms: steady.p50Ms, httpP99Ms: steady.p99Ms };
  } finally {
    await pool.end();
  }
}
