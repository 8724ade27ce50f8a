import { readFileSync } from 'node:fs';
import { insertDecidedComments, type DecidedComment } from '../src/db/comment-repository';
import { authorHistories, countCampaigns, findDuplicates } from '../src/db/history-repository';
import { createPool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { STATELESS_CHECKS } from '../src/moderation/checks';
import { fingerprintBody, NEAR_DUPLICATE_MATCHES } from '../src/moderation/fingerprint';
import { decide, decisiveReasons, runChecks } from '../src/moderation/pipeline';
import { mergeSettings } from '../src/moderation/settings';
import type { CheckContext } from '../src/moderation/types';
import { queuedJob } from './lib/comments';

/**
 * Postgres CPU per comment of each of the worker's batch statements, on a database of your choice
 * (e.g. one kept by `BENCH_KEEP_DB=1 BENCH_STAGES=drain npm run bench`): the backend's own CPU time
 * (/proc, so Postgres must run on this machine) around `rounds` batches of `batch` fresh bench
 * comments per statement. The insert really inserts them (article `statement-cost`).
 *
 *   node dist/bench/statement-cost.js <database-url> [batch=50] [rounds=20] [duplicate,campaign,author,insert]
 */
async function main(): Promise<void> {
  const [url, batchArg, roundsArg, kindsArg] = process.argv.slice(2);
  if (!url) throw new Error('usage: statement-cost <database-url> [batch] [rounds] [kinds]');
  const size = Number(batchArg ?? 50);
  const rounds = Number(roundsArg ?? 20);
  const pool = createPool(url, 1, createLogger('silent'));
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = rows[0].pid;
  const settings = mergeSettings({});

  const batch = async (): Promise<DecidedComment[]> =>
    Promise.all(
      Array.from({ length: size }, async () => {
        const { comment, request } = queuedJob('statement-cost');
        const ctx = { comment, request, settings, now: new Date(), formTokenSecret: 'statement-cost-secret-0123456789' } as CheckContext;
        const decision = decide(await runChecks(STATELESS_CHECKS, ctx), settings);
        return { comment, request, decision, fingerprint: fingerprintBody(comment.body), eventReasons: decisiveReasons(decision.verdicts) };
      }),
    );
  const statements: Record<string, (items: DecidedComment[]) => Promise<unknown>> = {
    duplicate: (items) => findDuplicates(pool, items.map((x) => x.comment), items.map((x) => x.fingerprint.hash)),
    campaign: (items) =>
      countCampaigns(pool, items.map((x) => ({ fingerprint: x.fingerprint, since: new Date(Date.now() - 86_400_000), commentId: x.comment.id, email: x.comment.authorEmail, ip: x.request.ip, minMatches: NEAR_DUPLICATE_MATCHES }))),
    author: (items) => authorHistories(pool, items.map((x) => ({ email: x.comment.authorEmail, ip: x.request.ip, url: null, ipSince: new Date(Date.now() - 30 * 86_400_000) }))),
    insert: (items) => insertDecidedComments(pool, items),
  };
  const kinds = kindsArg ? kindsArg.split(',') : Object.keys(statements);
  try {
    for (const kind of kinds) {
      const run = statements[kind];
      if (!run) throw new Error(`unknown statement ${kind}`);
      await run(await batch()); // prepares the statement on this connection
      let cpu = 0;
      let wall = 0;
      for (let r = 0; r < rounds; r++) {
        const items = await batch();
        const cpuBefore = cpuMs(backend);
        const started = performance.now();
        await run(items);
        wall += performance.now() - started;
        cpu += cpuMs(backend) - cpuBefore;
      }
      const per = (ms: number) => ((ms * 1000) / (size * rounds)).toFixed(0).padStart(5);
      process.stdout.write(`${kind.padEnd(10)} Postgres backend CPU ${per(cpu)} us/comment, wall ${per(wall)} us/comment\n`);
    }
  } finally {
    await pool.end();
  }
}

/** CPU time (user + system) of a process so far, in ms (clock ticks of 10 ms: use enough rounds). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

main().catch((err: Error) => {
  process.stderr.write(`statement-cost failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
