import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadSettings } from '../../../src/moderation/settings-store';
import { listFailedJobs, retryFailedJobs } from '../../../src/queue/dead-letters';
import { startWorker, type RunningWorker } from '../../../workers/moderation-worker';
import { silentLog } from '../../helpers/env';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';
import { envFor } from '../../helpers/processes';

jest.setTimeout(90000);

/** `scripts/jobs.ts` (what `npm run jobs:failed` / `jobs:retry` run, without the build) against this test's queue. */
function jobsCli(h: Harness, args: string[]): Promise<{ code: number | null; out: string }> {
  const root = path.resolve(__dirname, '../../..');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/jobs.ts'), ...args], { cwd: root, env: envFor(h.config) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Rows and first events of each stored comment among `ids`. */
async function stored(h: Harness, ids: string[]) {
  const { rows } = await h.pool.query<{ id: string; events: number }>(
    `SELECT c.id, (SELECT count(*)::int FROM moderation_events e WHERE e.comment_id = c.id AND e.from_status IS NULL) AS events
     FROM comments c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id`,
    [ids],
  );
  return rows;
}

describe('dead letters: jobs that exhausted their retries', () => {
  let h: Harness;
  let worker: RunningWorker;
  /** The cause every job fails on until the test clears it (think: a settings table that cannot be read). */
  let broken = true;
  const ids: string[] = [];
  const MALFORMED = `malformed-${randomUUID()}`;

  beforeAll(async () => {
    // Two attempts, 50 ms apart: jobs land in the failed set within a second.
    h = await startHarness({ worker: false, env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' } });
    const settings = async () => {
      if (broken) throw new Error('settings unavailable (test fault)');
      return (await loadSettings(h.pool)).settings;
    };
    worker = await startWorker(h.config, silentLog, { pool: h.pool, settings });
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('keeps jobs that failed for good in the failed set, listed without personal data', async () => {
    const articleId = `dead-${randomUUID()}`;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(articleId)) });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    // A payload no retry can fix: UnrecoverableError, failed at the first attempt.
    await h.api.producer.queue.add('moderate', { v: 1, comment: { id: 'not-a-comment' } } as never, { jobId: MALFORMED, attempts: 2 });
    await eventually(async () => (await h.api.producer.queue.getFailedCount()) === 5, 20000);

    const failed = await listFailedJobs(h.api.producer.queue);
    expect(failed.map((j) => j.id).sort()).toEqual([...ids, MALFORMED].sort());
    expect(failed.find((j) => j.id === ids[0])).toMatchObject({ articleId, attemptsMade: 2, failedReason: 'settings unavailable (test fault)' });
    expect(failed.find((j) => j.id === MALFORMED)).toMatchObject({ attemptsMade: 1, failedReason: 'malformed moderation job' });
    expect(JSON.stringify(failed)).not.toMatch(/@example\.org/);
    expect(await stored(h, ids)).toEqual([]);
  });

  it('shows them to admins on the queue dashboard', async () => {
    const { api } = await signedInClient(h, 'admin');
    const board = await api.get(`/admin/queues/api/queues?activeQueue=${h.config.QUEUE_NAME}&status=failed`);
    expect(board.status).toBe(200);
    const queue = (board.body.queues as { name: string; counts: Record<string, number>; jobs: { id: string }[] }[]).find((q) => q.name === h.config.QUEUE_NAME)!;
    expect(queue.counts.failed).toBe(5);
    expect(queue.jobs.map((j) => j.id).sort()).toEqual([...ids, MALFORMED].sort());
  });

  it('lists them with `jobs failed` on the command line', async () => {
    const { code, out } = await jobsCli(h, ['failed']);
    expect(code).toBe(0);
    for (const id of [...ids, MALFORMED]) expect(out).toContain(id);
    expect(out).toContain('reason=settings unavailable (test fault)');
  });

  it('retries one job once the cause is fixed, and stores its comment once', async () => {
    broken = false;
    expect(await retryFailedJobs(h.api.producer.queue, [ids[0]])).toEqual([ids[0]]);
    await eventually(async () => (await stored(h, [ids[0]])).length === 1);
    expect(await h.api.producer.queue.getFailedCount()).toBe(4);
  });

  it('retries one job with `jobs retry <id>` and one from the dashboard', async () => {
    const cli = await jobsCli(h, ['retry', ids[1]]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`re-queued 1 job(s): ${ids[1]}`);
    const { api } = await signedInClient(h, 'admin');
    expect((await api.put(`/admin/queues/api/queues/${h.config.QUEUE_NAME}/${ids[2]}/retry`, {})).status).toBe(204);
    await eventually(async () => (await stored(h, [ids[1], ids[2]])).length === 2);
  });

  it('retries all with `jobs retry --all`: every comment ends up stored once; the malformed job fails again', async () => {
    const cli = await jobsCli(h, ['retry', '--all']);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/re-queued 2 job\(s\)/);
    await eventually(async () => (await stored(h, ids)).length === 4);
    await eventually(async () => (await h.api.producer.queue.getFailedCount()) === 1);
    expect((await listFailedJobs(h.api.producer.queue)).map((j) => j.id)).toEqual([MALFORMED]);

    // Replaying everything again is harmless: nothing is stored twice.
    await retryFailedJobs(h.api.producer.queue, 'all');
    await eventually(async () => (await h.api.producer.queue.getFailedCount()) === 1);
    expect(await stored(h, ids)).toEqual(ids.map((id) => ({ id, events: 1 })).sort((a, b) => a.id.localeCompare(b.id)));
  });
});
