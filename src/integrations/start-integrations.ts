import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { createIntegrationProducer, createMailConsumer, createWebhookConsumer } from '../queue/integration-queues';
import { closeRedis, workerRedis } from '../queue/moderation-queue';
import { createIntegrationEvents, type IntegrationEvents } from './integration-events';
import { createHeldMailProcessor, createMailTransport } from './mail/held-mail';
import { createWebhookProcessor } from './webhooks/deliver';

/** Webhook deliveries at once per worker process: endpoints are slow, the CPU is not the limit. */
const WEBHOOK_CONCURRENCY = 10;

export interface RunningIntegrations {
  events: IntegrationEvents;
  close(): Promise<void>;
}

/** The emitting side (API and worker): announces status changes onto the integration queues. */
export async function startIntegrationEvents(config: Config, log: Logger, pool: Pool): Promise<RunningIntegrations> {
  const producer = createIntegrationProducer(config.REDIS_URL, { prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME, webhookAttempts: config.WEBHOOK_ATTEMPTS, webhookBackoffMs: config.WEBHOOK_BACKOFF_MS });
  const events = await createIntegrationEvents({ pool, producer, log, mailEnabled: !!config.SMTP_URL, refreshMs: config.SETTINGS_REFRESH_MS });
  return {
    events,
    async close() {
      events.close();
      await producer.close();
    },
  };
}

/**
 * The consuming side (worker role): delivers webhooks and sends moderator e-mail from their own
 * queues, on a connection of their own, so neither ever holds up moderation.
 */
export async function startIntegrationWorkers(config: Config, log: Logger, pool: Pool): Promise<{ close(): Promise<void> }> {
  const connection = workerRedis(config.REDIS_URL);
  connection.on('error', (err) => log.warn({ err: err.message }, 'integrations redis error'));
  const s = { prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME };
  const webhooks = createWebhookConsumer(connection, s, WEBHOOK_CONCURRENCY, createWebhookProcessor({ pool, log, timeoutMs: config.WEBHOOK_TIMEOUT_MS }));
  webhooks.on('error', (err) => log.warn({ err: err.message }, 'webhook worker error'));
  const transport = config.SMTP_URL ? createMailTransport(config.SMTP_URL) : undefined;
  const mail = transport ? createMailConsumer(connection, s, createHeldMailProcessor({ pool, log, transport, from: config.MAIL_FROM, publicUrl: config.PUBLIC_URL })) : undefined;
  mail?.on('error', (err) => log.warn({ err: err.message }, 'mail worker error'));
  mail?.on('failed', (job, err) => log.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'moderator e-mail failed'));
  await Promise.all([webhooks.waitUntilReady(), mail?.waitUntilReady()]);
  return {
    async close() {
      await webhooks.close();
      await mail?.close();
      transport?.close();
      await closeRedis(connection);
    },
  };
}
