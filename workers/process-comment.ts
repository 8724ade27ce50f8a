import { isIP } from 'node:net';
import { isDataError, isTransientDbError } from '../src/db/pool';
import type { Logger } from '../src/logger';
import { runChecks, decide, decisiveReasons } from '../src/moderation/pipeline';
import type { Check, CheckContext, Decision, ModerationSettings, SpamClassifier, HistoryLookup } from '../src/moderation/types';
import { UnrecoverableError, type ModerationJob, type ModerationQueueJob } from '../src/queue/moderation-queue';
import type { StoreDecided } from './batch-store';
import type { CivilityScorer } from '../src/models/civility-model';
import type { CuratedLists } from '../src/models/curated-lists';
import { commentFingerprint } from '../src/moderation/fingerprint';
import { articleModeration, type ArticleSettingsInput } from '../src/moderation/article-policy';

export interface ProcessorDeps {
  log: Logger;
  checks: readonly Check[];
  settings: () => Promise<ModerationSettings>;
  history: HistoryLookup;
  classifier?: () => SpamClassifier | undefined;
  /** The civility model (none: the civility check has no opinion). */
  civility?: CivilityScorer;
  /** Curated spam lists, loaded once at start (none: the curated_lists check has no opinion). */
  curatedLists?: CuratedLists;
  formTokenSecret: string;
  /** Told about every comment this worker stored (for live review-queue updates). */
  onStored?: (comment: ModerationJob['comment'], decision: Decision) => void;
  /** Stores the decided comment (true: stored now; false: it already was): ./batch-store.ts. */
  store: StoreDecided;
  /** Told how each job went, for metrics (`stored` false: a re-run that found its comment stored). */
  onDecided?: (status: Decision['status'], seconds: number, stored: boolean) => void;
  /** Told how long each check took, on 1 job in `checkSampleEvery` (metrics). */
  onCheckTimed?: (check: string, seconds: number) => void;
  checkSampleEvery?: number;
  /** The article's settings (created on its first comment); absent: no article settings apply. */
  article?: (articleId: string) => Promise<ArticleSettingsInput | null>;
  /** Told about every comment stored now (surge counting); a failure is logged, never fails the job. */
  afterStored?: (comment: ModerationJob['comment'], settings: ModerationSettings, now: Date) => Promise<void>;
  /** The worker's clock (article closing, surges); default: the system clock. */
  now?: () => Date;
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
 * Takes one job: runs every check, decides, and stores comment + verdicts + first event through the
 * one write path (./batch-store.ts: its batch's transaction, keyed by the comment id, so a re-run
 * writes nothing; the job finishes only after that transaction committed). Database faults propagate so BullMQ
 * retries with backoff; anything else a check throws is recorded and sent to a human.
 */
export function createCommentProcessor(deps: ProcessorDeps) {
  const timedChecks = deps.onCheckTimed ? timeEach(deps.checks, deps.onCheckTimed) : deps.checks;
  const sampleEvery = deps.checkSampleEvery ?? 10;
  let jobs = 0;
  return async (job: ModerationQueueJob): Promise<{ status: string; stored: boolean }> => {
    const started = performance.now();
    assertJob(job.data);
    const { comment, request } = job.data;
    const safeRequest = { ...request, ip: request.ip && isIP(request.ip) ? request.ip : null };

    const settings = await deps.settings();
    const now = deps.now?.() ?? new Date();
    const article = deps.article && typeof comment.articleId === 'string' ? articleModeration(await deps.article(comment.articleId), settings, now) : undefined;
    const ctx: CheckContext = {
      comment,
      request: safeRequest,
      settings,
      now,
      ...(article ? { article } : {}),
      history: deps.history,
      classifier: deps.classifier?.(),
      ...(deps.civility ? { civility: deps.civility } : {}),
      ...(deps.curatedLists ? { curatedLists: deps.curatedLists } : {}),
      formTokenSecret: deps.formTokenSecret,
    };
    jobs += 1;
    const verdicts = await runChecks(jobs % sampleEvery === 0 ? timedChecks : deps.checks, ctx, { rethrow: isTransientDbError });
    const decision = decide(verdicts, ctx.settings);
    const decided = { comment, request: safeRequest, decision, fingerprint: commentFingerprint(comment), eventReasons: decisiveReasons(decision.verdicts) };
    const stored = await deps.store(decided).catch((err: unknown) => {
      // A comment Postgres refuses as data goes to the failed set at once, to be looked at and replayed.
      if (isDataError(err)) throw new UnrecoverableError(`comment refused by the database: ${(err as Error).message}`);
      throw err;
    });

    // One line per comment at debug: under a backlog a line per comment costs the worker about as
    // much as a check. The store logs one info line per stored batch (./batch-store.ts).
    deps.log.debug({ jobId: job.id, attempt: job.attemptsMade + 1, commentId: comment.id, status: decision.status, score: decision.score, stored }, 'comment moderated');
    deps.onDecided?.(decision.status, (performance.now() - started) / 1000, stored);
    if (stored) deps.onStored?.(comment, decision);
    if (stored && deps.afterStored) {
      await deps.afterStored(comment, settings, now).catch((err: unknown) => deps.log.warn({ err: (err as Error).message, commentId: comment.id }, 'after-store step failed'));
    }
    return { status: decision.status, stored };
  };
}

/** The same checks, each reporting how long it took (until its promise settled, for async ones). */
function timeEach(checks: readonly Check[], report: (check: string, seconds: number) => void): Check[] {
  return checks.map((check) => ({
    name: check.name,
    run(ctx: CheckContext) {
      const started = performance.now();
      const done = () => report(check.name, (performance.now() - started) / 1000);
      const result = check.run(ctx);
      if (result instanceof Promise) return result.finally(done);
      done();
      return result;
    },
  }));
}
