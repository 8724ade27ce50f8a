import type { Worker } from 'bullmq';
import type { Config } from '../src/config';
import { loadCuratedLists } from '../src/models/curated-lists';
import { loadSharedClassifier } from '../src/models/shared-model';
import { loadCivilityScorer } from '../src/models/civility';
import { createPool, type Pool } from '../src/db/pool';
import { createSettingsCache } from '../src/moderation/settings-store';
import type { Logger } from '../src/logger';
import { ALL_CHECKS } from '../src/moderation/checks';
import { redisTarget } from '../src/queue/redis-connection';
import { closeRedis, createConsumer, isFinalFailure, producerRedis, queueHandle, workerRedis, type ModerationJob } from '../src/queue/moderation-queue';
import { publishReviewEvent, reviewChannel } from '../src/live/review-feed';
import type { ModerationSettings } from '../src/moderation/types';
import { startIpRetention } from './ip-retention';
import { createCommentProcessor } from './process-comment';
import { createHistoryLookup } from '../src/db/history-lookup';
import { createBatchStore } from './batch-store';
import { CHECK_SAMPLE_EVERY, createMetrics, type Metrics } from '../src/metrics';
import { createArticleCache } from '../src/db/article-cache';
import { ensureArticle, findArticle } from '../src/db/article-repository';
import { createSurgeCounter } from './surge';
import { startIntegrationEvents, startIntegrationWorkers } from '../src/integrations/start-integrations';

/**
 * The worker's database batches (look-ups of each kind, and the group commit): one at a time per
 * kind, so that the jobs arriving while one is on its way all go in the next. A statement's fixed
 * cost in Postgres (parse, plan, commit) is 0.8-1.7 ms whatever its size, so under a backlog fewer,
 * larger batches cost less per comment: with two in flight the median batch was 30 comments, with
 * one 54, and Postgres CPU per comment fell by 8% (docs/operations.md, "Performance").
 */
const WORKER_BATCHES = { maxBatch: 200, maxInFlight: 1 };

export interface RunningWorker {
  worker: Worker<ModerationJob>;
  /** Stops taking jobs, lets jobs in flight finish, closes connections. */
  close(): Promise<void>;
}

/**
 * Starts a queue consumer. Stalled jobs (a worker killed mid-job) return to the queue after the
 * lock expires and may stall several times before failing, so repeated crashes lose nothing.
 */
