import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../../errors';

/**
 * Sign-in limits, after rate-limiter-flexible's brute-force recipe (consecutive failures by
 * username and IP, plus per-IP limits), with waits that grow instead of a flat lockout:
 *
 * - **account + address**: after `freeFailures` failures in a row from one address, each further
 *   attempt from there waits `backoffBaseSeconds`, doubling per failure up to `backoffMaxSeconds`. A
 *   success resets it. A stranger guessing from elsewhere never delays the owner at their usual place.
 * - **account, any address** (guessing spread over many addresses): the same backoff after four times
 *   as many failures, except from addresses this account signed in from in the last 30 days.
 * - **address**: `attemptsPerIp` attempts per 15 minutes (counted before the password is checked, so
 *   parallel guesses count), and `failuresPerIpPerDay` failures a day.
 *
 * Waits are kept as "until" times from `now()`, so tests move a clock instead of sleeping. Account
 * keys are hashed: Redis holds no email addresses.
 */
export interface LoginLimitOptions {
  redis: Redis;
  keyPrefix: string;
  freeFailures: number;
  attemptsPerIp: number;
  failuresPerIpPerDay: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  now?: () => number;
}

export interface LoginLimits {
  /** Throws 429 (with Retry-After) when this attempt must wait; counts it against the address. */
  beforeAttempt(account: string, ip: string): Promise<void>;
  failed(account: string, ip: string): Promise<void>;
  succeeded(account: string, ip: string): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;
const KNOWN_ADDRESS_MS = 30 * DAY_MS;
/** Account-wide backoff starts after this many times the per-address free failures. */
const ACCOUNT_WIDE_FACTOR = 4;
const MESSAGE = 'Too many sign-in attempts. Wait a little and try again.';

/**
 * HINCRBY the failure count; from the `free`-th failure on, set `until` = now + base × 2^(n − free)
 * seconds, at most max (ARGV: now ms, free, base s, max s, ttl ms). One script, so parallel failures
 * each count and each wait grows.
 */
const FAIL_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local free, base, max = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if n >= free then
  local wait = math.min(max, base * 2 ^ math.min(n - free, 30))
  redis.call('HSET', KEYS[1], 'until', tonumber(ARGV[1]) + wait * 1000)
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return n`;

export function createLoginLimits(o: LoginLimitOptions): LoginLimits {
  const now = o.now ?? Date.now;
  const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
  const pairKey = (account: string, ip: string) => `${o.keyPrefix}:login-wait:pair:${hash(account, ip)}`;
  const accountKey = (account: string) => `${o.keyPrefix}:login-wait:account:${hash(account)}`;
  const knownKey = (account: string, ip: string) => `${o.keyPrefix}:login-known:${hash(account, ip)}`;
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({
      storeClient: o.redis,
      keyPrefix: `${o.keyPrefix}:login-${name}`,
      points,
      duration,
      // While Redis is away each process limits on its own.
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  const attemptsByIp = limiter('ip', o.attemptsPerIp, 15 * 60);
  const failuresByIp = limiter('ip-day', o.failuresPerIpPerDay, 24 * 3600);

  // While Redis is away the waits are unknown: the per-address limits above (in memory then) still hold.
  const waitUntil = async (key: string): Promise<number> => Number((await o.redis.hget(key, 'until').catch(() => null)) ?? 0);
  const known = (key: string) => o.redis.exists(key).catch(() => 0);
  const refuse = (ms: number) => new TooManyRequestsError(Math.max(1, Math.ceil(ms / 1000)), MESSAGE);
  const fail = (key: string, free: number) =>
    o.redis.eval(FAIL_SCRIPT, 1, key, now(), free, o.backoffBaseSeconds, o.backoffMaxSeconds, DAY_MS).catch(() => undefined);

  return {
    async beforeAttempt(account, ip) {
      try {
        await attemptsByIp.consume(ip);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw refuse(err.msBeforeNext);
        throw err;
      }
      const day = await failuresByIp.get(ip);
      if (day && day.consumedPoints >= o.failuresPerIpPerDay) throw refuse(day.msBeforeNext);
      const t = now();
      const [pairUntil, knownAddress] = await Promise.all([waitUntil(pairKey(account, ip)), known(knownKey(account, ip))]);
      if (pairUntil > t) throw refuse(pairUntil - t);
      if (!knownAddress) {
        const accountUntil = await waitUntil(accountKey(account));
        if (accountUntil > t) throw refuse(accountUntil - t);
      }
    },

    async failed(account, ip) {
      await Promise.all([
        failuresByIp.penalty(ip, 1).catch(() => undefined),
        fail(pairKey(account, ip), o.freeFailures),
        fail(accountKey(account), o.freeFailures * ACCOUNT_WIDE_FACTOR),
      ]);
    },

    async succeeded(account, ip) {
      await Promise.all([o.redis.del(pairKey(account, ip)), o.redis.set(knownKey(account, ip), '1', 'PX', KNOWN_ADDRESS_MS)]).catch(() => undefined);
    },
  };
}
