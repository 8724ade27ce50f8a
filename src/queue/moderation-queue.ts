import { Job, Queue, UnrecoverableError, Worker, type JobsOptions, type Processor } from 'bullmq';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { Redis } from 'ioredis';
import { connectRedis, isCluster, waitForReplicas, type ClusterNode, type RedisClient, type RedisTarget } from './redis-connection';
import type { CommentInput, RequestContext } from '../moderation/types';
import { ServiceUnavailableError } from '../errors';
import { createBatchLoader } from '../lib/batch-loader';
import { admissionOf, defineAdmissionCommands, giveBack, queueAdmit, queueAdmitEnd, type Admission, type AdmissionGate } from './admission';

/** A job: the submission as the API accepted it, and what the API saw of the request. */
export interface ModerationJob {
  v: 1;
  comment: CommentInput;
  request: RequestContext;
}

export interface QueueSettings {
  redisUrl: string;
  /** Redis Cluster seed nodes (REDIS_CLUSTER_NODES); the prefix then holds a hash tag. */
  redisCluster?: readonly ClusterNode[];
  /**
   * Replicas that must hold a batch before its submits are acknowledged (REDIS_WAIT_REPLICAS; 0: the
   * master's word is enough). Redis replicates asynchronously: a master that dies right after
   * answering may take the last writes with it when its replica takes over; WAIT closes that gap.
   */
  waitReplicas?: number;
  prefix: string;
  name: string;
  attempts: number;
  backoffMs: number;
  enqueueTimeoutMs: number;
}

/**
 * Job options: the job id is the comment id (a re-enqueue is deduplicated), retries back off
 * exponentially over long enough to ride out a database restart (attempts 14 at 1 s ≈ 4.5 h in all),
 * failed ones stay to be replayed (./personal-data.ts reaches them for erasure and IP retention).
 *
 * A completed job is removed at once, with the commenter's data it carries: the row in Postgres is
 * the record. The job id then no longer deduplicates a re-add of the same comment (a retried submit
 * whose Idempotency-Key answer has expired, a replay): the re-added job runs again and the store,
 * keyed by the comment id (INSERT … ON CONFLICT DO NOTHING), writes nothing, so each comment is
 * still stored once.
 */
export function jobOptions(s: Pick<QueueSettings, 'attempts' | 'backoffMs'>, commentId: string): JobsOptions {
  return {
    jobId: commentId,
    attempts: s.attempts,
    backoff: { type: 'exponential', delay: s.backoffMs },
    removeOnComplete: true,
    removeOnFail: false,
  };
}

/**
 * Redis options for connections that must fail fast instead of buffering (the API's). Their writes
 * are coalesced (see coalesceWrites): each submit's flood check, say, would otherwise cost a write
 * system call of its own.
 */
