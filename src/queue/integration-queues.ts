import { Queue, Worker, type Job, type JobsOptions, type Processor } from 'bullmq';
import type { RedisClient as Redis } from './redis-connection';
import { closeRedis, producerRedis } from './moderation-queue';

/**
 * The queues of outgoing integrations, apart from the comments' queue so a slow or failing endpoint
 * or mail server never delays moderation: webhook deliveries and moderator e-mail.
 * Their names are suffixes of QUEUE_NAME, under the same prefix.
 */
export const WEBHOOK_QUEUE_SUFFIX = 'webhooks';
export const MAIL_QUEUE_SUFFIX = 'mail';

/** One webhook delivery: the event for one endpoint. The delivery id is the job id and the log row's id. */
export interface WebhookJob {
  v: 1;
  deliveryId: string;
  endpointId: string;
  event: string;
  commentId: string | null;
  /** The JSON body, exactly as it will be signed and sent. */
  body: string;
}

/** A trigger for moderator e-mail: the mail job reads what is held from Postgres when it runs. */
export interface MailJob {
  v: 1;
  reason: 'held';
}

export interface IntegrationQueueSettings {
  prefix: string;
  /** QUEUE_NAME: the integration queues are named after it. */
  name: string;
  webhookAttempts: number;
  webhookBackoffMs: number;
}

/**
 * Webhook deliveries retry with exponential backoff (WEBHOOK_BACKOFF_MS doubling, WEBHOOK_ATTEMPTS
 * in all: 10 at 5 s spans about 40 minutes); the log in Postgres is the record, so finished and
 * failed jobs go.
 */
export function webhookJobOptions(s: Pick<IntegrationQueueSettings, 'webhookAttempts' | 'webhookBackoffMs'>, deliveryId: string): JobsOptions {
  // A failed delivery is not kept in Redis (it carries the comment's text and author name): its log row says what happened.
  return { jobId: deliveryId, attempts: s.webhookAttempts, backoff: { type: 'exponential', delay: s.webhookBackoffMs }, removeOnComplete: true, removeOnFail: true };
}

/**
 * Mail triggers: `jobId` coalesces (one digest per window, one per held comment otherwise), `delay`
 * holds a digest until its window ends; a failing mail server is retried for about an hour.
 */
export function mailJobOptions(jobId: string, delayMs: number): JobsOptions {
  return { jobId, delay: Math.max(0, delayMs), attempts: 8, backoff: { type: 'exponential', delay: 15000 }, removeOnComplete: true, removeOnFail: { count: 100 } };
}

/** The producers' side: adds jobs, never waiting long (callers do not await them on the comment path). */
export interface IntegrationProducer {
  addWebhook(job: WebhookJob): Promise<void>;
  addMail(jobId: string, delayMs: number): Promise<void>;
  close(): Promise<void>;
}

export function createIntegrationProducer(redisUrl: string, s: IntegrationQueueSettings): IntegrationProducer {
  const connection = producerRedis(redisUrl);
  connection.on('error', () => undefined); // a failed add is logged by its caller
  const webhooks = new Queue<WebhookJob>(`${s.name}-${WEBHOOK_QUEUE_SUFFIX}`, { connection, prefix: s.prefix });
  const mail = new Queue<MailJob>(`${s.name}-${MAIL_QUEUE_SUFFIX}`, { connection, prefix: s.prefix });
  webhooks.on('error', () => undefined);
  mail.on('error', () => undefined);
  return {
    async addWebhook(job) {
      await webhooks.add('deliver', job, webhookJobOptions(s, job.deliveryId));
    },
    async addMail(jobId, delayMs) {
      await mail.add('notify', { v: 1, reason: 'held' }, mailJobOptions(jobId, delayMs));
    },
    async close() {
      // With Redis away, closing the queues would wait for a reconnect that may never come.
      const closing = Promise.all([webhooks.close().catch(() => undefined), mail.close().catch(() => undefined)]);
      if (connection.status === 'ready') await closing;
      await closeRedis(connection);
    },
  };
}

/** Consumers of the integration queues, in the worker process. */
export function createWebhookConsumer(connection: Redis, s: Pick<IntegrationQueueSettings, 'prefix' | 'name'>, concurrency: number, processor: Processor<WebhookJob>): Worker<WebhookJob> {
  return new Worker<WebhookJob>(`${s.name}-${WEBHOOK_QUEUE_SUFFIX}`, processor, { connection, prefix: s.prefix, concurrency, autorun: true });
}

export function createMailConsumer(connection: Redis, s: Pick<IntegrationQueueSettings, 'prefix' | 'name'>, processor: Processor<MailJob>): Worker<MailJob> {
  // One at a time: each mail job reads and advances the same "announced until" mark.
  return new Worker<MailJob>(`${s.name}-${MAIL_QUEUE_SUFFIX}`, processor, { connection, prefix: s.prefix, concurrency: 1, autorun: true });
}

export type WebhookQueueJob = Job<WebhookJob>;
export type MailQueueJob = Job<MailJob>;
