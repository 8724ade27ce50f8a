import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { seedThreadedArticle } from '../lib/bench-db';
import type { BenchContext } from '../lib/context';
import { load } from '../lib/load';

export interface ListingResult {
  reqPerSec: number;
  p99Ms: number;
  notModifiedReqPerSec: number;
  notModifiedP99Ms: number;
}

/** GET an article's listing (200 approved comments in threads, limit 200): full answers, then revalidations (304). */
export async function listing(ctx: BenchContext, baseUrl: string, opts: { seconds: number }): Promise<ListingResult> {
  const articleId = `listing-${Date.now().toString(36)}`;
  const pool = createPool(ctx.databaseUrl, 1, createLogger('silent'));
  try {
    await seedThreadedArticle(pool, articleId, 200);
  } finally {
    await pool.end();
  }
  const url = `${baseUrl}/api/articles/${articleId}/comments?limit=200`;
  const first = await fetch(url);
  const page = (await first.json()) as { total: number };
  if (page.total !== 200) throw new Error(`listing shows ${page.total} comments, expected 200`);
  const etag = first.headers.get('etag');
  if (!etag) throw new Error('listing answered without an ETag');

  await load({ url, seconds: 1 });
  const full = await load({ url, seconds: opts.seconds, expect: 200 });
  const revalidated = await load({ url, seconds: opts.seconds, expect: 304, headers: { 'if-none-match': etag } });
  return { reqPerSec: full.reqPerSec, p99Ms: full.p99Ms, notModifiedReqPerSec: revalidated.reqPerSec, notModifiedP99Ms: revalidated.p99Ms };
}
