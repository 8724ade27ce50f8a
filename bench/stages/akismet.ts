import { createPool } from '../../src/db/pool';
import { createAkismetKey } from '../../src/http/akismet/akismet-keys';
import { createLogger } from '../../src/logger';
import { submission } from '../lib/comments';
import type { BenchContext } from '../lib/context';
import { paced } from '../lib/load';

export interface AkismetResult {
  rate: number;
  connections: number;
  checkP50Ms: number;
  checkP99Ms: number;
  checkOk: number;
  checkOther: number;
  verifyP50Ms: number;
  verifyP99Ms: number;
  verifyOk: number;
}

const BLOG = 'https://bench.example.org';

/**
 * POST /1.1/comment-check at an even rate (every check and the model, synchronously, plus the guid's
 * row), beside POST /1.1/verify-key at the same rate on the same server (the key look-up alone).
 * Sent evenly by ../lib/load.ts `paced` (a request every 1/rate s, as a CMS's readers would), not by
 * autocannon's rate, which sends each connection's share at the start of every second in a burst.
 */
export async function akismet(ctx: BenchContext, baseUrl: string, opts: { seconds: number; rate: number; connections: number }): Promise<AkismetResult> {
  const pool = createPool(ctx.databaseUrl, 1, createLogger('silent'));
  let key: string;
  try {
    ({ key } = await createAkismetKey(pool, BLOG, 'bench'));
  } finally {
    await pool.end();
  }
  let n = 0;
  const form = () => {
    n += 1;
    const s = submission(`${BLOG}/story-${n % 50}`);
    return new URLSearchParams({ api_key: key, blog: BLOG, user_ip: `198.51.${(n >> 8) & 255}.${n & 255}`, user_agent: 'Mozilla/5.0 (bench)', comment_type: 'comment', permalink: s.articleId, comment_author: s.authorName, comment_author_email: s.authorEmail, comment_content: s.body }).toString();
  };
  const run = async (path: string, body: () => string, seconds: number) => {
    const r = await paced({ url: `${baseUrl}${path}`, rate: opts.rate, seconds, body, expect: 200, contentType: 'application/x-www-form-urlencoded' });
    return { p50: Math.round(r.p50Ms * 10) / 10, p99: Math.round(r.p99Ms * 10) / 10, ok: r.ok, other: r.other };
  };
  const answer = await fetch(`${baseUrl}/1.1/comment-check`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form() });
  const text = await answer.text();
  if (text !== 'false' && text !== 'true') throw new Error(`comment-check answered ${answer.status} ${text}`);
  await run('/1.1/comment-check', form, 2); // warm-up: JIT, pool connections, the model's first use
  const verify = await run('/1.1/verify-key', () => new URLSearchParams({ key, blog: BLOG }).toString(), opts.seconds);
  const check = await run('/1.1/comment-check', form, opts.seconds);
  return { rate: opts.rate, connections: opts.connections, checkP50Ms: check.p50, checkP99Ms: check.p99, checkOk: check.ok, checkOther: check.other, verifyP50Ms: verify.p50, verifyP99Ms: verify.p99, verifyOk: verify.ok };
}