export async function startWorker(
  config: Config,
  log: Logger,
  opts: { pool?: Pool; settings?: () => Promise<ModerationSettings>; metrics?: Metrics; now?: () => Date } = {},
): Promise<RunningWorker> {
  const ownPool = !opts.pool;
  const pool = opts.pool ?? createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  const settings = createSettingsCache(pool, config.SETTINGS_REFRESH_MS);
  const connection = workerRedis(redisTarget(config));
  connection.on('error', (err) => log.warn({ err: err.message }, 'worker redis error'));
  // Live review-queue updates: each stored comment is announced on Redis pub/sub (ids and status only).
  const publisher = producerRedis(redisTarget(config));
  publisher.on('error', (err) => log.debug({ err: err.message }, 'review feed publisher error'));
  const channel = reviewChannel(config.QUEUE_PREFIX, config.QUEUE_NAME);
  // IP retention covers the stored comments and the jobs still in Redis (failed ones kept for replay).
  const housekeeping = queueHandle(connection, config.QUEUE_PREFIX, config.QUEUE_NAME);
  const ipRetention = startIpRetention({ pool, queue: housekeeping }, config.IP_RETENTION_DAYS, log);
  // The shared spam model: moderators' lessons reach this copy within SETTINGS_REFRESH_MS.
  const spamModel = await loadSharedClassifier(pool, log, Math.max(500, config.SETTINGS_REFRESH_MS));
  // The civility model, refreshed the same way: lessons on abusive and civil comments reach it too.
  const civility = await loadCivilityScorer(pool, log, Math.max(500, config.SETTINGS_REFRESH_MS)).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, 'civility model not loaded: the civility check has no opinion');
    return undefined;
  });
  const curatedLists = loadCuratedLists(config.SPAM_LISTS_DIR);
  if (curatedLists) log.info({ sites: curatedLists.hosts.size, numbers: curatedLists.numbers.size, phrases: curatedLists.phrases.size, skipped: curatedLists.skipped }, 'curated spam lists loaded');
  else log.warn({ dir: config.SPAM_LISTS_DIR }, 'curated spam lists not found: the curated_lists check has no opinion');

  const metrics = opts.metrics ?? createMetrics({ role: 'worker' });
  // Articles: settings read per comment (cached for SETTINGS_REFRESH_MS), a row made on the first comment.
  const articles = createArticleCache(pool, config.SETTINGS_REFRESH_MS);
  const articleOf = async (id: string) => {
    const row = await articles.get(id);
    if (row) return row;
    await ensureArticle(pool, id);
    const made = await findArticle(pool, id);
    articles.set(id, made);
    return made;
  };
  const surge = createSurgeCounter({
    redis: publisher,
    pool,
    keyPrefix: `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}:surge`,
    log,
    onStarted: (s) => {
      void findArticle(pool, s.articleId).then((row) => {
        articles.set(s.articleId, row);
        return publishReviewEvent(publisher, channel, { type: 'surge', articleId: s.articleId, title: row?.title ?? null, state: 'started', until: s.until, reason: s.reason, actor: 'system', at: s.startedAt }, log);
      }).catch((err: Error) => log.warn({ err: err.message }, 'surge not announced'));
    },
  });
  // Webhooks and moderator e-mail: announced from the store step, delivered from their own queues.
  const integrations = await startIntegrationEvents(config, log, pool);
  const integrationWorkers = await startIntegrationWorkers(config, log, pool);
  const processor = createCommentProcessor({
    log,
    checks: ALL_CHECKS,
    settings: opts.settings ?? (() => settings.get()),
    // Concurrent jobs share their look-ups and their insert (group commit): a few statements per batch.
    history: createHistoryLookup(pool, WORKER_BATCHES),
    store: createBatchStore(pool, log, WORKER_BATCHES),
    classifier: spamModel ? () => spamModel.classifier : undefined,
    ...(civility ? { civility } : {}),
    ...(curatedLists ? { curatedLists } : {}),
    formTokenSecret: config.FORM_TOKEN_SECRET,
    onDecided: (status, seconds, stored) => {
      if (stored) metrics.commentsDecided.inc({ status });
      metrics.jobDuration.observe(seconds);
    },
    onCheckTimed: (check, seconds) => metrics.checkDuration.observe({ check }, seconds),
    checkSampleEvery: CHECK_SAMPLE_EVERY,
    article: articleOf,
    afterStored: async (comment, current, now) => {
      await surge(comment.articleId, current, now, await articles.get(comment.articleId));
    },
    ...(opts.now ? { now: opts.now } : {}),
    onStored: (comment, decision) => {
      void publishReviewEvent(publisher, channel, { type: 'stored', commentId: comment.id, articleId: comment.articleId, status: decision.status, at: new Date().toISOString() }, log);
      const { id, articleId, parentId, authorName, authorUrl, body } = comment;
      integrations.events.emit([{ from: null, to: decision.status, comment: { id, articleId, parentId, authorName, authorUrl, body, status: decision.status } }]);
    },
  });

  const worker = createConsumer(connection, { prefix: config.QUEUE_PREFIX, name: config.QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY, lockMs: config.WORKER_LOCK_MS }, processor);
  worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = isFinalFailure(job, err);
    (final ? log.error.bind(log) : log.warn.bind(log))({ jobId: job.id, attempt: job.attemptsMade, err: err.message }, final ? 'job failed for good' : 'job failed, will retry');
  });
  await worker.waitUntilReady();
  log.info({ queue: config.QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  return {
    worker,
    async close() {
      await worker.close();
      await integrationWorkers.close();
      await integrations.close();
      ipRetention.stop();
      await housekeeping.close();
      spamModel?.close();
      civility?.close();
      await closeRedis(connection);
      await closeRedis(publisher);
      if (ownPool) await pool.end();
    },
  };
}
