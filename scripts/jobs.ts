import { loadConfig, loadDotEnv } from '../src/config';
import { queueHandle, workerRedis } from '../src/queue/moderation-queue';
import { redisTarget } from '../src/queue/redis-connection';
import { listFailedJobs, retryFailedJobs } from '../src/queue/dead-letters';

/**
 * Dead letters from the command line:
 *   npm run jobs:failed                 list jobs that exhausted their retries
 *   npm run jobs:retry -- <id> [<id>…]  re-queue those jobs
 *   npm run jobs:retry -- --all         re-queue every failed job
 */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const [command, ...args] = process.argv.slice(2);
  const connection = workerRedis(redisTarget(config));
  const queue = queueHandle(connection, config.QUEUE_PREFIX, config.QUEUE_NAME);
  try {
    if (command === 'failed') {
      const jobs = await listFailedJobs(queue, 1000);
      if (!jobs.length) process.stdout.write('no failed jobs\n');
      for (const j of jobs) process.stdout.write(`${j.id}  attempts=${j.attemptsMade}  failedAt=${j.failedAt}  article=${j.articleId}  reason=${j.failedReason}\n`);
    } else if (command === 'retry') {
      if (!args.length) throw new Error('name job ids, or --all');
      const retried = await retryFailedJobs(queue, args.includes('--all') ? 'all' : args);
      process.stdout.write(`re-queued ${retried.length} job(s)${retried.length ? `: ${retried.join(', ')}` : ''}\n`);
    } else {
      throw new Error('usage: jobs failed | jobs retry <id…> | jobs retry --all');
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
