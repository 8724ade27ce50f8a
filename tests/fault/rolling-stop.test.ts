import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';
import { acknowledgedIds, figures, printFigures, startLoad, waitStored } from '../helpers/load';
import { loggedPort } from '../helpers/processes';
import { API_READY, FAULT_ENV, Processes, since, sleep } from './support';

jest.setTimeout(240000);

/** What a client may see from an API that is stopping: an answer, a 503, or no connection at all. */
const CLEAN = new Set<number | string>([202, 503, 'ECONNREFUSED']);

describe('fault: rolling stop of the API', () => {
  let h: Harness;
  const procs = new Processes();
  beforeAll(async () => {
    h = await startHarness({ env: FAULT_ENV }); // an in-process worker stores what the API child accepted
  });
  afterAll(async () => {
    await procs.killAll();
    await h?.close();
  });

  it('finishes requests in flight on SIGTERM, refuses new ones cleanly, exits 0, and loses no 202', async () => {
    const t0 = Date.now();
    const api = await procs.spawn(h.config, { ROLE: 'api' }, API_READY);
    const baseUrl = `http://127.0.0.1:${loggedPort(api)}`;
    const articleId = `fault-stop-${randomUUID()}`;

    const load = startLoad({ targets: () => [baseUrl], articleId, parallel: 20 });
    await sleep(3000);
    const termAt = Date.now();
    api.child.kill('SIGTERM');
    const code = await api.exited;
    const exitedAt = Date.now();
    await sleep(1500);
    load.stop();
    const results = await load.done;
    await waitStored(h.pool, acknowledgedIds(results), 60000);

    const f = await figures(h.pool, articleId, results);
    const unclean = results.filter((r) => !CLEAN.has(r.outcome));
    const refused = results.filter((r) => r.outcome === 'ECONNREFUSED').length;
    const inFlightAtTerm = results.filter((r) => r.startedAt < termAt && r.endedAt > termAt);
    printFigures('rolling stop (SIGTERM to the API under load)', f, {
      exitCode: code,
      inFlightAtSigterm: inFlightAtTerm.length,
      connectionRefused: refused,
      unclean: unclean.length,
      stoppedIn: `${exitedAt - termAt}ms`,
      time: since(t0),
    });

    expect(code).toBe(0);
    expect(inFlightAtTerm.length).toBeGreaterThan(0);
    expect(inFlightAtTerm.filter((r) => r.outcome !== 202)).toEqual([]); // requests in flight complete
    expect(unclean).toEqual([]);
    expect(refused).toBeGreaterThan(0); // and later ones found nobody listening
    expect(f.acknowledged).toBeGreaterThan(100);
    expect(f.stored).toBe(f.acknowledged);
    expect(f.duplicates).toBe(0);
  });
});
