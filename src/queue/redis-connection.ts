import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A connection to a single Redis or to a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

export interface ClusterNode {
  host: string;
  port: number;
}

/**
 * Where Redis is: REDIS_URL alone (one server, or a proxy in front of many), or with cluster seed
 * nodes (REDIS_CLUSTER_NODES), when REDIS_URL's user, password and TLS apply to every node.
 */
export type RedisTarget = string | { url: string; clusterNodes?: readonly ClusterNode[] };

/** The Redis target of a config. */
export function redisTarget(config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: readonly ClusterNode[] }): RedisTarget {
  return config.REDIS_CLUSTER_NODES?.length ? { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES } : config.REDIS_URL;
}

/** The URL part of a target (logs, probes). */
export const targetUrl = (target: RedisTarget): string => (typeof target === 'string' ? target : target.url);

/**
 * A connection to `target` with `options`. For a cluster, `options` apply to each node's
 * connection, except the offline queue and reconnection, which are the cluster's own: a command
 * sent while the cluster is re-forming (a failover) waits for it when the offline queue is on, and
 * fails at once when it is off (the API's fail-fast connections: 503, never a false 202).
 */
export function connectRedis(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  if (typeof target === 'string' || !target.clusterNodes?.length) return new Redis(targetUrl(target), options);
  const url = new URL(target.url);
  const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
  return new Cluster(
    target.clusterNodes.map((n) => ({ host: n.host, port: n.port })),
    {
      enableOfflineQueue: enableOfflineQueue ?? true,
      lazyConnect: lazyConnect ?? false,
      clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : (times) => Math.min(100 * times, 2000),
      // Reads and writes go to masters: the queue must never read a replica's lagging copy.
      scaleReads: 'master',
      // A failover re-forms the slot map within a few seconds: retry moved / down errors meanwhile.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 2000,
      redisOptions: {
        ...perNode,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
}

export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/**
 * Keys matching `pattern` on every master (SCAN on a cluster connection would ask one node only).
 * Calls `onKeys` with each page.
 */
export async function scanAll(client: RedisClient, pattern: string, onKeys: (keys: string[], node: Redis) => Promise<void>): Promise<void> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await onKeys(keys, node);
    } while (cursor !== '0');
  }
}

/**
 * Whether `prefix` carries a Redis Cluster hash tag (`{…}`, not empty): every key of the queue then
 * hashes to one slot, as BullMQ's scripts and the submit's transaction require on a cluster.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** Each cluster connection's slot number of a key, asked of Redis once (CLUSTER KEYSLOT). */
const slotOfKey = new WeakMap<Cluster, Map<string, number>>();

/**
 * WAIT on the server that holds `key`: resolves with how many replicas have every write this
 * connection made there so far (at most `timeoutMs` of waiting). On a cluster, the master of the
 * key's slot; a node that cannot be found (a failover in progress) counts as 0 replicas.
 */
export async function waitForReplicas(client: RedisClient, key: string, replicas: number, timeoutMs: number): Promise<number> {
  if (!isCluster(client)) return Number(await client.call('WAIT', replicas, timeoutMs));
  let slots = slotOfKey.get(client);
  if (!slots) slotOfKey.set(client, (slots = new Map()));
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
    if (slots.size < 100) slots.set(key, slot);
  }
  const owner = client.slots[slot]?.[0];
  const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) return 0;
  return Number(await node.call('WAIT', replicas, timeoutMs));
}
