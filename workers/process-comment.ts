import { isIP } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import { insertDecidedComment } from '../src/db/comment-repository';
import { isTransientDbError, withTransaction, type Pool } from '../src/db/pool';
import type { Logger } from '../src/logger';
import { runChecks, decide } from '../src/moderation/pipeline';
import type { Check, CheckContext, Decision, ModerationSettings, SpamClassifier, HistoryLookup } from '../src/moderation/types';
import type { ModerationJob } from '../src/queue/moderation-queue';

export interface ProcessorDeps {
  pool: Pool;
  log: Logger;
  checks: readonly Check[];
  settings: () => Promise<ModerationSettings>;
  history: HistoryLookup;
  classifier?: () => SpamClassifier | undefined;
  formTokenSecret: string;
  /** Told about every comment this worker stored (for live review-queue updates). */
  onStored?: (comment: ModerationJob['comment'], decision: Decision) => void;
}

/** The job's payload, checked before anything runs: a malformed job can never succeed, so it fails at once. */
export function assertJob(data: unknown): asserts data is ModerationJob {
  const d = data as Partial<ModerationJob> | null;
  const c = d?.comment;
  const r = d?.request;
  const ok =
    d?.v === 1 &&
    !!c && typeof c.id === 'string' && /^[0-9a-f-]{36}$/i.test(c.id) &&
    !!r && typeof r.receivedAt === 'string' && !Number.isNaN(Date.parse(r.receivedAt));
  if (!ok) throw new UnrecoverableError('malformed moderation job');
}

/**
 * Takes one job: runs every check, decides, and stores comment + verdicts + first event in one
 * transaction keyed by the comment id (a re-run writes nothing). Database faults propagate so BullMQ
 * retries with backoff; anything else a check throws is recorded and sent to a human.
 */
export function createCommentProcessor(deps: ProcessorDeps) {
  return async (job: Job<ModerationJob>): Promise<{ status: string; stored: boolean }> => {
    assertJob(job.data);
    const { comment, request } = job.data;
    const log = deps.log.child({ jobId: job.id, attempt: job.attemptsMade + 1 });
    const safeRequest = { ...request, ip: request.ip && isIP(request.ip) ? request.ip : null };

    const ctx: CheckContext = {
      comment,
      request: safeRequest,
      settings: await deps.settings(),
      now: new Date(),
      history: deps.history,
      classifier: deps.classifier?.(),
      formTokenSecret: deps.formTokenSecret,
    };
    const verdicts = await runChecks(deps.checks, ctx, { rethrow: isTransientDbError });
    const decision = decide(verdicts, ctx.settings);
    const stored = await withTransaction(deps.pool, (client) => insertDecidedComment(client, comment, safeRequest, decision));

    log.info({ commentId: comment.id, status: decision.status, score: decision.score, stored }, 'comment moderated');
    if (stored) deps.onStored?.(comment, decision);
    return { status: decision.status, stored };
  };
}
