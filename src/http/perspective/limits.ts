import type { RedisClient as Redis } from '../../queue/redis-connection';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { PerspectiveError } from './errors';

/**
 * Per-key limits in Redis (shared by every API process): requests per minute, and civility lessons
 * (suggestscore) per hour, which also bounds how fast one key can move the model. While Redis is
 * away each process counts on its own (insurance limiter), so the API keeps answering.
 */
export interface PerspectiveLimits {
  request(keyId: string): Promise<void>;
  lesson(keyId: string): Promise<void>;
}

export function createPerspectiveLimits(o: { redis: Redis; keyPrefix: string; requestsPerMinute: number; lessonsPerHour: number }): PerspectiveLimits {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({ storeClient: o.redis, keyPrefix: `${o.keyPrefix}:perspective-${name}`, points, duration, insuranceLimiter: new RateLimiterMemory({ points, duration }) });
  const requests = limiter('requests', o.requestsPerMinute, 60);
  const lessons = limiter('lessons', o.lessonsPerHour, 3600);

  const consume = async (l: RateLimiterRedis, keyId: string, what: string) => {
    try {
      await l.consume(keyId);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new PerspectiveError('RESOURCE_EXHAUSTED', `Quota exceeded for this API key: at most ${what}. Retry in ${seconds} s.`, 'QUOTA_EXCEEDED', seconds);
    }
  };
  return {
    request: (keyId) => consume(requests, keyId, `${o.requestsPerMinute} requests per minute`),
    lesson: (keyId) => consume(lessons, keyId, `${o.lessonsPerHour} suggested scores per hour`),
  };
}
