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
