import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import { BadRequestError } from '../../errors';

/** How long a submit's answer is remembered for retries with the same Idempotency-Key. */
const TTL_SECONDS = 24 * 3600;

export interface StoredAnswer {
  status: number;
  body: Record<string, unknown>;
  location?: string;
}

/**
 * Idempotent submits. The comment id is derived from the key, so two concurrent retries also
 * collapse into one job (the job id is the comment id) and one row; the first answer is kept in
 * Redis and replayed.
 */
export function createIdempotencyStore(redis: Redis, prefix: string) {
  const redisKey = (key: string) => `${prefix}:idem:${createHash('sha256').update(key).digest('hex')}`;
  return {
    /** Validates the header; null when absent. */
    parseKey(raw: string | undefined): string | null {
      if (raw === undefined) return null;
      const key = raw.trim();
      if (!/^[\x21-\x7e]{8,255}$/.test(key)) {
        throw new BadRequestError('invalid_idempotency_key', 'Idempotency-Key must be 8 to 255 visible ASCII characters.');
      }
      return key;
    },
    /** A uuid-shaped id derived from the key (RFC 9562 version 8: custom). */
    commentIdFor(key: string): string {
      const h = createHash('sha256').update(`comment:${key}`).digest('hex');
      const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    async get(key: string): Promise<StoredAnswer | null> {
      const raw = await redis.get(redisKey(key));
      return raw ? (JSON.parse(raw) as StoredAnswer) : null;
    },
    async remember(key: string, answer: StoredAnswer): Promise<void> {
      await redis.set(redisKey(key), JSON.stringify(answer), 'EX', TTL_SECONDS, 'NX');
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
