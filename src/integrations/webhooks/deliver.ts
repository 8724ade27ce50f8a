import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { readIntegrationSettings } from '../../db/integration-settings-repository';
import type { Pool } from '../../db/pool';
import { findWebhookTarget, recordWebhookAttempt, type DeliveryStatus } from '../../db/webhook-repository';
import type { Logger } from '../../logger';
import type { WebhookQueueJob } from '../../queue/integration-queues';
import { UnrecoverableError } from '../../queue/moderation-queue';
import { signWebhook } from './signature';
import { parseWebhookUrl, RefusedTargetError, resolveTarget } from './target-guard';

export interface WebhookDeliveryDeps {
  pool: Pool;
  log: Logger;
  /** How long one attempt may take, connection to last byte (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Most of a response body read (and thrown away): the status code is the answer. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Delivers one webhook: checks the endpoint's address again now (DNS may have changed since it was
 * registered), posts to the address it checked (pinned: no second resolution), signs the body, and
 * logs the attempt. A 2xx is delivered; anything else throws, and BullMQ retries with backoff;
 * a refused target fails at once, without retries.
 */
export function createWebhookProcessor(deps: WebhookDeliveryDeps) {
  return async (job: WebhookQueueJob): Promise<{ status: DeliveryStatus; code?: number }> => {
    const d = job.data;
    const attempts = job.attemptsMade + 1;
    const record = (status: DeliveryStatus, responseCode: number | null, error: string | null) =>
      recordWebhookAttempt(deps.pool, { id: d.deliveryId, endpointId: d.endpointId, event: d.event, commentId: d.commentId, status, attempts, responseCode, error: error?.slice(0, 500) ?? null });

    const target = await findWebhookTarget(deps.pool, d.endpointId);
    if (!target) {
      // Removed or disabled since the event: nothing to deliver to (no log row: its endpoint may be gone).
      return { status: 'refused' };
    }
    let url: URL;
    let pinned: { address: string; family: 4 | 6 };
    try {
      url = parseWebhookUrl(target.url);
      pinned = await resolveTarget(url, (await readIntegrationSettings(deps.pool)).webhooksAllowPrivate);
    } catch (err) {
      if (!(err instanceof RefusedTargetError)) throw err;
      await record('refused', null, err.message);
      throw new UnrecoverableError(`webhook target refused: ${err.message}`);
    }

    const t = Math.floor(Date.now() / 1000);
    let code: number | null = null;
    let error: string;
    try {
      code = await post(url, pinned, d.body, {
        'content-type': 'application/json',
        'user-agent': 'comment-moderation-webhooks/1',
        'x-signature': signWebhook(target.secret, d.body, t),
        'x-webhook-id': d.deliveryId,
        'x-webhook-event': d.event,
      }, deps.timeoutMs);
      if (code >= 200 && code < 300) {
        await record('delivered', code, null);
        return { status: 'delivered', code };
      }
      error = `the endpoint answered HTTP ${code}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const last = attempts >= (job.opts.attempts ?? 1);
    await record(last ? 'failed' : 'retrying', code, error);
    deps.log.info({ deliveryId: d.deliveryId, endpointId: d.endpointId, attempts, code, last }, 'webhook delivery failed');
    throw new Error(error);
  };
}

/** POSTs `body` to `url` at the pinned address (TLS still checks the host name); resolves with the status code. */
function post(url: URL, pinned: { address: string; family: 4 | 6 }, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup, agent: false, timeout: timeoutMs }, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('close', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err));
    req.end(body);
  });
}
