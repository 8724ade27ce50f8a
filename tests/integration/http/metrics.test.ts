import { randomUUID } from 'node:crypto';
import { createMetrics } from '../../../src/metrics';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** One sample's value from Prometheus text, e.g. value(text, 'comments_decided_total', { status: 'approved' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    // API and worker in one process sharing one registry, as ROLE=all runs them.
    h = await startHarness({ env: { METRICS_TOKEN: TOKEN }, metrics: createMetrics({ role: 'all' }) });
  });
  afterAll(async () => {
    await h.close();
  });

  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(`${h.baseUrl}/metrics`, { headers });

  it('answers 401 without the token, or with a wrong one, when METRICS_TOKEN is configured', async () => {
    const missing = await scrape({});
    const wrong = await scrape({ authorization: 'Bearer not-the-metrics-token-at-all' });

    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await missing.json()).error.code).toBe('unauthorized');
    expect(wrong.status).toBe(401);
  });

  it('counts a submitted comment as received and decided, with the request in the latency histogram', async () => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(`art-${randomUUID()}`)) });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const status = await eventually(async () => (await h.pool.query<{ status: string }>('SELECT status FROM comments WHERE id = $1', [id])).rows[0]?.status);

    const answer = await scrape();
    const text = await answer.text();

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    expect(value(text, 'comments_received_total')).toBe(1);
    expect(value(text, 'comments_decided_total', { status })).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/comments', status: '202' })).toBe(1);
    expect(value(text, 'moderation_job_duration_seconds_count')).toBe(1);
    expect(value(text, 'comment_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(value(text, 'comment_queue_jobs', { state: 'failed' })).toBe(0);
    expect(value(text, 'review_oldest_pending_age_seconds')).toEqual(expect.any(Number));
  });

  it('counts moderator decisions, and not-spam after spam as a false positive', async () => {
    const { api } = await signedInClient(h);
    const spam = await seedComment(h.pool, { status: 'spam' });

    expect((await api.post(`/api/moderation/comments/${spam.id}/not-spam`, { expectedStatus: 'spam' })).status).toBe(200);
    const text = await (await scrape()).text();

    expect(value(text, 'moderator_decisions_total', { from: 'spam', to: 'approved' })).toBe(1);
    expect(value(text, 'moderator_reversals_total', { kind: 'false_positive' })).toBe(1);
    expect(value(text, 'moderator_reversals_total', { kind: 'false_negative' })).toBe(0);
  });

  it('reports the age of the oldest comment awaiting review', async () => {
    await seedComment(h.pool, { status: 'pending', submittedAt: new Date(Date.now() - 3600_000) });

    const text = await (await scrape()).text();

    expect(value(text, 'review_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(3600);
  });
});
