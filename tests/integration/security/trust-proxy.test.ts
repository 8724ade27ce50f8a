import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { testConfig } from '../../helpers/env';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { createTestModerator } from '../../helpers/moderation';
import { envFor } from '../../helpers/processes';

// Real Postgres, Redis, a worker and a child process on a small machine running files in parallel.
jest.setTimeout(60000);

/**
 * Issue 14, finding 4. These requests come from 127.0.0.1, which plays the one proxy in front of the
 * service: it appends the address it saw to whatever X-Forwarded-For the client sent. With a hop
 * count of 1 only that last entry counts, so the part the client writes cannot change its address.
 */
describe('TRUST_PROXY with a hop count', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      apiSettings: { floodSeconds: 15, hourlyLimitPerIp: 0 },
      env: { TRUST_PROXY: '1', LOGIN_ATTEMPTS_PER_IP: '4', LOGIN_ATTEMPTS_PER_ACCOUNT: '50' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  /** What the proxy forwards: the client's own (forged) header, then the address the proxy saw. */
  const viaProxy = (forged: string, seenByProxy: string) => ({ 'x-forwarded-for': `${forged}, ${seenByProxy}` });
  const forged = (i: number) => `203.0.113.${i + 1}`;

  it('does not let rotating X-Forwarded-For values dodge flood control', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${h.baseUrl}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...viaProxy(forged(i), '198.51.100.61') },
        body: JSON.stringify(sampleComment(`proxy-${randomUUID()}`)),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 429, 429, 429, 429, 429]);
  });

  it('does not let rotating X-Forwarded-For values dodge the per-IP sign-in limit', async () => {
    const m = await createTestModerator(h.pool);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${h.baseUrl}/api/moderation/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...viaProxy(forged(i), '198.51.100.62') },
        body: JSON.stringify({ email: `nobody-${i}-${randomUUID()}@example.org`, password: 'a wrong guess' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    // Another client behind the same proxy is not affected.
    const other = await fetch(`${h.baseUrl}/api/moderation/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...viaProxy(forged(0), '198.51.100.63') },
      body: JSON.stringify({ email: m.email, password: m.password }),
    });
    expect(other.status).toBe(200);
  });

  it('stores the address the trusted proxy saw, not the one the client wrote', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...viaProxy('192.0.2.200', '198.51.100.64') },
      body: JSON.stringify(sampleComment(`proxy-${randomUUID()}`)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const row = await eventually(async () => (await h.pool.query('SELECT host(ip) AS ip FROM comments WHERE id = $1', [id])).rows[0]);
    expect(row.ip).toBe('198.51.100.64');
  });
});

describe('TRUST_PROXY=true', () => {
  it('stops the real start command with a message saying what to set instead', async () => {
    const root = path.resolve(__dirname, '../../..');
    const env = envFor(testConfig(), { TRUST_PROXY: 'true' });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // A service that starts instead of refusing is stopped, never left behind (and the test fails).
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(out).toMatch(/TRUST_PROXY: true would trust any X-Forwarded-For/);
    expect(out).toMatch(/number of proxies in front of this service \(e\.g\. 1/);
  });
});
