import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envFor, loggedPort, spawnService, type ServiceProcess } from '../helpers/processes';
import { testConfig } from '../helpers/env';

/**
 * Issue 14, finding 2: ~7,800 anonymous GETs with distinct 15,000-character article ids filled the
 * listing caches until the process died (heap out of memory), API and worker with it. Here the real
 * start command runs in a child process with the production heap limit (read from `npm start`),
 * and is hammered over loopback with distinct long ids, then distinct valid ids; it must answer
 * every request, stay up, and keep its resident memory bounded.
 */
const START_SCRIPT = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).scripts.start as string;
const HEAP_FLAG = /--max-old-space-size=\d+/.exec(START_SCRIPT)?.[0];

const LONG_IDS = 9000; // more than the ~7,800 that killed the old process
const LONG_ID_LENGTH = 15000; // the request line stays under Node's 16 KB header limit
const VALID_IDS = 2000;
const CONCURRENCY = 32;
/** Resident memory may grow this much over the warmed-up process (the caches' byte bounds are 24 MB). */
const RSS_GROWTH_LIMIT_MB = 150;

/** Resident set size of a process, in MB (Linux). */
function rssMb(pid: number): number {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // exited between the check and the read
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

/** Sends `count` GETs to `pathFor(i)`, CONCURRENCY at a time; returns each answer's status (0: no answer). */
async function hammer(base: string, count: number, pathFor: (i: number) => string, onProgress: () => void): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      let status = 0;
      try {
        const res = await fetch(base + pathFor(i), { signal: AbortSignal.timeout(30000) });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (i % 250 === 0) onProgress();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return statuses;
}

const randomId = (i: number, length: number) => {
  const head = `h${i.toString(36)}-`;
  let tail = '';
  while (tail.length < length - head.length) tail += Math.random().toString(36).slice(2);
  return head + tail.slice(0, length - head.length);
};

describe('memory hammer against a production-flagged process', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    await service?.exited;
  });

  it(`answers ${LONG_IDS} distinct ${LONG_ID_LENGTH}-character ids and ${VALID_IDS} distinct valid ids, stays up, and keeps RSS bounded`, async () => {
    expect(HEAP_FLAG).toBeDefined();
    const config = testConfig();
    service = await spawnService(envFor(config, { LOG_LEVEL: 'info' }), /api listening/, 60000, [HEAP_FLAG!]);
    const pid = service.child.pid!;
    const base = `http://127.0.0.1:${loggedPort(service)}`;

    // Warm up (JIT, pools, first queries), then take the baseline.
    await hammer(base, 200, (i) => `/api/articles/warm-${i}/comments`, () => undefined);
    const baseline = rssMb(pid);
    let peak = baseline;
    const sample = () => {
      // A process that died (out of memory, as the old one did) has no /proc entry: the assertions
      // below say so.
      if (service!.child.exitCode === null && service!.child.signalCode === null) peak = Math.max(peak, rssMb(pid));
    };

    const long = await hammer(base, LONG_IDS, (i) => `/api/articles/${randomId(i, LONG_ID_LENGTH)}/comments`, sample);
    expect(Object.fromEntries(long)).toEqual({ 422: LONG_IDS });
    const bad = await fetch(`${base}/api/articles/${'x'.repeat(201)}/comments`);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      error: { code: 'validation_failed', message: expect.any(String), fields: [{ field: 'articleId', message: 'The article id is too long.' }], requestId: expect.any(String) },
    });

    const valid = await hammer(base, VALID_IDS, (i) => `/api/articles/${randomId(i, 200)}/comments`, sample);
    expect(Object.fromEntries(valid)).toEqual({ 200: VALID_IDS });
    sample();

    expect(service.child.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(service.output()).not.toMatch(/heap out of memory|Reached heap limit/);
    process.stdout.write(`memory hammer: RSS baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB\n`);
    expect(peak - baseline).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  }, 600000);
});
