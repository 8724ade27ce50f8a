import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { CommentInput, RequestContext } from '../moderation/types';
import { ServiceUnavailableError } from '../errors';

/** The queue every comment travels through, API → worker. */
export const MODERATION_QUEUE = 'comments';

/** A job: the submission as the API accepted it, and what the API saw of the request. */
export interface ModerationJob {
  v: 1;
  comment: CommentInput;
  request: RequestContext;
}

export interface QueueSettings {
  redisUrl: string;
  prefix: string;
  name: string;
  attempts: number;
  backoffMs: number;
  enqueueTimeoutMs: number;
}

/**
 * Job options: the job id is the comment id (a re-enqueue is deduplicated), retries back off
 * exponentially over long enough to ride out a database restart (attempts 14 at 1 s ≈ 4.5 h in all),
 * completed jobs go (the row in Postgres is the record), failed ones stay to be replayed.
 */
export function jobOptions(s: Pick<QueueSettings, 'attempts' | 'backoffMs'>, commentId: string): JobsOptions {
  return {
    jobId: commentId,
    attempts: s.attempts,
    backoff: { type: 'exponential', delay: s.backoffMs },
    removeOnComplete: { age: 3600, count: 10000 },
    removeOnFail: false,
  };
}

/**
 * Redis options for connections that must fail fast instead of buffering (the API's). Their writes
 * are coalesced (see coalesceWrites): each submit's flood check, say, would otherwise cost a write
 * system call of its own.
 */
export function producerRedis(url: string): Redis {
  // Reconnect quickly (at most every 500 ms): while the connection is down every submit is a 503.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false, retryStrategy: (times) => Math.min(times * 100, 500) });
  redis.on('connect', () => coalesceWrites(redis.stream));
  return redis;
}

/**
 * Sends everything written to `stream` during one turn of the event loop as one write: the first
 * write of a turn corks the socket and the end of the turn (setImmediate) uncorks it. Commands are
 * delayed by at most the rest of that turn. Under load, the requests handled in one turn share one
 * system call to Redis instead of making one each (on a 2-core VM a loopback write measured about
 * 50 µs of the API's CPU: a quarter of a bare Express request). A new socket (reconnect) is
 * wrapped again on its 'connect'.
 */
export function coalesceWrites(stream: Redis['stream']): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  const write = stream.write;
  stream.write = function (this: typeof stream, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      stream.cork();
      setImmediate(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof stream.write;
}

/**
 * Redis options for blocking consumers (BullMQ workers need maxRetriesPerRequest: null). Writes are
 * coalesced: the jobs of a committed batch finish together, and their completions then share one
 * system call (BullMQ's blocking connection is a duplicate, left as it is).
 */
export function workerRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  redis.on('connect', () => coalesceWrites(redis.stream));
  return redis;
}

/**
 * Closes a connection without hanging: QUIT when it is up (pending replies drain), a hard
 * disconnect when it is not (QUIT would wait for a reconnect that may never come).
 */
export async function closeRedis(connection: Redis, timeoutMs = 1000): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    connection.quit().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  // QUIT did not finish in time: drop the socket.
  if ((connection.status as string) !== 'end') connection.disconnect();
}

export type SubmitterQueueState = 'queued' | 'failed' | 'unknown';

/** The API's side of the queue: enqueue with a deadline, and look a job up for the status endpoint. */
export interface Producer {
  /** Resolves once Redis holds the job (or already held one with this comment id); 503 otherwise. */
  enqueue(job: ModerationJob): Promise<void>;
  jobState(commentId: string): Promise<SubmitterQueueState>;
  queue: Queue<ModerationJob>;
  close(): Promise<void>;
}

/** Most jobs one addBulk carries; a fuller batch is sent at once. */
export const MAX_BATCH = 200;
/** addBulk calls in flight at once; further enqueues wait for one to finish and go together. */
const MAX_IN_FLIGHT = 2;

interface PendingAdd {
  job: ModerationJob;
  at: number;
  settle: (err?: Error) => void;
}

