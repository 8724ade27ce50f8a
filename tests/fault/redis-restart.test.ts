import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config';
import { createPool, type Pool } from '../../src/db/pool';
import { silentLog, testConfig } from '../helpers/env';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import { loggedPort } from '../helpers/processes';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server';
import { API_READY, FAULT_ENV, Processes, since, sleep, WORKER_READY } from './support';

jest.setTimeout(240000);

const OUTAGE_MS = 4000;

describe('fault: Redis restart', () => {
  let redis: OwnRedis;
  let config: Config;
  let pool: Pool;
  const procs = new Processes();
  beforeAll(async () => {
    // A redis-server of this test's own, durable as docs/operations.md asks for production (AOF, fsync always).
    redis = await startOwnRedis();
    config = testConfig({ ...FAULT_ENV, REDIS_URL: redis.url });
    pool = createPool(config.DATABASE_URL, 2, silentLog);
  });
  afterAll(async () => {
    await procs.killAll();
    await redis?.close();
    await pool?.end();
  });

  it('answers 503 with Retry-After during the outage, reconnects by itself and stores every acknowledged comment', async () => {
    const t0 = Date.now();
    const api = await procs.spawn(config, { ROLE: 'api' }, API_READY);
    const worker = await procs.spawn(config, { ROLE: 'worker', WORKER_CONCURRENCY: '10' }, WORKER_READY);
    const baseUrl = `http://127.0.0.1:${loggedPort(api)}`;
    const articleId = `fault-redis-${randomUUID()}`;

    const load = startLoad({ targets: () => [baseUrl], articleId, parallel: 10, ratePerSec: 80 });
    await sleep(3000);
    const killedAt = Date.now();
    await redis.stop('SIGKILL'); // a crash: only what the AOF holds survives
    const goneAt = Date.now();
    await sleep(OUTAGE_MS);
    // The outage ends when redis-server is started again: the API may reconnect and acknowledge
    // before start() has seen its own PING answered (it polls every 50 ms; slower under load).
    const restartingAt = Date.now();
    await redis.start();
    const restartedAt = Date.now();
    await sleep(4000);
    load.stop();
    const results = await load.done;
    const acked = acknowledgedIds(results);
    await waitStored(pool, acked, 90000);

    const f = await figures(pool, articleId, results);
    const duringOutage = results.filter((r) => r.startedAt > goneAt && r.endedAt < restartingAt);
    const ackedBefore = results.filter((r) => r.outcome === 202 && r.endedAt <= killedAt).length;
    const after = results.filter((r) => r.outcome === 202 && r.startedAt > restartedAt);
    const firstAck = Math.min(...after.map((r) => r.endedAt));
    printFigures('redis restart (SIGKILL, 4 s down)', f, {
      ackedBeforeKill: ackedBefore,
      answeredDuringOutage: duringOutage.length,
      ackedAfterRestart: after.length,
      apiBackAfter: `${((firstAck - restartedAt) / 1000).toFixed(1)}s`,
      time: since(t0),
    });

    // During the outage: 503 with Retry-After, never a 202.
    expect(duringOutage.length).toBeGreaterThan(50);
    expect(duringOutage.filter((r) => r.outcome !== 503)).toEqual([]);
    expect(results.filter((r) => r.outcome === 503 && !r.retryAfter)).toEqual([]);
    // Nothing acknowledged was lost, nothing stored twice; API and worker came back by themselves.
    expect(ackedBefore).toBeGreaterThan(100);
    expect(after.length).toBeGreaterThan(50);
    expect(f.stored).toBe(f.acknowledged);
    expect(f.duplicates).toBe(0);
    expect(Object.keys(f.other)).toEqual([]);
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  });
});
