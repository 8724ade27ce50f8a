import type { RedisClient as Redis } from '../../queue/redis-connection';
import { listRecentAddresses } from '../../db/address-repository';
import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import { eraseFromQueue } from '../../queue/personal-data';
import type { Producer } from '../../queue/moderation-queue';
import { forgetFloodCounters } from '../readers/flood-guard';

/** Erases one email from Redis; answers how many queue jobs held it. */
export type RedisErasure = (email: string, bodies: 'keep' | 'delete') => Promise<{ jobs: number }>;

/**
 * Privacy erasure's Redis half: the email's queue jobs (waiting, delayed, active, failed) and the
 * flood counters of the email and of the addresses it posted from. Idempotency answers hold no
 * email or address (a comment id and a status URL) and stay, so a retried submit is still answered
 * from them rather than creating the comment again. Run it before the database's erasure: a job a
 * worker is finishing lands in Postgres first.
 */
export function createRedisErasure(deps: { pool: Pool; redis: Redis; producer: Producer; floodKeyPrefix: string; log: Logger }): RedisErasure {
  return async (email, bodies) => {
    const queued = await eraseFromQueue(deps.producer.queue, deps.redis, email, bodies);
    const recent = await listRecentAddresses(deps.pool, email, new Date(Date.now() - 3600 * 1000));
    const counters = await forgetFloodCounters(deps.redis, deps.floodKeyPrefix, { emails: [email], ips: [...queued.ips, ...recent] });
    deps.log.info({ jobs: queued.jobs, counters }, 'personal data erased from redis');
    return { jobs: queued.jobs };
  };
}
