import { isCluster, type RedisClient as Redis } from './redis-connection';
import type { Logger } from '../logger';

/**
 * What Redis's configuration means for comments waiting in the queue. A 202 promises the comment is
 * kept; that holds only if Redis neither evicts queue keys under memory pressure nor forgets them on
 * a restart.
 */
export interface RedisDurability {
  /** No warnings: memory pressure and restarts cannot silently drop queued comments. */
  durable: boolean;
  maxmemoryPolicy: string | null;
  appendonly: boolean | null;
  appendfsync: string | null;
  /** RDB snapshot rules (`save`); null when Redis would not say (CONFIG disabled, as on some managed services). */
  saveRules: string | null;
  warnings: string[];
}

/** One CONFIG GET value, or null when CONFIG is disabled or renamed. */
async function configValue(redis: Redis, key: string): Promise<string | null> {
  try {
    const answer = (await redis.config('GET', key)) as unknown as string[];
    return answer.length >= 2 ? String(answer[1]) : null;
  } catch {
    return null;
  }
}

/** `field:value` from an INFO section (INFO works where CONFIG is disabled). */
async function infoValue(redis: Redis, section: string, field: string): Promise<string | null> {
  const info = await redis.info(section);
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line ? line.slice(field.length + 1).trim() : null;
}

/** Reads the settings that decide whether queued comments survive, and says what is wrong with them. */
export async function checkRedisDurability(redis: Redis): Promise<RedisDurability> {
  const maxmemoryPolicy = (await configValue(redis, 'maxmemory-policy')) ?? (await infoValue(redis, 'memory', 'maxmemory_policy'));
  const aof = (await configValue(redis, 'appendonly')) ?? (await infoValue(redis, 'persistence', 'aof_enabled'));
  const appendonly = aof === null ? null : aof === 'yes' || aof === '1';
  const appendfsync = await configValue(redis, 'appendfsync');
  const saveRules = await configValue(redis, 'save');

  const warnings: string[] = [];
  if (maxmemoryPolicy !== null && maxmemoryPolicy !== 'noeviction') {
    warnings.push(`maxmemory-policy is ${maxmemoryPolicy}: when Redis fills up it may evict queued comments; set maxmemory-policy noeviction`);
  }
  if (appendonly === false) {
    if (saveRules === '') {
      warnings.push('no persistence (appendonly no, no save rules): a Redis restart loses every queued comment; set appendonly yes');
    } else if (saveRules === null) {
      warnings.push('appendonly no, and the save rules could not be read: a Redis restart may lose queued comments; set appendonly yes');
    } else {
      warnings.push(`appendonly no (RDB snapshots only, save "${saveRules}"): a Redis crash loses the comments queued since the last snapshot; set appendonly yes`);
    }
  }
  return { durable: warnings.length === 0, maxmemoryPolicy, appendonly, appendfsync, saveRules, warnings };
}

/**
 * Start-up check: logs each durability warning once (Redis may not be up yet; then `/readyz` shows the
 * findings when it is). Never throws and never delays start-up by more than `timeoutMs`.
 */
export async function warnIfRedisNotDurable(redis: Redis, log: Logger, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    checkRedisDurability(redis).catch(() => null),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  for (const warning of result?.warnings ?? []) log.warn({ warning }, 'redis may lose queued comments');
}

/** A readiness probe for `/readyz`'s details: `{ redisDurability: {...} }`. */
export function redisDurabilityProbe(redis: Redis): () => Promise<Record<string, unknown>> {
  return async () => ({ redisDurability: await checkRedisDurability(redis) });
}

/**
 * REDIS_WAIT_REPLICAS > 0 on a Redis with fewer replicas connected answers every submit 503: say so at
 * start. A cluster's masters are asked one by one.
 */
export async function warnIfTooFewReplicas(redis: Redis, wanted: number, log: Logger): Promise<void> {
  if (wanted <= 0) return;
  try {
    const masters = isCluster(redis) ? redis.nodes('master') : [redis];
    for (const node of masters) {
      const info = await node.info('replication');
      const connected = Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 0);
      if (connected < wanted) {
        log.warn({ node: `${node.options.host}:${node.options.port}`, connected, wanted }, 'REDIS_WAIT_REPLICAS: fewer replicas connected than required, so submits are refused (503) until they are');
      }
    }
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'REDIS_WAIT_REPLICAS: could not count the replicas');
  }
}
