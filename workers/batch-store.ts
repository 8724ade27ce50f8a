import { insertDecidedComments, type DecidedComment } from '../src/db/comment-repository';
import { isTransientDbError, type Pool } from '../src/db/pool';
import type { Logger } from '../src/logger';
import { createBatchLoader, type BatchLoaderOptions } from '../src/lib/batch-loader';

/** Stores one decided comment; resolves true when this call stored it, false when it was already stored. */
export type StoreDecided = (item: DecidedComment) => Promise<boolean>;

/**
 * Group commit for decided comments: the comments that concurrent jobs decided are stored by one
 * statement per batch (src/db/comment-repository.ts insertDecidedComments: rows and first events, atomically,
 * ON CONFLICT (id) DO NOTHING), and each job's promise settles only after that statement
 * committed, so BullMQ marks a job completed only once its row is in Postgres. Exactly once holds
 * for a batch of one: a job re-run after a crash finds its row and writes nothing.
 *
 * A batch that fails because the database is away fails every job in it (BullMQ retries them with
 * backoff). A batch that fails for any other reason is stored again one comment at a time, so a
 * comment Postgres refuses fails its own job only, not the jobs that happened to share its batch.
 */
export function createBatchStore(pool: Pool, log: Logger, opts: BatchLoaderOptions = { maxBatch: 200, maxInFlight: 3 }): StoreDecided {
  return createBatchLoader<DecidedComment, boolean>(async (items) => {
    // The same comment twice in one batch (a stalled job re-run beside its first run): store it once.
    const first = new Map<string, DecidedComment>();
    for (const item of items) if (!first.has(item.comment.id)) first.set(item.comment.id, item);
    const unique = [...first.values()];
    let stored: Set<string>;
    const started = performance.now();
    try {
      stored = await insertDecidedComments(pool, unique);
    } catch (err) {
      if (isTransientDbError(err) || unique.length === 1) throw err;
      log.warn({ err: (err as Error).message, batch: unique.length }, 'batch store failed, storing one by one');
      return storeOneByOne(pool, items);
    }
    // One info line per batch, naming each comment and its status (ids only: no personal data), so
    // an operator can still find what became of a comment; the per-comment line is at debug.
    log.info(
      {
        comments: items.length,
        stored: stored.size,
        statuses: countStatuses(unique, stored),
        ms: Math.round(performance.now() - started),
        decided: unique.map((item) => ({ commentId: item.comment.id, status: item.decision.status, stored: stored.has(item.comment.id) })),
      },
      'batch stored',
    );
    return items.map((item) => first.get(item.comment.id) === item && stored.has(item.comment.id));
  }, opts);
}

async function storeOneByOne(pool: Pool, items: readonly DecidedComment[]): Promise<(boolean | Error)[]> {
  const answers: (boolean | Error)[] = [];
  for (const item of items) {
    try {
      answers.push((await insertDecidedComments(pool, [item])).has(item.comment.id));
    } catch (err) {
      answers.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return answers;
}

/** How many of the stored comments got each status (the batch's info line). */
function countStatuses(items: readonly DecidedComment[], stored: ReadonlySet<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) if (stored.has(item.comment.id)) counts[item.decision.status] = (counts[item.decision.status] ?? 0) + 1;
  return counts;
}
