import { randomUUID } from 'node:crypto';
import { readIntegrationSettings, listHeldRecipients } from '../db/integration-settings-repository';
import type { Pool } from '../db/pool';
import { listActiveWebhookSubscriptions } from '../db/webhook-repository';
import type { Logger } from '../logger';
import type { IntegrationProducer } from '../queue/integration-queues';
import { eventsFor, type CommentEventName, type StatusChange } from './comment-events';

export interface IntegrationEventsDeps {
  pool: Pool;
  producer: IntegrationProducer;
  log: Logger;
  /** Moderator e-mail is configured (SMTP_URL set): held comments trigger mail jobs. */
  mailEnabled: boolean;
  /** How often the subscriptions and the mail settings are re-read (SETTINGS_REFRESH_MS). */
  refreshMs: number;
}

/** Where comments' status changes leave the service: webhooks and moderator e-mail. */
export interface IntegrationEvents {
  /**
   * Announces status changes. Never waits and never throws: jobs are added in the background, and
   * a failed add is logged (the comment's decision stands either way).
   */
  emit(changes: readonly StatusChange[]): void;
  /** Re-reads subscriptions now (after an admin registers or removes an endpoint). */
  refresh(): Promise<void>;
  close(): void;
}

interface Snapshot {
  subscribers: Map<CommentEventName, string[]>;
  mailRecipients: number;
  digestMinutes: number;
}

/**
 * The one hand-off from the comment path to integrations, called where comments get their status:
 * the worker's store step and the moderators' review actions. What it needs to decide (which
 * endpoints want which events, whether anyone wants e-mail) is read every `refreshMs` in the
 * background, so announcing costs no query; each delivery is a job on the integrations' own queues.
 */
export async function createIntegrationEvents(deps: IntegrationEventsDeps): Promise<IntegrationEvents> {
  let snapshot: Snapshot = { subscribers: new Map(), mailRecipients: 0, digestMinutes: 0 };
  const load = async () => {
    const [subs, settings, recipients] = await Promise.all([
      listActiveWebhookSubscriptions(deps.pool),
      readIntegrationSettings(deps.pool),
      deps.mailEnabled ? listHeldRecipients(deps.pool) : Promise.resolve([]),
    ]);
    const subscribers = new Map<CommentEventName, string[]>();
    for (const s of subs) for (const e of s.events) subscribers.set(e as CommentEventName, [...(subscribers.get(e as CommentEventName) ?? []), s.id]);
    snapshot = { subscribers, mailRecipients: recipients.length, digestMinutes: settings.mailDigestMinutes };
  };
  await load().catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'integration subscriptions not loaded'));
  const timer = setInterval(() => load().catch((err: unknown) => deps.log.debug({ err: (err as Error).message }, 'integration subscriptions refresh failed')), Math.max(250, deps.refreshMs));
  timer.unref();

  const failed = (what: string) => (err: unknown) => deps.log.warn({ err: (err as Error).message }, `${what} not queued`);

  return {
    emit(changes) {
      const { subscribers, mailRecipients, digestMinutes } = snapshot;
      let held: string | null = null;
      for (const change of changes) {
        for (const event of eventsFor(change.from, change.to)) {
          if (event === 'comment.held') held ??= change.comment.id;
          for (const endpointId of subscribers.get(event) ?? []) {
            const deliveryId = randomUUID();
            const body = JSON.stringify({ id: deliveryId, event, createdAt: new Date().toISOString(), comment: change.comment });
            deps.producer.addWebhook({ v: 1, deliveryId, endpointId, event, commentId: change.comment.id, body }).catch(failed('webhook delivery'));
          }
        }
      }
      if (held && mailRecipients > 0) {
        // At once: one trigger per held comment (the mail job sends whatever is unannounced);
        // digest: one trigger per window, run when the window ends.
        const windowMs = digestMinutes * 60_000;
        const now = Date.now();
        const [jobId, delay] = windowMs > 0 ? [`digest-${Math.floor(now / windowMs)}`, windowMs - (now % windowMs)] : [`held-${held}`, 0];
        deps.producer.addMail(jobId, delay).catch(failed('moderator e-mail'));
      }
    },
    refresh: load,
    close() {
      clearInterval(timer);
    },
  };
}
