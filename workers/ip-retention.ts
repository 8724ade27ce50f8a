import type { Pool } from '../src/db/pool';
import { truncateOldIps } from '../src/db/privacy-repository';
import type { Logger } from '../src/logger';
import type { ModerationJob } from '../src/queue/moderation-queue';
import { truncateOldJobIps } from '../src/queue/personal-data';
import type { Queue } from 'bullmq';

/** How often the worker truncates expired IP addresses. One UPDATE; several workers doing it is harmless. */
export const IP_RETENTION_EVERY_MS = 60 * 60 * 1000;

/**
 * Truncates commenters' IP addresses older than `days` (the privacy retention), once at start and
 * then hourly: the stored comments' and, with `queue`, those of jobs still in Redis (failed jobs
 * kept for replay). `days` 0 keeps addresses. Failures are logged and retried at the next tick.
 */
export function startIpRetention(
  stores: { pool: Pool; queue?: Queue<ModerationJob> },
  days: number,
  log: Logger,
  everyMs = IP_RETENTION_EVERY_MS,
): { stop(): void } {
  if (days <= 0) return { stop: () => undefined };
  const run = () => {
    truncateOldIps(stores.pool, days).then(
      (n) => n && log.info({ truncated: n, days }, 'old ip addresses truncated'),
      (err: Error) => log.warn({ err: err.message }, 'ip retention failed'),
    );
    stores.queue &&
      truncateOldJobIps(stores.queue, days).then(
        (n) => n && log.info({ truncated: n, days }, 'old ip addresses truncated in queued jobs'),
        (err: Error) => log.warn({ err: err.message }, 'ip retention in the queue failed'),
      );
  };
  const first = setTimeout(run, 5000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
