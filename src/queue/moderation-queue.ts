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

/** Redis options for connections that must fail fast instead of buffering (the API's). */
export function producerRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
}

/** Redis options for blocking consumers (BullMQ workers need maxRetriesPerRequest: null). */
export function workerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
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
  enqueue(job: ModerationJob): Promise<void>;
  jobState(commentId: string): Promise<SubmitterQueueState>;
  queue: Queue<ModerationJob>;
  close(): Promise<void>;
}

export function createProducer(s: QueueSettings): Producer {
  const connection = producerRedis(s.redisUrl);
  connection.on('error', () => undefined); // surfaced per request as 503; logged by readiness checks
  const queue = new Queue<ModerationJob>(s.name, { connection, prefix: s.prefix });
  queue.on('error', () => undefined);

  return {
    queue,
    async enqueue(job) {
      if (connection.status !== 'ready') throw new ServiceUnavailableError(2);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ServiceUnavailableError(2)), s.enqueueTimeoutMs);
      });
      try {
        await Promise.race([queue.add('moderate', job, jobOptions(s, job.comment.id)), deadline]);
      } catch (err) {
        if (err instanceof ServiceUnavailableError) throw err;
        throw new ServiceUnavailableError(2);
      } finally {
        clearTimeout(timer);
      }
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
