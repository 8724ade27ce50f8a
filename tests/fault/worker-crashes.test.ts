import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import type { ServiceProcess } from '../helpers/processes';
import { answeredProperly, expectExactlyOnce, FAULT_ENV, Processes, since, WORKER_READY } from './support';

jest.setTimeout(240000);

describe('fault: worker crashes', () => {
  let h: Harness;
  const procs = new Processes();
  beforeAll(async () => {
    h = await startHarness({ worker: false, env: FAULT_ENV });
  });
  afterAll(async () => {
    await procs.killAll();
    await h?.close();
  });

  it('stores 5,000 acknowledged comments exactly once while the worker is SIGKILLed three times', async () => {
    const t0 = Date.now();
    const workerEnv = { ROLE: 'worker', WORKER_CONCURRENCY: '10' };
    let worker: ServiceProcess = await procs.spawn(h.config, workerEnv, WORKER_READY);
    const articleId = `fault-crash-${randomUUID()}`;
    const killAt = [1000, 2500, 4000];
    const inFlightAtKill: number[] = [];
    let crashes = Promise.resolve();

    const load = startLoad({
      targets: () => [h.baseUrl],
      articleId,
      total: 5000,
      parallel: 25,
      onProgress: (answered) => {
        if (answered !== killAt[inFlightAtKill.length]) return;
        inFlightAtKill.push(-1);
        const slot = inFlightAtKill.length - 1;
        // One crash after another: kill the running worker mid-work, start a fresh one.
        crashes = crashes.then(async () => {
          inFlightAtKill[slot] = await h.api.producer.queue.getActiveCount();
          worker.child.kill('SIGKILL');
          await worker.exited;
          worker = await procs.spawn(h.config, workerEnv, WORKER_READY);
        });
      },
    });
    const results = await load.done;
    await crashes;
    const acked = acknowledgedIds(results);
    await waitStored(h.pool, acked, 120000);

    const f = await figures(h.pool, articleId, results);
    printFigures('worker crashes (3 x SIGKILL)', f, { activeJobsAtKills: inFlightAtKill.join('/'), time: since(t0) });
    expect(inFlightAtKill).toHaveLength(3);
    expect(f.submitted).toBe(5000);
    // Worker crashes are invisible to clients: every submit is acknowledged, or (on a busy machine,
    // when an enqueue misses its deadline) refused honestly with Retry-After. Never cut off, never a 500.
    expect(results.filter((r) => !answeredProperly(r))).toEqual([]);
    expect(f.acknowledged).toBeGreaterThan(0);
    expectExactlyOnce(f, results);
    expect(await h.api.producer.queue.getFailedCount()).toBe(0);
  });
});
