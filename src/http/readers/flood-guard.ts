import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { scanAll, type RedisClient as Redis } from '../../queue/redis-connection';
import type { Logger } from '../../logger';
import { clientAddress } from '../../moderation/ip-address';
import { DEFAULT_SETTINGS } from '../../moderation/settings';
import type { ModerationSettings } from '../../moderation/types';
import type { CommentSubmission } from '../../moderation/comment-schema';
import type { AdmissionGate } from '../../queue/admission';

export interface FloodGuardDeps {
  /** Redis key prefix, e.g. `${QUEUE_PREFIX}:flood` (test runs use their own QUEUE_PREFIX). */
  keyPrefix: string;
  /** The site settings (floodSeconds, hourlyLimitPerIp), re-read as they change. */
  settings: () => Promise<ModerationSettings>;
  log: Logger;
}

/** The Redis key prefix of the flood counters (under the queue's prefix, so a test run's keys stay its own). */
export const floodKeyPrefix = (queuePrefix: string) => `${queuePrefix}:flood`;

/** WordPress's flood message. */
const FLOOD_MESSAGE = 'You are posting comments too quickly. Slow down.';
const HOURLY_MESSAGE = 'You have posted too many comments in the last hour. Please try again later.';

/** What one submission must pass: the counters, and the message for each counter that refuses. */
export interface FloodTicket {
  gate: AdmissionGate;
  messages: string[];
}

/** Flood control's part in a submit: the counters to check (null when none apply). */
export type FloodControl = (req: Request, submission: CommentSubmission) => Promise<FloodTicket | null>;

/**
 * Flood control at the API, before anything is enqueued (WordPress's comment flood check, plus an
 * hourly cap):
 * - one comment per IP address and per email every `floodSeconds` (at most an hour; 0 turns it off);
 * - at most `hourlyLimitPerIp` comments per IP address per hour (0 turns it off).
 * This function only names the counters; the producer checks and counts them in the same Redis
 * transaction as the enqueue (src/queue/admission.ts: one round trip per submit), all or nothing:
 * a submission refused by one limit counts against none. Refusals are `429 rate_limited` with
 * `Retry-After`. Counters live in Redis, so every API process shares them; emails and addresses are
 * hashed in the keys (the same keys as the rate-limiter-flexible counters they replace).
 *
 * A submission that ends without being accepted after counting (a 4xx/5xx answered later) gives its
 * points back, so the retry is not refused as a flood. A retry with the same Idempotency-Key is
 * answered from the first result by the route before this runs; one that arrives while the first is
 * still in flight passes uncounted (it becomes the same comment: a pass key set at the first).
 * Loopback and private addresses are not limited by address (they mean a proxy; set TRUST_PROXY),
 * only by email. Redis away → 503 `queue_unavailable`, as the enqueue answers.
 */
export function floodGuard(deps: FloodGuardDeps): FloodControl {
  let lastGood: ModerationSettings = DEFAULT_SETTINGS;
  let warnedPrivate = false;

  return async (req: Request, submission) => {
    const settings = await deps.settings().then(
      (s) => (lastGood = s),
      (err: Error) => {
        deps.log.warn({ err: err.message }, 'flood guard: settings unavailable, using the last known');
        return lastGood;
      },
    );
    if (settings.floodSeconds <= 0 && settings.hourlyLimitPerIp <= 0) return null;
    const ip = clientAddress(req.ip);
    if (!ip && req.ip && !warnedPrivate) {
      warnedPrivate = true;
      deps.log.warn('flood guard: client addresses are loopback or private, so only emails are limited; behind a proxy, set TRUST_PROXY');
    }

    const gate: AdmissionGate = { counters: [] };
    const messages: string[] = [];
    // A retry of a submission still in flight (same Idempotency-Key) becomes the same comment
    // (its id derives from the key): let it through rather than refuse it as a flood.
    const idempotencyKey = req.get('idempotency-key')?.trim();
    if (idempotencyKey) gate.pass = { key: `${deps.keyPrefix}:passed:${digest(idempotencyKey)}`, ttlSeconds: RETRY_MARKER_SECONDS };
    const ids = [...(ip ? [`ip:${digest(ip)}`] : []), `email:${digest(submission.authorEmail.trim().toLowerCase())}`];
    if (settings.floodSeconds > 0) {
      const seconds = Math.min(settings.floodSeconds, MAX_FLOOD_SECONDS);
      for (const id of ids) {
        gate.counters.push({ key: `${deps.keyPrefix}:flood:${seconds}:${id}`, limit: 1, windowMs: seconds * 1000 });
        messages.push(FLOOD_MESSAGE);
      }
    }
    if (settings.hourlyLimitPerIp > 0 && ip) {
      gate.counters.push({ key: `${deps.keyPrefix}:hourly:3600:ip:${digest(ip)}`, limit: settings.hourlyLimitPerIp, windowMs: 3600 * 1000 });
      messages.push(HOURLY_MESSAGE);
    }
    return gate.counters.length ? { gate, messages } : null;
  };
}

/**
 * Longest flood interval honoured, so that a counter keyed by an address lives at most an hour (as the
 * hourly ones do), well inside any IP retention period (IP_RETENTION_DAYS is at least a day).
 */
export const MAX_FLOOD_SECONDS = 3600;

/**
 * Deletes the flood counters of these emails and addresses (privacy erasure). Keys hold a digest, never
 * the value, and expire within an hour anyway; erasure does not wait for that. Returns keys deleted.
 */
export async function forgetFloodCounters(redis: Redis, keyPrefix: string, who: { emails: string[]; ips: string[] }): Promise<number> {
  const ids = [
    ...who.emails.map((e) => `email:${digest(e.trim().toLowerCase())}`),
    ...who.ips.map((ip) => `ip:${digest(clientAddress(ip) ?? ip)}`),
  ];
  let deleted = 0;
  await scanAll(redis, `${keyPrefix}:*`, async (keys, node) => {
    const theirs = keys.filter((key) => ids.some((id) => key.endsWith(`:${id}`)));
    if (theirs.length) deleted += await node.del(...theirs);
  });
  return deleted;
}

/** How long a passed submission's Idempotency-Key lets its retries through (they become the same comment). */
const RETRY_MARKER_SECONDS = 3600;

/** Keys carry no email or address in clear. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
