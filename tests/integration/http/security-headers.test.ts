import { randomUUID } from 'node:crypto';
import { PAGE_CSP } from '../../../src/http/readers/demo-page';
import { REVIEW_PAGE_CSP } from '../../../src/http/moderators/review-page';
import { startHarness, type Harness } from '../../helpers/harness';
import { createTestModerator, signIn, TEST_PASSWORD } from '../../helpers/moderation';

jest.setTimeout(30000);

describe('security headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { TRUST_PROXY: '1', LOGIN_ATTEMPTS_PER_IP: '3', LOGIN_BACKOFF_BASE_SECONDS: '600' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('sends helmet’s headers with every JSON answer, and a policy that loads nothing', async () => {
    for (const path of ['/healthz', `/api/articles/a-${randomUUID()}/comments`, '/api/moderation/me', '/no-such-endpoint']) {
      const res = await fetch(`${h.baseUrl}${path}`);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('keeps each page’s own policy: the demo article, the review page, and embed.js for other sites', async () => {
    const demo = await fetch(`${h.baseUrl}/`);
    expect(demo.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const review = await fetch(`${h.baseUrl}/moderation`);
    expect(review.headers.get('content-security-policy')).toBe(REVIEW_PAGE_CSP);
    expect(review.headers.get('x-frame-options')).toBe('DENY');
    const embed = await fetch(`${h.baseUrl}/embed.js`);
    expect(embed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(embed.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives the queue dashboard, and only it, the looser policy it needs', async () => {
    const admin = await createTestModerator(h.pool, 'admin');
    const board = await fetch(`${h.baseUrl}/admin/queues`, { headers: { cookie: await signIn(h, admin.email) } });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<!DOCTYPE html>');
    expect(board.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(board.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(board.headers.get('content-security-policy')).not.toContain('googleapis');
  });

  it('limits sign-in attempts per IP address with 429 and Retry-After, whatever the account', async () => {
    const login = (email: string, ip: string) =>
      fetch(`${h.baseUrl}/api/moderation/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email, password: 'not the password' }),
      });
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 3; i++) expect((await login(`someone-${i}-${randomUUID()}@example.org`, ip)).status).toBe(401);
    const blocked = await login(`someone-else-${randomUUID()}@example.org`, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error.code).toBe('rate_limited');
    // Even the right password is refused from that address now; another address signs in.
    const m = await createTestModerator(h.pool);
    const right = (forwardedFor: string) =>
      fetch(`${h.baseUrl}/api/moderation/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: JSON.stringify({ email: m.email, password: TEST_PASSWORD }) });
    expect((await right(ip)).status).toBe(429);
    expect((await right('198.51.100.251')).status).toBe(200);
  });
});
