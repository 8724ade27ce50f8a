import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { seedThreadedArticle } from '../lib/bench-db';
import type { BenchContext } from '../lib/context';
import { startNginx } from '../lib/nginx';
import { freePort, sleep } from '../lib/services';

export interface CachedListingResult {
  views: number;
  seconds: number;
  viewsPerSec: number;
  originRequests: number;
  originRequestsPer10k: number;
  /** From the approval's commit until the listing through the cache shows it. */
  approvalVisibleSeconds: number;
}

/**
 * The reader listing behind nginx's proxy_cache (the recipe of docs/cdn.md, bench/lib/nginx.ts):
 * `views` requests for one article (200 approved comments), a held comment approved half-way, then
 * the seconds until the cache shows it. A counting relay between nginx and the API counts what
 * reaches the service.
 */
export async function cachedListing(ctx: BenchContext, apiBaseUrl: string, opts: { views: number }): Promise<CachedListingResult> {
  const articleId = `cached-${Date.now().toString(36)}`;
  const pool = createPool(ctx.databaseUrl, 1, createLogger('silent'));
  const api = new URL(apiBaseUrl);
  let originRequests = 0;
  // Counts listing requests on their way to the API (the API runs as its own process).
  const relay = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/api/articles/')) originRequests += 1;
    const upstream = httpRequest({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const nginx = await startNginx({ port: await freePort(), upstream: `127.0.0.1:${(relay.address() as AddressInfo).port}` });
  try {
    await seedThreadedArticle(pool, articleId, 200);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO comments (id, article_id, author_name, author_email, body, status, submitted_at)
       VALUES (gen_random_uuid(), $1, 'Held Reader', 'held@example.org', 'Held, then approved.', 'pending', now()) RETURNING id`,
      [articleId],
    );
    const held = rows[0].id;
    const url = `${nginx.url}/api/articles/${articleId}/comments?limit=200`;
    let looks = 0;
    const shows = async () => {
      looks += 1;
      const res = await fetch(url);
      const text = await res.text();
      return res.status === 200 && text.includes(held);
    };
    await fetch(url).then((r) => r.arrayBuffer()); // fills the cache

    originRequests = 0;
    let answered = 0;
    let approving: Promise<number> | null = null;
    let visible: Promise<number> | null = null;
    const started = Date.now();
    const run = autocannon({ url, connections: 50, amount: opts.views }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    run.on('response', () => {
      answered += 1;
      if (answered === Math.floor(opts.views / 2)) {
        approving = pool.query(`UPDATE comments SET status = 'approved', updated_at = now() WHERE id = $1`, [held]).then(() => Date.now());
        // From the commit on, one reader keeps looking until the cache shows it (during the load).
        visible = approving.then(async () => {
          const deadline = Date.now() + 30000;
          while (!(await shows())) {
            if (Date.now() > deadline) throw new Error('cached listing: the approval did not show within 30 s');
            await sleep(20);
          }
          return Date.now();
        });
      }
    });
    const result = await run;
    const seconds = (Date.now() - started) / 1000;
    const approvedAt = await (approving ?? Promise.reject(new Error('the approval was never sent')));
    const ok = result.statusCodeStats?.['200']?.count ?? 0;
    if (ok !== opts.views) throw new Error(`cached listing: ${ok} of ${opts.views} views answered 200 (${JSON.stringify(result.statusCodeStats)})`);
    const visibleAt = await (visible ?? Promise.reject(new Error('the approval was never sent')));
    // Counted until the approval showed, not when the load ended: at full speed the 10,000 views can
    // end inside one max-age, and the refresh that brings the approval in is part of the price.
    const origin = originRequests;
    const views = opts.views + looks;
    return {
      views,
      seconds,
      viewsPerSec: opts.views / seconds,
      originRequests: origin,
      originRequestsPer10k: (origin * 10_000) / views,
      approvalVisibleSeconds: (visibleAt - approvedAt) / 1000,
    };
  } finally {
    await nginx.stop();
    await new Promise((resolve) => relay.close(resolve));
    await pool.end();
  }
}
