import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../helpers/harness';
import { createTestModerator } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel.
jest.setTimeout(90000);

/**
 * Issue 14, finding 5. The waits run on a clock this file moves (no real sleeping); requests come
 * through one trusted proxy hop, so X-Forwarded-For's last entry is the client's address.
 */
describe('moderator sign-in limits', () => {
  let h: Harness;
  let clock = Date.now();

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      extras: () => ({ clock: () => clock }),
      env: {
        TRUST_PROXY: '1',
        LOGIN_ATTEMPTS_PER_ACCOUNT: '3',
        LOGIN_ATTEMPTS_PER_IP: '1000',
        LOGIN_FAILURES_PER_IP_PER_DAY: '10',
        LOGIN_BACKOFF_BASE_SECONDS: '1',
        LOGIN_BACKOFF_MAX_SECONDS: '4',
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  let lastOctet = 0;
  /** A fresh client address for each scenario, so no two share a counter. */
  const newAddress = () => `198.18.${Math.floor(Math.random() * 200)}.${(lastOctet += 1)}`;
  const login = async (email: string, password: string, ip: string) => {
    const res = await fetch(`${h.baseUrl}/api/moderation/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };
  const wrong = 'a wrong guess';

  /** An account whose address has an "i" to play U+0130 against: admin-xxxxxxxx@example.org. */
  const adminAccount = () => createTestModerator(h.pool, 'admin');

  it('does not sign in ADMİN@… (U+0130) as admin@…: one normalisation for the counter and the look-up', async () => {
    const m = await adminAccount();
    const dotted = m.email.toUpperCase().replace('I', '\u0130');
    expect(dotted).toContain('\u0130');
    expect((await login(dotted, m.password, newAddress())).status).toBe(401);
    // The plain address, in any case, is the account.
    expect((await login(m.email.toUpperCase(), m.password, newAddress())).status).toBe(200);
  });

  it('counts compatibility spellings (full-width letters) under the account they sign in to', async () => {
    const m = await adminAccount();
    const ip = newAddress();
    const fullWidth = m.email.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x61 + 0xff41));
    expect(fullWidth).not.toBe(m.email);
    for (let i = 0; i < 3; i += 1) expect((await login(m.email, wrong, ip)).status).toBe(401);
    // The same account under another spelling waits too: it has no counter of its own.
    expect((await login(fullWidth, m.password, ip)).status).toBe(429);
    clock += 1000;
    expect((await login(fullWidth, m.password, ip)).status).toBe(200);
  });

  it('makes each further failure from one address wait longer (1 s, 2 s, 4 s, capped), answering 429 with Retry-After', async () => {
    const m = await createTestModerator(h.pool);
    const ip = newAddress();
    for (let i = 0; i < 3; i += 1) expect((await login(m.email, wrong, ip)).status).toBe(401);
    const waits: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const blocked = await login(m.email, m.password, ip); // even the right password waits
      expect(blocked.status).toBe(429);
      waits.push(blocked.retryAfter!);
      clock += Number(blocked.retryAfter) * 1000;
      expect((await login(m.email, wrong, ip)).status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '4']);
    // Once the wait is over the right password signs in, and that clears the count.
    clock += 4000;
    expect((await login(m.email, m.password, ip)).status).toBe(200);
    expect((await login(m.email, wrong, ip)).status).toBe(401);
    expect((await login(m.email, wrong, ip)).status).toBe(401);
  });

  it('never locks the owner out at their usual address, however many strangers guess', async () => {
    const m = await createTestModerator(h.pool);
    const home = newAddress();
    expect((await login(m.email, m.password, home)).status).toBe(200);
    // Strangers guess from many addresses, enough to start the account-wide wait (4 × 3 failures).
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await login(m.email, wrong, newAddress())).status);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    // A new address now waits; the owner at home signs in at once.
    expect((await login(m.email, m.password, newAddress())).status).toBe(429);
    expect((await login(m.email, m.password, home)).status).toBe(200);
  });

  it('refuses an address after LOGIN_FAILURES_PER_IP_PER_DAY failures, whatever the accounts', async () => {
    const ip = newAddress();
    for (let i = 0; i < 10; i += 1) expect((await login(`nobody-${randomUUID()}@example.org`, wrong, ip)).status).toBe(401);
    const m = await createTestModerator(h.pool);
    const refused = await login(m.email, m.password, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(3600); // the rest of the day, not minutes
    expect((await login(m.email, m.password, newAddress())).status).toBe(200);
  });
});
