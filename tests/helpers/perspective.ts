import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Redis } from 'ioredis';
import type { Config } from '../../src/config';
import type { Pool } from '../../src/db/pool';
import { envFor } from './processes';

/** Runs `scripts/perspective-key.ts` (what `npm run perspective:key` runs) with `args`; resolves with its output. */
export function perspectiveKeyCli(config: Config, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/perspective-key.ts'), ...args], {
    cwd: root,
    env: envFor(config, { LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A new key from the CLI: the last line it prints. */
export async function newKeyFromCli(config: Config, label = 'test'): Promise<string> {
  const out = await perspectiveKeyCli(config, ['--label', label]);
  if (out.code !== 0) throw new Error(`perspective:key exited ${out.code}: ${out.stderr}`);
  return out.stdout.trim().split('\n').at(-1) ?? '';
}

/** POSTs `body` as JSON to `path` (with `?key=` when given) and returns status, headers and parsed body. */
export async function postPerspective(baseUrl: string, path: string, body: unknown, key?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const url = new URL(path, baseUrl);
  if (key !== undefined) url.searchParams.set('key', key);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text, the assertion shows it */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** The request Coral Talk sends (coralproject/talk server/src/core/server/services/perspective/perspective.ts). */
export function coralAnalyzeBody(text: string, doNotStore = true) {
  return { comment: { text }, doNotStore, requestedAttributes: { TOXICITY: {} }, languages: ['en'] };
}

/** Coral's moderator feedback: value 0 when a moderator approved, 1 when rejected. */
export function coralSuggestBody(text: string, commentId: string, approved: boolean) {
  return {
    comment: { text },
    context: { entries: [{ text: JSON.stringify({ url: `https://news.example.org/story?commentID=${commentId}`, Coral_comment_id: commentId }) }] },
    attributeScores: { TOXICITY: { summaryScore: { value: approved ? 0 : 1 } } },
    languages: ['en'],
    communityId: 'Coral:https://news.example.org',
    clientToken: `comment:${commentId}`,
  };
}

/**
 * Stands in for commentanalyzer.googleapis.com for a client whose URL is fixed to Google's host
 * (perspective-api-client): a TLS server on loopback with a certificate for that name, made now by
 * openssl, passing each connection through to the service under test. The client reaches it through
 * its HTTP library's own proxy variable (https_proxy), and trusts it through the process's global
 * HTTPS agent (its CA), so the client itself is not touched. `close()` undoes both.
 */
export async function googleLookalike(apiPort: number): Promise<{ close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perspective-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=commentanalyzer.googleapis.com', '-addext', 'subjectAltName=DNS:commentanalyzer.googleapis.com',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const key = readFileSync(path.join(dir, 'key.pem'));
    const cert = readFileSync(path.join(dir, 'cert.pem'));
    const sockets = new Set<net.Socket>();
    const server = tls.createServer({ key, cert }, (client) => {
      const upstream = net.connect(apiPort, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const saved = { proxy: process.env.https_proxy, ca: https.globalAgent.options.ca };
    process.env.https_proxy = `http://127.0.0.1:${port}`;
    https.globalAgent.options.ca = cert;
    return {
      async close() {
        if (saved.proxy === undefined) delete process.env.https_proxy;
        else process.env.https_proxy = saved.proxy;
        https.globalAgent.options.ca = saved.ca;
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every base table of the database (all schemas but the catalogs) holding `needle` anywhere in a row. */
export async function postgresTablesContaining(pool: Pool, needle: string): Promise<string[]> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    // The whole row as text: every column, jsonb and arrays included.
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name} AS t WHERE strpos(t::text, $1) > 0`, [needle]);
    if (rows[0].n > 0) found.push(name);
  }
  return found;
}

/** Every Redis key (of any prefix: the whole server) whose name or value holds `needle`. */
export async function redisKeysContaining(redisUrl: string, needle: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  const found: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      if (!keys.length) continue;
      const types = (await redis.pipeline(keys.map((k) => ['type', k])).exec()) ?? [];
      const reads = redis.pipeline();
      keys.forEach((k, i) => {
        const type = types[i]?.[1];
        if (type === 'string') reads.getBuffer(k);
        else if (type === 'hash') reads.hgetall(k);
        else if (type === 'list') reads.lrange(k, 0, -1);
        else if (type === 'set') reads.smembers(k);
        else if (type === 'zset') reads.zrange(k, '0', '-1');
        else if (type === 'stream') reads.xrange(k, '-', '+');
        else reads.exists(k); // gone since the scan
      });
      const values = (await reads.exec()) ?? [];
      keys.forEach((k, i) => {
        const value = values[i]?.[1];
        const text = Buffer.isBuffer(value) ? value.toString('latin1') + value.toString('utf8') : JSON.stringify(value ?? null);
        if (k.includes(needle) || text.includes(needle)) found.push(k);
      });
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found;
}

/** A made-up word no comment, table or key holds: letters only, so the model reads it as one word. */
export const marker = (): string => `zq${randomBytes(8).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`;
