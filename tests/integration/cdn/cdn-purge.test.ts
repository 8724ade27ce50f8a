import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { articleSurrogateKey } from '../../../src/http/readers/cdn-cache';
import { eventually, startHarness, type Harness } from '../../helpers/harness';

interface PurgeCall {
  path: string;
  token: string | undefined;
  body: { surrogate_keys: string[]; tags: string[] };
}

/** CDN_PURGE_URL: a stand-in for a CDN's purge API records every call the API makes. */
describe('CDN purge hook (CDN_PURGE_URL)', () => {
  let h: Harness;
  let cdn: Server;
  const calls: PurgeCall[] = [];

  beforeAll(async () => {
    cdn = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', token: req.headers['x-purge-token'] as string | undefined, body: JSON.parse(raw) });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    const port = (cdn.address() as AddressInfo).port;
    h = await startHarness({ worker: false, env: { CDN_PURGE_URL: `http://127.0.0.1:${port}/purge/{key}`, CDN_PURGE_HEADER: 'X-Purge-Token: s3cret-token' } });
    // The API LISTENs on its own connection, opened at start: changes before that are not heard.
    // Approve on a warm-up article until its purge arrives, so the tests start with it listening.
    const warmup = `purge-warmup-${randomUUID()}`;
    await eventually(async () => {
      await insert(warmup, 'approved');
      return eventually(async () => calls.length > 0, 500, 20).then(() => true, () => false);
    }, 20000, 0);
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => cdn.close(r));
  });

  function insert(articleId: string, status: string) {
    return h.pool.query(
      `INSERT INTO comments (id, article_id, author_name, author_email, body, status, submitted_at) VALUES ($1, $2, 'Ada', 'ada@example.org', 'A remark.', $3, now())`,
      [randomUUID(), articleId, status],
    );
  }
  const purgedFor = (articleId: string) => calls.filter((c) => c.path === `/purge/${articleSurrogateKey(articleId)}`);

  it("purges the article's key when a comment is approved, with the configured header", async () => {
    const articleId = `purge-${randomUUID()}`;
    await insert(articleId, 'approved');
    const [call] = await eventually(async () => purgedFor(articleId).length > 0 && purgedFor(articleId), 10000, 20);
    expect(call.token).toBe('s3cret-token');
    expect(call.body).toEqual({ surrogate_keys: [articleSurrogateKey(articleId)], tags: [articleSurrogateKey(articleId)] });
  });

  it('sends nothing for a change readers cannot see (a held comment)', async () => {
    const held = `purge-held-${randomUUID()}`;
    const shown = `purge-shown-${randomUUID()}`;
    await insert(held, 'pending');
    // The approved comment committed after the held one is the barrier: once its purge arrives,
    // any purge for the held one's article would have arrived too.
    await insert(shown, 'approved');
    await eventually(async () => purgedFor(shown).length > 0, 10000, 20);
    expect(purgedFor(held)).toEqual([]);
  });

  it('purges once more when an approved comment is taken down', async () => {
    const articleId = `purge-down-${randomUUID()}`;
    const id = randomUUID();
    await h.pool.query(
      `INSERT INTO comments (id, article_id, author_name, author_email, body, status, submitted_at) VALUES ($1, $2, 'Ada', 'ada@example.org', 'A remark.', 'approved', now())`,
      [id, articleId],
    );
    await eventually(async () => purgedFor(articleId).length === 1, 10000, 20);
    await h.pool.query(`UPDATE comments SET status = 'trash', updated_at = now() WHERE id = $1`, [id]);
    await eventually(async () => purgedFor(articleId).length === 2, 10000, 20);
  });
});