/**
 * The producer. Enqueues are micro-batched: those made in the same turn of the event loop (under
 * load, the requests whose flood checks Redis answered together), or while MAX_IN_FLIGHT batches
 * are on their way, go to Redis as one `addBulk` (one pipelined round trip instead of one per
 * comment), and each caller is answered only after its batch is in Redis. What stays as it was:
 * - the job id is the comment id, and addBulk runs BullMQ's add script for each job in turn, so a
 *   job id already in Redis (or twice in one batch) is still stored once;
 * - Redis not ready → 503 at once; no answer within `enqueueTimeoutMs` of the call → 503, and a
 *   failed batch answers 503 to every caller in it (some of those jobs may be in Redis after all,
 *   as with a timed-out single add: a 503 asks for a retry, which the job id dedupes when the
 *   submit carries an Idempotency-Key; it is never a false 202).
 */
export function createProducer(s: QueueSettings): Producer {
  const connection = producerRedis(s.redisUrl);
  connection.on('error', () => undefined); // surfaced per request as 503; logged by readiness checks
  const queue = new Queue<ModerationJob>(s.name, { connection, prefix: s.prefix });
  queue.on('error', () => undefined);

  let waiting: PendingAdd[] = [];
  let scheduled = false;
  let inFlight = 0;

  const flush = () => {
    scheduled = false;
    while (waiting.length && inFlight < MAX_IN_FLIGHT) {
      const batch = waiting.length <= MAX_BATCH ? waiting : waiting.slice(0, MAX_BATCH);
      waiting = waiting.length <= MAX_BATCH ? [] : waiting.slice(MAX_BATCH);
      send(batch);
    }
  };

  const send = (queued: PendingAdd[]) => {
    // A caller whose deadline passed while it waited for a slot is answered 503 and not sent: sent,
    // its job could still land in Redis and be stored, and a 503 must mean "not taken".
    const now = Date.now();
    const batch = queued.filter((p) => now - p.at < s.enqueueTimeoutMs);
    for (const p of queued) if (!batch.includes(p)) p.settle(new ServiceUnavailableError(2));
    if (batch.length === 0) return;
    inFlight += 1;
    // The batch leaves the in-flight count when Redis answers or when its deadline passes, whichever
    // is first, so a hung Redis cannot hold up the enqueues behind it past their own deadlines.
    let released = false;
    const release = (err?: Error) => {
      for (const p of batch) p.settle(err);
      if (released) return;
      released = true;
      clearTimeout(timer);
      inFlight -= 1;
      if (waiting.length && !scheduled) flush();
    };
    // One deadline for the batch, from its oldest caller's enqueue. Decided from setImmediate, after
    // the event loop's poll phase: when the process was too busy to run for a while, Redis's answer
    // may be waiting in the socket as the timer fires (timers run before I/O is read), and answering
    // 503 then would be false: the jobs are in Redis and would be stored.
    const timer = setTimeout(
      () => setImmediate(() => release(new ServiceUnavailableError(2))),
      Math.max(0, s.enqueueTimeoutMs - (now - batch[0].at)),
    );
    queue
      .addBulk(batch.map((p) => ({ name: 'moderate', data: p.job, opts: jobOptions(s, p.job.comment.id) })))
      .then(
        () => release(),
        () => release(new ServiceUnavailableError(2)),
      );
  };

  return {
    queue,
    enqueue(job) {
      if (connection.status !== 'ready') return Promise.reject(new ServiceUnavailableError(2));
      return new Promise<void>((resolve, reject) => {
        let done = false;
        waiting.push({
          job,
          at: Date.now(),
          settle: (err) => {
            if (done) return;
            done = true;
            if (err) reject(err);
            else resolve();
          },
        });
        if (waiting.length >= MAX_BATCH && inFlight < MAX_IN_FLIGHT) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async jobState(commentId) {
      const job = await queue.getJob(commentId);
      if (!job) return 'unknown';
      const state = await job.getState();
      return state === 'failed' ? 'failed' : state === 'completed' ? 'unknown' : 'queued';
    },
    async close() {
      if (connection.status === 'ready') await queue.close();
      else void queue.close().catch(() => undefined);
      await closeRedis(connection);
    },
  };
}
