import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { verifyWebhookSignature } from '../../../src/integrations/webhooks/signature';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

jest.setTimeout(90000);

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; event: string; comment: Record<string, unknown> };
}

/** A local webhook receiver: records every request; `failFirst` answers 500 to each delivery's first attempt. */
async function startReceiver(opts: { failFirst?: boolean } = {}) {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['x-webhook-id']);
      if (opts.failFirst && !seen.has(id)) {
        seen.add(id);
        res.statusCode = 500;
        return res.end('try later');
      }
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    forComment: (id: string) => received.filter((r) => r.json.comment.id === id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof signedInClient>>['api'];
  const endpoints: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_BACKOFF_MS: '200', WEBHOOK_ATTEMPTS: '5', SETTINGS_REFRESH_MS: '200' }, workerSettings: { holdAll: true } });
    admin = (await signedInClient(h, 'admin')).api;
  });
  afterAll(async () => {
    for (const id of endpoints) await admin.del(`/api/moderation/webhooks/${id}`);
    await admin.put('/api/moderation/integrations/settings', { webhooksAllowPrivate: false });
    await h.close();
  });

  const register = async (url: string, events: string[], secret?: string) => {
    const res = await admin.post('/api/moderation/webhooks', { url, events, ...(secret ? { secret } : {}) });
    if (res.status === 201) endpoints.push(res.body.id);
    return res;
  };

  describe('with private targets refused (the default)', () => {
    beforeAll(async () => {
      expect((await admin.put('/api/moderation/integrations/settings', { webhooksAllowPrivate: false })).body.settings.webhooksAllowPrivate).toBe(false);
    });

    it('refuses loopback, private, link-local and non-http URLs at registration', async () => {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'ftp://example.org/', 'http://user:pw@example.org/']) {
        const res = await register(url, ['comment.published']);
        expect([url, res.status]).toEqual([url, 422]);
        expect(JSON.stringify(res.body)).toContain('"field":"url"');
      }
      const { api: moderator } = await signedInClient(h, 'moderator');
      expect((await moderator.post('/api/moderation/webhooks', { url: 'https://example.org/', events: ['comment.held'] })).status).toBe(403);
    });

    it('refuses at delivery time too: an endpoint registered while allowed gets nothing once private targets are refused', async () => {
      const receiver = await startReceiver();
      try {
        await admin.put('/api/moderation/integrations/settings', { webhooksAllowPrivate: true });
        const created = await register(receiver.url, ['comment.published']);
        expect(created.status).toBe(201);
        await admin.put('/api/moderation/integrations/settings', { webhooksAllowPrivate: false });
        const c = await seedComment(h.pool, { status: 'pending' });
        expect((await admin.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' })).status).toBe(200);
        const log = await eventually(async () => {
          const res = await admin.get(`/api/moderation/webhooks/${created.body.id}/deliveries`);
          return res.body.deliveries.find((d: { commentId: string; status: string }) => d.commentId === c.id && d.status === 'refused');
        }, 30000);
        expect(log.error).toMatch(/private|loopback/);
        expect(receiver.forComment(c.id)).toHaveLength(0);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('with private targets allowed (the test receiver is on loopback)', () => {
    beforeAll(async () => {
      expect((await admin.put('/api/moderation/integrations/settings', { webhooksAllowPrivate: true })).body.settings.webhooksAllowPrivate).toBe(true);
    });

    it('delivers signed events for moderators’ decisions: published, then unpublished and spam', async () => {
      const receiver = await startReceiver();
      try {
        const secret = `secret-${randomUUID()}`;
        const created = await register(receiver.url, ['comment.published', 'comment.unpublished', 'comment.spam'], secret);
        expect(created.status).toBe(201);
        expect(created.body.secret).toBe(secret);
        const c = await seedComment(h.pool, { status: 'pending', authorEmail: 'private-person@example.org', body: `Webhook body ${randomUUID()}` });
        await admin.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' });
        await admin.post(`/api/moderation/comments/${c.id}/spam`, { expectedStatus: 'approved' });
        const got = await eventually(async () => (receiver.forComment(c.id).length >= 3 ? receiver.forComment(c.id) : null), 30000);
        expect(got.map((r) => r.json.event).sort()).toEqual(['comment.published', 'comment.spam', 'comment.unpublished']);
        for (const r of got) {
          const header = String(r.headers['x-signature']);
          expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
          expect(verifyWebhookSignature(secret, r.body, header, Math.floor(Date.now() / 1000))).toBe(true);
          expect(verifyWebhookSignature('another-secret-value', r.body, header, Math.floor(Date.now() / 1000))).toBe(false);
          expect(r.headers['x-webhook-event']).toBe(r.json.event);
          // Readers' view of the comment only: no e-mail, no IP.
          expect(r.body).not.toContain('private-person@example.org');
          expect(r.json.comment).not.toHaveProperty('authorEmail');
          expect(r.json.comment.body).toBe(c.body);
        }
        const log = await admin.get(`/api/moderation/webhooks/${created.body.id}/deliveries`);
        expect(log.body.deliveries.filter((d: { commentId: string; status: string }) => d.commentId === c.id && d.status === 'delivered')).toHaveLength(3);
        expect(JSON.stringify((await admin.get('/api/moderation/webhooks')).body)).not.toContain(secret);
      } finally {
        await receiver.close();
      }
    });

    it('retries a failing endpoint with backoff until it answers 2xx, and logs the attempts', async () => {
      const receiver = await startReceiver({ failFirst: true });
      try {
        const created = await register(receiver.url, ['comment.published']);
        const c = await seedComment(h.pool, { status: 'pending' });
        await admin.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' });
        const got = await eventually(async () => receiver.forComment(c.id)[0], 30000);
        expect(got.json.event).toBe('comment.published');
        const entry = await eventually(async () => {
          const res = await admin.get(`/api/moderation/webhooks/${created.body.id}/deliveries`);
          return res.body.deliveries.find((d: { commentId: string; status: string }) => d.commentId === c.id && d.status === 'delivered');
        });
        expect(entry.attempts).toBe(2);
        expect(entry.responseCode).toBe(200);
      } finally {
        await receiver.close();
      }
    });

    it('announces the worker’s decisions: a held comment sends comment.held', async () => {
      const receiver = await startReceiver();
      try {
        await register(receiver.url, ['comment.held']);
        // The worker re-reads subscriptions every SETTINGS_REFRESH_MS: submit until one is announced.
        const articleId = `webhook-${randomUUID()}`;
        const got = await eventually(async () => {
          const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(articleId)) });
          if (res.status !== 202) return null;
          const { id } = (await res.json()) as { id: string };
          return eventually(async () => receiver.forComment(id)[0], 5000).catch(() => null);
        }, 40000, 10);
        expect(got.json.event).toBe('comment.held');
        expect(got.json.comment.articleId).toBe(articleId);
        expect(got.json.comment.status).toBe('pending');
      } finally {
        await receiver.close();
      }
    });
  });
});
