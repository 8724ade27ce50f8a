import { Worker } from 'bullmq';
import { workerRedis } from '../src/queue/moderation-queue';

/**
 * The drain ceiling: a BullMQ worker on the same queue settings that does nothing with its jobs.
 * Prints one JSON line when started and one when it has completed BENCH_JOBS jobs (the times of its
 * first and last completion), then waits to be stopped.
 */
const expected = Number(process.env.BENCH_JOBS);
const connection = workerRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let done = 0;
let first = 0;
const worker = new Worker(process.env.QUEUE_NAME ?? 'comments', async () => undefined, {
  connection,
  prefix: process.env.QUEUE_PREFIX,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 100),
});
worker.on('completed', () => {
  done += 1;
  if (done === 1) first = Date.now();
  if (done === expected) process.stdout.write(`${JSON.stringify({ msg: 'drained', jobs: done, firstAt: first, lastAt: Date.now() })}\n`);
});
worker.on('error', () => undefined);
void worker.waitUntilReady().then(() => process.stdout.write(`${JSON.stringify({ msg: 'worker started' })}\n`));
process.on('SIGTERM', () => {
  void worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
