import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/** What one load run measured: answers per second of the expected status, latency percentiles (ms). */
export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  other: number;
  errors: number;
  /** Counts per status code, to explain `other`. */
  statuses: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh JSON body per request (autocannon calls it for every request it sends). */
  body?: () => unknown;
  /** A fixed total request rate instead of as fast as the server answers. */
  overallRate?: number;
  /** The status that counts as success. */
  expect?: number;
}

/**
 * Runs autocannon against one URL (loopback only) and reduces its result. autocannon runs in this
 * process, so the servers under test are always other processes (their own event loops).
 */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const makeBody = opts.body;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 100,
    duration: opts.seconds,
    overallRate: opts.overallRate,
    requests: [
      {
        method: opts.method ?? 'GET',
        headers: { ...(makeBody ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        ...(makeBody ? { setupRequest: (req) => ({ ...req, body: JSON.stringify(makeBody()) }) } : {}),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  const expect = String(opts.expect ?? 200);
  const ok = statuses[expect] ?? 0;
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    reqPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    other: answered - ok,
    errors: result.errors,
    statuses,
  };
}

/**
 * Requests at an even pace (`rate` a second, sent every few milliseconds), unlike autocannon's
 * `overallRate`, which sends each second's quota as a burst at the start of the second; a burst of
 * 1,000 comments is a different test from 1,000 a second. Keep-alive connections, at most 100 open.
 */
export async function paced(opts: { url: string; rate: number; seconds: number; body: () => unknown; expect: number; /** Sent as is when set (the body must be a string then); JSON otherwise. */ contentType?: string }): Promise<{ reqPerSec: number; ok: number; other: number; p50Ms: number; p99Ms: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 100 });
  const target = new URL(opts.url);
  const tickMs = 5;
  let sent = 0;
  let ok = 0;
  let other = 0;
  const pending = new Set<Promise<void>>();
  const latencies: number[] = [];
  const send = () => {
    const body = opts.contentType ? String(opts.body()) : JSON.stringify(opts.body());
    const sentAt = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: 'POST', agent, headers: { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - sentAt);
            if (res.statusCode === opts.expect) ok += 1;
            else other += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        other += 1;
        resolve();
      });
      req.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - started >= opts.seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // As many as the time elapsed asks for, so a late tick (a busy machine) catches up.
      const due = Math.floor(((Date.now() - started) * opts.rate) / 1000);
      for (; sent < due; sent += 1) send();
    }, tickMs);
  });
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return { reqPerSec: ok / opts.seconds, ok, other, p50Ms: at(0.5), p99Ms: at(0.99) };
}
