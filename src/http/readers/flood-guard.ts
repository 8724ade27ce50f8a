import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ServiceUnavailableError, TooManyRequestsError } from '../../errors';
import type { Logger } from '../../logger';
import { clientAddress } from '../../moderation/ip-address';
import { DEFAULT_SETTINGS } from '../../moderation/settings';
import type { ModerationSettings } from '../../moderation/types';
import type { SubmissionGuard } from './comments-routes';

export interface FloodGuardDeps {
  /** The API's fail-fast Redis connection. */
  redis: Redis;
  /** Redis key prefix, e.g. `${QUEUE_PREFIX}:flood` (test runs use their own QUEUE_PREFIX). */
  keyPrefix: string;
  /** The site settings (floodSeconds, hourlyLimitPerIp), re-read as they change. */
  settings: () => Promise<ModerationSettings>;
  log: Logger;
  /** Longest wait for Redis before answering 503, like an enqueue. */
  timeoutMs: number;
}

/** The Redis key prefix of the flood counters (under the queue's prefix, so a test run's keys stay its own). */
export const floodKeyPrefix = (queuePrefix: string) => `${queuePrefix}:flood`;

/** WordPress's flood message. */
const FLOOD_MESSAGE = 'You are posting comments too quickly. Slow down.';
const HOURLY_MESSAGE = 'You have posted too many comments in the last hour. Please try again later.';

type Consumed = { limiter: RateLimiterRedis; key: string };

/**
 * Flood control at the API, before anything is enqueued (WordPress's comment flood check, plus an
 * hourly cap):
 * - one comment per IP address and per email every `floodSeconds` (at most an hour; 0 turns it off);
 * - at most `hourlyLimitPerIp` comments per IP address per hour (0 turns it off).
 * Refusals are `429 rate_limited` with `Retry-After`. Counters live in Redis (rate-limiter-flexible),
 * so every API process shares them; emails and addresses are hashed in the keys.
 *
 * A submission that ends without being accepted (a 503 from the queue, a 429 from another limit)
 * gives its points back, so the retry is not refused as a flood. A retry with the same
 * Idempotency-Key is answered from the first result by the route before guards run; one that
 * arrives while the first is still in flight passes here (it becomes the same comment). Loopback and private
 * addresses are not limited by address (they mean a proxy; set TRUST_PROXY), only by email.
 * Redis away → 503 `queue_unavailable`, as the enqueue would answer.
 */
export function floodGuard(deps: FloodGuardDeps): SubmissionGuard {
  const limiters = new Map<string, RateLimiterRedis>();
  const limiter = (name: string, points: number, duration: number): RateLimiterRedis => {
    const id = `${name}:${points}:${duration}`;
    let l = limiters.get(id);
    if (!l) {
      // The duration is part of the key prefix: changing it starts fresh counters with the new TTL.
      l = new RateLimiterRedis({ storeClient: deps.redis, keyPrefix: `${deps.keyPrefix}:${name}:${duration}`, points, duration, rejectIfRedisNotReady: true });
      limiters.set(id, l);
    }
    return l;
  };

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
    if (settings.floodSeconds <= 0 && settings.hourlyLimitPerIp <= 0) return;
    const ip = clientAddress(req.ip);
    if (!ip && req.ip && !warnedPrivate) {
      warnedPrivate = true;
      deps.log.warn('flood guard: client addresses are loopback or private, so only emails are limited; behind a proxy, set TRUST_PROXY');
    }

    const consumed: Consumed[] = [];
    let retryMarker: string | null = null;
    try {
      // A retry of a submission still in flight (same Idempotency-Key) becomes the same comment
      // (its id derives from the key): let it through rather than refuse it as a flood.
      const idempotencyKey = req.get('idempotency-key')?.trim();
      if (idempotencyKey) {
        retryMarker = `${deps.keyPrefix}:passed:${digest(idempotencyKey)}`;
        const first = await withDeadline(deps.redis.set(retryMarker, '1', 'EX', RETRY_MARKER_SECONDS, 'NX'), deps.timeoutMs);
        if (first === null) return;
      }
      const keys = [...(ip ? [`ip:${digest(ip)}`] : []), `email:${digest(submission.authorEmail.trim().toLowerCase())}`];
      if (settings.floodSeconds > 0) {
        const flood = limiter('flood', 1, Math.min(settings.floodSeconds, MAX_FLOOD_SECONDS));
        const results = await Promise.allSettled(keys.map((key) => consume(flood, key, FLOOD_MESSAGE, consumed, deps.timeoutMs)));
        const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (refused) throw refused.reason;
      }
      if (settings.hourlyLimitPerIp > 0 && ip) {
        await consume(limiter('hourly', settings.hourlyLimitPerIp, 3600), `ip:${digest(ip)}`, HOURLY_MESSAGE, consumed, deps.timeoutMs);
      }
    } catch (err) {
      await giveBack(consumed);
      if (retryMarker) await deps.redis.del(retryMarker).catch(() => undefined);
      if (err instanceof TooManyRequestsError) throw err;
      deps.log.warn({ err: (err as Error).message }, 'flood guard: redis unavailable');
      throw new ServiceUnavailableError(2);
    }
    // Only accepted submissions count: give the points back if the answer is not a success.
    if (consumed.length && req.res) {
      const res = req.res;
      res.once('finish', () => {
        if (res.statusCode >= 400) void giveBack(consumed);
      });
    }
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
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
    cursor = next;
    const theirs = keys.filter((key) => ids.some((id) => key.endsWith(`:${id}`)));
    if (theirs.length) deleted += await redis.del(...theirs);
  } while (cursor !== '0');
  return deleted;
}

/** How long a passed submission's Idempotency-Key lets its retries through (they become the same comment). */
const RETRY_MARKER_SECONDS = 3600;

async function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('redis timed out')), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function consume(limiter: RateLimiterRedis, key: string, message: string, consumed: Consumed[], timeoutMs: number): Promise<void> {
  const attempt = limiter.consume(key);
  try {
    await withDeadline(attempt, timeoutMs);
    consumed.push({ limiter, key });
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new TooManyRequestsError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)), message);
    // Timed out: if Redis counts it after all, give the point back.
    attempt.then(() => limiter.reward(key, 1), () => undefined).catch(() => undefined);
    throw err;
  }
}

async function giveBack(consumed: Consumed[]): Promise<void> {
  await Promise.all(consumed.splice(0).map(({ limiter, key }) => limiter.reward(key, 1).catch(() => undefined)));
}

/** Keys carry no email or address in clear. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
