import type { Queue } from 'bullmq';

/** A job that exhausted its retries (or was malformed), as operators see it. No personal data. */
export interface FailedJob {
  id: string;
  articleId: string | null;
  attemptsMade: number;
  failedReason: string;
  failedAt: string | null;
}

/** The failed set, newest first. */
export async function listFailedJobs(queue: Queue, limit = 100): Promise<FailedJob[]> {
  const jobs = await queue.getFailed(0, limit - 1);
  return jobs.map((job) => ({
    id: String(job.id),
    articleId: (job.data as { comment?: { articleId?: string } })?.comment?.articleId ?? null,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  }));
}

/**
 * Puts failed jobs back in the queue with their attempts reset. Safe to repeat: the worker stores a
 * comment at most once, so replaying a job whose comment was stored writes nothing.
 */
export async function retryFailedJobs(queue: Queue, ids: 'all' | string[]): Promise<string[]> {
  if (ids === 'all') {
    // The jobs failed when asked, each retried once. Retrying until the failed set was empty retried a
    // job that failed again meanwhile (a malformed one fails at once) a second time, or for as long as
    // the worker kept up. Paging forward while new failures arrive at the front only shows some twice.
    const snapshot = new Set<string>();
    for (let start = 0; ; start += 500) {
      const page = await queue.getFailed(start, start + 499);
      if (!page.length) break;
      for (const job of page) snapshot.add(String(job.id));
    }
    ids = [...snapshot];
  }
  const retried: string[] = [];
  for (const id of ids) {
    const job = await queue.getJob(id);
    if (job && (await job.isFailed())) {
      await job.retry('failed');
      retried.push(id);
    }
  }
  return retried;
}
