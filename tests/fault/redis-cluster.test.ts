import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config';
import { createPool, type Pool } from '../../src/db/pool';
import { silentLog, testConfig } from '../helpers/env';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import { loggedPort, type ServiceProcess } from '../helpers/processes';
import { startRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster';
import { answered, API_READY, dishonestRefusals, expectExactlyOnce, FAULT_ENV, Processes, since, WORKER_READY } from './support';

jest.setTimeout(240000);

/**
 * The service on a real Redis Cluster (docs/operations.md, "Redis Cluster"): three masters with a
 * replica each, on this test's own ports and folders; API and worker as separate processes (the real
 * start command) with REDIS_CLUSTER_NODES and the queue prefix in a hash tag. A burst is stored
 * exactly once; then the master holding the queue is killed mid-burst, its replica takes over, and
 * every acknowledged comment must still be stored (REDIS_WAIT_REPLICAS=1: a 202 only once a replica
 * holds the job; min-replicas-to-write 1: a master alone refuses the write).
 */
describe('fault: Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let config: Config;
  let pool: Pool;
  let baseUrl: string;
  let api: ServiceProcess;
  const procs = new Processes();
  beforeAll(async () => {
    // The production settings of docs/operations.md: a master without a live replica refuses writes
    // (so a submit it cannot replicate is refused whole, nothing stored), and the API waits for the
    // replica's acknowledgment before its 202 (REDIS_WAIT_REPLICAS=1 below).
    cluster = await startRedisCluster({ nodeTimeoutMs: 1000, timeoutMs: 90000, args: ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '10'] });
    config = testConfig({ ...FAULT_ENV, QUEUE_PREFIX: `{cm-${randomUUID()}}`, REDIS_CLUSTER_NODES: cluster.seeds });
    pool = createPool(config.DATABASE_URL, 2, silentLog);
    const clusterEnv = { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_WAIT_REPLICAS: '1' };
    api = await procs.spawn(config, { ROLE: 'api', ...clusterEnv }, API_READY);
    await procs.spawn(config, { ROLE: 'worker', WORKER_CONCURRENCY: '20', ...clusterEnv }, WORKER_READY);
    baseUrl = `http://127.0.0.1:${loggedPort(api)}`;
  });
  afterAll(async () => {
    await procs.killAll();
    await cluster?.close();
    await pool?.end();
  });

  it('stores a burst exactly once, every key of the queue in one slot', async () => {
    const t0 = Date.now();
    const articleId = `cluster-${randomUUID()}`;
    const load = startLoad({ targets: () => [baseUrl], articleId, parallel: 20, total: 300 });
    const results = await load.done;
    const acked = acknowledgedIds(results);
    await waitStored(pool, acked, 60000);
    const f = await figures(pool, articleId, results);
    printFigures('redis cluster, no failover', f, { time: since(t0) });
    expect(f.acknowledged).toBeGreaterThan(0);
    expectExactlyOnce(f, results);
    // The queue's keys all sit on the master of the prefix's slot.
    const owner = await cluster.masterOf(config.QUEUE_PREFIX);
    const keys = (await cluster.cli(owner, '--scan', '--pattern', `${config.QUEUE_PREFIX}:*`)).trim().split('\n').filter(Boolean);
    expect(keys.length).toBeGreaterThan(0);
  });

  it("loses no acknowledged comment when the queue's master is killed mid-burst and its replica takes over", async () => {
    const t0 = Date.now();
    const articleId = `cluster-failover-${randomUUID()}`;
    const load = startLoad({ targets: () => [baseUrl], articleId, parallel: 10, ratePerSec: 100 });
    let master = 0;
    let killedAt = 0;
    let promoted = 0;
    let promotedAt = 0;
    let rejoinedAt = 0;
    try {
      await answered(load, (r) => r.outcome === 202, 150);
      master = await cluster.masterOf(config.QUEUE_PREFIX);
      killedAt = Date.now();
      await cluster.kill(master);
      promoted = await cluster.waitForOwner(config.QUEUE_PREFIX, master, 60000);
      promotedAt = Date.now();
      // The promoted master has no replica until the dead node comes back (a supervisor restarts
      // it; it rejoins as the new master's replica): until then a submit cannot be on two nodes, so
      // it is refused (503). Once it is back, submits are acknowledged again.
      await cluster.restart(master);
      rejoinedAt = Date.now();
      await answered(load, (r) => r.outcome === 202 && r.startedAt > rejoinedAt, 150, 90000);
    } finally {
      load.stop();
    }
    const results = await load.done;
    const acked = acknowledgedIds(results);
    await waitStored(pool, acked, 90000);
    const f = await figures(pool, articleId, results);
    const lost = f.acknowledged - f.stored;
    // Refused submissions sent between the kill and the dead node's return: a transaction the dying
    // master had passed to its replica, or one ioredis sent again once the slot moved, may be stored
    // after its 503 (as any enqueue that missed its deadline: a 503 asks for a retry, which an
    // Idempotency-Key makes the same comment). Never a 202 without a stored comment.
    const refusedDuringFailover = results.filter((r) => r.outcome !== 202 && r.endedAt >= killedAt && r.startedAt <= rejoinedAt);
    printFigures('redis cluster, master killed mid-burst', f, {
      lostAcknowledged: lost,
      failoverSeconds: ((promotedAt - killedAt) / 1000).toFixed(1),
      ackedAgainAfter: `${((Math.min(...results.filter((r) => r.outcome === 202 && r.startedAt > killedAt).map((r) => r.endedAt)) - killedAt) / 1000).toFixed(1)}s`,
      refusedDuringFailover: refusedDuringFailover.length,
      newMaster: promoted,
      time: since(t0),
    });
    expect(dishonestRefusals(results)).toEqual([]);
    expect(Object.keys(f.other)).toEqual([]);
    expect(lost).toBe(0);
    expectExactlyOnce(f, results, refusedDuringFailover);
  });
});
