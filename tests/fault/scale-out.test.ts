import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config';
import { createPool, type Pool } from '../../src/db/pool';
import { obliterateQueue } from '../helpers/harness';
import { silentLog, testConfig } from '../helpers/env';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import { loggedPort } from '../helpers/processes';
import { answeredProperly, API_READY, expectExactlyOnce, FAULT_ENV, Processes, since, WORKER_READY } from './support';

jest.setTimeout(240000);

describe('fault: scale-out', () => {
  let config: Config;
  let pool: Pool;
  const procs = new Processes();
  beforeAll(() => {
    config = testConfig(FAULT_ENV);
    pool = createPool(config.DATABASE_URL, 2, silentLog);
  });
  afterAll(async () => {
    await procs.killAll();
    await obliterateQueue(config);
    await pool?.end();
  });

  it('stores each comment exactly once with two API and two worker processes on one queue and database', async () => {
    const t0 = Date.now();
    const [apiA, apiB] = await Promise.all([procs.spawn(config, { ROLE: 'api' }, API_READY), procs.spawn(config, { ROLE: 'api' }, API_READY)]);
    const workers = await Promise.all([0, 1].map(() => procs.spawn(config, { ROLE: 'worker', WORKER_CONCURRENCY: '10' }, WORKER_READY)));
    const targets = [apiA, apiB].map((p) => `http://127.0.0.1:${loggedPort(p)}`);
    const articleId = `fault-scale-${randomUUID()}`;

    const results = await startLoad({ targets: () => targets, articleId, total: 3000, parallel: 24 }).done;
    const acked = acknowledgedIds(results);
    await waitStored(pool, acked, 90000);

    const f = await figures(pool, articleId, results);
    const perApi = targets.map((t) => results.filter((r) => r.target === t && r.outcome === 202).length);
    printFigures('scale-out (2 API + 2 worker processes)', f, {
      ackedPerApi: perApi.join('/'),
      jobLinesPerWorker: workers.map((w) => (w.output().match(/"jobId"/g) ?? []).length).join('/'),
      time: since(t0),
    });

    // Round robin: each API was sent half, and each acknowledged some (the rest refused honestly).
    expect(targets.map((t) => results.filter((r) => r.target === t).length)).toEqual([1500, 1500]);
    expect(perApi.every((n) => n > 0)).toBe(true);
    expect(f.submitted).toBe(3000);
    expect(results.filter((r) => !answeredProperly(r))).toEqual([]);
    expectExactlyOnce(f, results);
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
  });
});
