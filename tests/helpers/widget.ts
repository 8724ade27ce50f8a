import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createPool } from '../../src/db/pool';
import { eventually, startHarness, type Harness } from './harness';
import { silentLog } from './env';

/** A port that was free a moment ago: the demo page's redirects need PUBLIC_URL's real port up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Flood control off in the shared settings (the brief's way: the API-side guard reads them), so one
 * browser may post many comments in a row.
 */
export async function allowRapidPosting(): Promise<void> {
  const pool = createPool(process.env.TEST_DATABASE_URL!, 1, silentLog);
  try {
    await pool.query(
      `INSERT INTO settings (key, value) VALUES ('floodSeconds', '0'::jsonb), ('hourlyLimitPerIp', '0'::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    );
  } finally {
    await pool.end();
  }
}

/**
 * The service on a known port (PUBLIC_URL = where the browser reaches it), with a worker that holds
 * every comment for a moderator, so each test decides when a comment is approved.
 */
export async function startWidgetHarness(opts: { extraOrigins?: string[] } = {}): Promise<Harness> {
  await allowRapidPosting();
  const port = await freePort();
  const own = `http://127.0.0.1:${port}`;
  return startHarness({
    env: { PORT: String(port), PUBLIC_URL: own, ALLOWED_ORIGINS: [own, ...(opts.extraOrigins ?? [])].join(',') },
    workerSettings: { holdAll: true, floodSeconds: 0, hourlyLimitPerIp: 0 },
  });
}

/** Waits until the worker stored the comment, then approves it as a moderator would. */
export async function approve(h: Harness, id: string): Promise<void> {
  await eventually(async () => (await h.pool.query('SELECT 1 FROM comments WHERE id = $1', [id])).rowCount === 1);
  await h.pool.query(`UPDATE comments SET status = 'approved', updated_at = now() WHERE id = $1`, [id]);
}

/** Posts a comment through the API (JSON) and returns its id. */
export async function postComment(h: Harness, comment: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${h.baseUrl}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authorEmail: `reader-${randomUUID()}@example.org`, ...comment }),
  });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export const uniqueArticle = (prefix = 'widget') => `${prefix}-${randomUUID()}`;

/**
 * Pages of some other site that embed the widget from `apiBase()` (asked per request, so the site can
 * start before the service whose allow-list names it). No CSP: nothing but the widget protects them,
 * and a loud stylesheet that must not reach inside the widget.
 */
export async function startHostSite(apiBase: () => string): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const article = url.searchParams.get('article') ?? 'host-article';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<style>p, li, a, textarea, input, button { color: rgb(255, 0, 0) !important; font-size: 40px !important; }</style></head>
<body><h1>Someone else's article</h1><p class="host">Host text.</p>
<div id="comments" data-article-id="${article.replace(/[^\w.:/-]/g, '')}"></div>
<script src="${apiBase()}/embed.js" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Fills the widget's form (inside its shadow root; Playwright's CSS locators pierce it). */
export async function fillForm(page: Page, values: { comment?: string; author?: string; email?: string; url?: string }): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) await page.locator(`#comments [name="${name}"]`).first().fill(value);
  }
}