export function producerRedis(target: RedisTarget): RedisClient {
  // Reconnect quickly (at most every 500 ms): while the connection is down every submit is a 503.
  const redis = connectRedis(target, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false, retryStrategy: (times) => Math.min(times * 100, 500) });
  if (!isCluster(redis)) redis.on('connect', () => coalesceWrites(redis.stream));
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
export function workerRedis(target: RedisTarget): RedisClient {
  const redis = connectRedis(target, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  if (!isCluster(redis)) redis.on('connect', () => coalesceWrites(redis.stream));
  return redis;
}

/**
 * Closes a connection without hanging: QUIT when it is up (pending replies drain), a hard
 * disconnect when it is not (QUIT would wait for a reconnect that may never come).
 */
export async function closeRedis(connection: RedisClient, timeoutMs = 1000): Promise<void> {
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

/** A queue handle on an existing connection, outside the producer: the worker's housekeeping (IP retention, erasure), `npm run jobs:*`. */
export function queueHandle(connection: RedisClient, prefix: string, name: string): Queue<ModerationJob> {
  const queue = new Queue<ModerationJob>(name, { connection, prefix });
  queue.on('error', () => undefined); // the connection's own error listener logs
  return queue;
}

export type SubmitterQueueState = 'queued' | 'failed' | 'unknown';

/** The API's side of the queue: enqueue with a deadline, and look a job up for the status endpoint. */
export interface Producer {
  /**
   * Resolves once Redis holds the job (or already held one with this comment id); 503 otherwise.
   * With a gate (flood control, ./admission.ts), its counters are checked and counted in the same
   * transaction as the add: refused, nothing is added (`admitted: false`).
   */
  enqueue(job: ModerationJob, gate?: AdmissionGate): Promise<Admission>;
  /** Gives back the points an admitted job counted (its answer failed after all). */
  giveBack(counted: string[]): Promise<void>;
  jobState(commentId: string): Promise<SubmitterQueueState>;
  queue: Queue<ModerationJob>;
  close(): Promise<void>;
}

/** Most jobs one addBulk carries; a fuller batch is sent at once. */
export const MAX_BATCH = 200;
/** addBulk calls in flight at once; further enqueues wait for one to finish and go together. */
const MAX_IN_FLIGHT = 2;

/**
 * The producer. Enqueues are micro-batched (../lib/batch-loader.ts, as the worker's database work
 * is): those made in the same turn of the event loop (under load, the requests whose flood checks
 * Redis answered together), or while MAX_IN_FLIGHT batches are on their way, go to Redis as one `addBulk` (one pipelined round trip instead of one per
 * comment), and each caller is answered only after its batch is in Redis. What stays as it was:
 * - the job id is the comment id, and addBulk runs BullMQ's add script for each job in turn, so a
 *   job id already in Redis (or twice in one batch) is still stored once;
 * - Redis not ready → 503 at once; no answer within `enqueueTimeoutMs` of the call → 503, and a
 *   failed batch answers 503 to every caller in it (some of those jobs may be in Redis after all,
 *   as with a timed-out single add: a 503 asks for a retry, which the job id dedupes when the
 *   submit carries an Idempotency-Key; it is never a false 202).
 */
export function createProducer(s: QueueSettings): Producer {
  const connection = producerRedis(s.redisCluster?.length ? { url: s.redisUrl, clusterNodes: s.redisCluster } : s.redisUrl);
  connection.on('error', () => undefined); // surfaced per request as 503; logged by readiness checks
  const queue = new Queue<ModerationJob>(s.name, { connection, prefix: s.prefix });
  queue.on('error', () => undefined);

  // One MULTI per batch: each job's admission gate (when it has one) and its add (BullMQ's own add
  // script, as addBulk would run it), then the gates' end; a batch not in Redis within enqueueTimeoutMs
  // of its oldest caller is a 503 for every caller in it, and frees its place so the enqueues behind
  // it still meet their deadlines.
  const add = createBatchLoader<{ job: ModerationJob; gate?: AdmissionGate }, Admission>(
    async (entries) => {
      // BullMQ's own client (its scripts are defined on it), as ioredis: the MULTI below is ioredis's.
      const client = (await queue.getBackend().client) as unknown as RedisClient;
      defineAdmissionCommands(client);
      const multi = client.multi();
      const replyAt: number[] = [];
      const gated: string[] = [];
      let at = 0;
      for (const { job, gate } of entries) {
        const id = job.comment.id;
        const jobKey = `${s.prefix}:${s.name}:${id}`;
        if (gate) {
          queueAdmit(multi, jobKey, gate);
          gated.push(jobKey);
        }
        replyAt.push(at);
        // Queued on the MULTI at once (the promise settles with exec); its failure shows in exec's replies.
        new Job<ModerationJob>(queue, 'moderate', job, jobOptions(s, id), id).addJob(multi as unknown as Parameters<Job['addJob']>[0]).catch(() => undefined);
        at += gate ? 2 : 1;
      }
      if (gated.length) queueAdmitEnd(multi, gated);
      const replies = await multi.exec();
      if (!replies) throw new ServiceUnavailableError(2); // the transaction was discarded
      if (s.waitReplicas) {
        // Not yet on enough replicas: a 503 (the reader sends again; an Idempotency-Key makes it the
        // same comment), never a 202 that a failover could take back.
        const firstKey = `${s.prefix}:${s.name}:${entries[0].job.comment.id}`;
        const held = await waitForReplicas(client, firstKey, s.waitReplicas, Math.max(50, Math.floor(s.enqueueTimeoutMs / 2))).catch(() => 0);
        if (held < s.waitReplicas) return entries.map(() => new ServiceUnavailableError(2));
      }
      return entries.map(({ gate }, i) => {
        const first = replies[replyAt[i]];
        const added = gate ? replies[replyAt[i] + 1] : first;
        if (first[0] || added[0]) return new ServiceUnavailableError(2);
        return gate ? admissionOf(first[1], gate) : { admitted: true as const, counted: [] };
      });
    },
    { maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT, deadline: { ms: s.enqueueTimeoutMs, error: () => new ServiceUnavailableError(2) } },
  );

  return {
    queue,
    enqueue(job, gate) {
      if (connection.status !== 'ready') return Promise.reject(new ServiceUnavailableError(2));
      // A batch that Redis refused is a 503 for each of its callers, never a false 202.
      return add({ job, gate }).catch((err: unknown) => {
        throw err instanceof ServiceUnavailableError ? err : new ServiceUnavailableError(2);
      });
    },
    async giveBack(counted) {
      if (counted.length && connection.status === 'ready') await giveBack(connection, counted);
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

/** A job of the moderation queue, as a worker's processor receives it. */
export type ModerationQueueJob = Job<ModerationJob>;

/** Thrown by a processor for a job that can never succeed: it fails at once, without retries, and stays in the failed set. */
export { UnrecoverableError };

/** How a worker process consumes the queue. */
export interface ConsumerSettings {
  prefix: string;
  name: string;
  /** Jobs at once in this process (WORKER_CONCURRENCY). */
  concurrency: number;
  /** A crashed worker's jobs return to the queue after this (WORKER_LOCK_MS). */
  lockMs: number;
}

/**
 * The queue's consumer. A job's lock lasts `lockMs` and is checked as often: a worker killed mid-job
 * gives its jobs back after that. A job may stall (its worker die) 20 times before it fails, so repeated
 * crashes lose nothing; the store is keyed by the comment id, so a re-run stores nothing twice.
 */
export function createConsumer(connection: RedisClient, s: ConsumerSettings, processor: Processor<ModerationJob>): Worker<ModerationJob> {
  return new Worker<ModerationJob>(s.name, processor, {
    connection,
    prefix: s.prefix,
    concurrency: s.concurrency,
    lockDuration: s.lockMs,
    stalledInterval: s.lockMs,
    maxStalledCount: 20,
    autorun: true,
  });
}

/** Whether a failure is the job's last: its attempts are used up, or it can never succeed. */
export function isFinalFailure(job: ModerationQueueJob, err: Error): boolean {
  return job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError' || err instanceof UnrecoverableError;
}

/** The queue as the job dashboard (bull-board, /admin/queues) shows it. */
export function dashboardAdapter(queue: Queue<ModerationJob>): BullMQAdapter {
  return new BullMQAdapter(queue);
}
