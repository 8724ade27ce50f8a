import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { answered, answeredProperly, expectExactlyOnce, FAULT_ENV, Processes, since, sleep, WORKER_READY } from './support';

jest.setTimeout(240000);

const OUTAGE_MS = 20000;
/** Comments the API must acknowledge while the worker cannot reach Postgres (the outage lasts until it has). */
const ACKED_DURING = 500;

describe('fault: Postgres outage', () => {
  let h: Harness;
  let proxy: TcpProxy;
  const procs = new Processes();
  beforeAll(async () => {
    // The API reaches Postgres directly; the worker through a proxy this test cuts. The machine's
    // Postgres itself is never stopped.
    h = await startHarness({ worker: false, env: FAULT_ENV });
    const db = new URL(h.config.DATABASE_URL);
    proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
  });
  afterAll(async () => {
    await procs.killAll();
    await proxy?.close();
    await h?.close();
  });

  it('keeps acknowledging during a 20 s outage and stores every comment once after it, by itself', async () => {
    const t0 = Date.now();
    const viaProxy = new URL(h.config.DATABASE_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const worker = await procs.spawn(h.config, { ROLE: 'worker', WORKER_CONCURRENCY: '10', DATABASE_URL: viaProxy.href }, WORKER_READY);
    const articleId = `fault-pg-${randomUUID()}`;

    const load = startLoad({ targets: () => [h.baseUrl], articleId, parallel: 10, ratePerSec: 60 });
    await answered(load, (r) => r.outcome === 202, 100);
    const cutAt = Date.now();
    await proxy.cut();
    // At least OUTAGE_MS, and until the API has acknowledged ACKED_DURING comments in it (a busy
    // machine answers fewer per second; the API must keep acknowledging, which the deadline checks).
    await sleep(OUTAGE_MS);
    await answered(load, (r) => r.outcome === 202 && r.startedAt > cutAt, ACKED_DURING, 90000);
    const storedDuringOutage = (await h.pool.query('SELECT count(*)::int AS n FROM comments WHERE article_id = $1 AND decided_at > $2', [articleId, new Date(cutAt + 1000)])).rows[0].n;
    await proxy.restore();
    const restoredAt = Date.now();
    await answered(load, (r) => r.outcome === 202 && r.startedAt > restoredAt, 100);
    load.stop();
    const results = await load.done;
    const acked = acknowledgedIds(results);
    await waitStored(h.pool, acked, 90000);
    const drained = since(restoredAt);

    const f = await figures(h.pool, articleId, results);
    const ackedDuringOutage = results.filter((r) => r.outcome === 202 && r.startedAt > cutAt && r.endedAt < restoredAt).length;
    const retries = (worker.output().match(/job failed, will retry/g) ?? []).length;
    printFigures('postgres outage (20 s)', f, { ackedDuringOutage, workerRetries: retries, drainedAfterRestore: drained, time: since(t0) });

    expect(ackedDuringOutage).toBeGreaterThanOrEqual(ACKED_DURING);
    expect(storedDuringOutage).toBe(0); // the worker really was cut off
    expect(retries).toBeGreaterThan(0); // jobs failed and were retried with backoff
    // The API never depends on Postgres to accept: no 500 or 'database' error, only 202s and honest
    // refusals (an enqueue that missed its deadline on a busy machine: 503 queue_unavailable).
    expect(results.filter((r) => !answeredProperly(r))).toEqual([]);
    expectExactlyOnce(f, results);
    expect(await h.api.producer.queue.getFailedCount()).toBe(0);
  });
});
