import type { Router } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import type { Config } from '../../config';
import type { Pool } from '../../db/pool';
import type { ReviewFeed } from '../../live/review-feed';
import type { Logger } from '../../logger';
import type { CuratedLists } from '../../models/curated-lists';
import type { SpamClassifier } from '../../moderation/types';
import type { Producer } from '../../queue/moderation-queue';
import { moderationAccountRoutes } from './account-routes';
import { moderationAdminRoutes } from './admin-routes';
import { moderationLoginRoutes } from './login';
import { moderationPageRoutes } from './review-page';
import { queueDashboardRoutes } from '../operations/queue-dashboard';
import { moderationReviewRoutes, type LearnFn } from './review-routes';
import type { ReviewChange } from '../../db/decision-repository';
import { floodKeyPrefix } from '../readers/flood-guard';
import { createRedisErasure } from './redis-erasure';
import type { CivilityFeedback } from './civility-feedback';
import { moderationArticleRoutes } from './article-routes';
import { moderationFeatureRoutes } from './feature-routes';
import type { ModerationSettings } from '../../moderation/types';
import { createSettingsCache } from '../../moderation/settings-store';

/** The spam model as moderators' tools use it: learn from decisions, and classify in the rule tester. */
export interface SpamFeedback {
  learn?: LearnFn;
  classifier?: () => SpamClassifier | undefined;
}

export interface ModerationDeps {
  config: Config;
  log: Logger;
  pool: Pool;
  redis: Redis;
  producer: Producer;
  feed?: ReviewFeed;
  spamFilter?: SpamFeedback;
  civility?: CivilityFeedback;
  /** The curated spam lists the workers load: the rule tester scores samples with them. */
  curatedLists?: () => CuratedLists | undefined;
  /** Told about every moderator decision (metrics). */
  onDecisions?: (changes: ReviewChange[]) => void;
  /** The clock sign-in waits are measured on; default Date.now (tests move their own). */
  clock?: () => number;
  /** The moderation settings (article defaults, surge window); default: the stored ones. */
  settings?: () => Promise<ModerationSettings>;
  /** The clock article states are computed on; default: the system clock. */
  now?: () => Date;
}

/**
 * Everything moderators use, in order: sign-in (the one open API route), the review page, the
 * queue API, accounts, admin tools and the queue dashboard. Every `/api/moderation/*` and
 * `/admin/*` route but login requires a session or an API token.
 */
export function moderationRouters(deps: ModerationDeps): Router[] {
  const { config } = deps;
  return [
    moderationLoginRoutes({
      pool: deps.pool,
      redis: deps.redis,
      keyPrefix: `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}`,
      publicUrl: config.PUBLIC_URL,
      sessionTtlHours: config.SESSION_TTL_HOURS,
      attemptsPerAccount: config.LOGIN_ATTEMPTS_PER_ACCOUNT,
      attemptsPerIp: config.LOGIN_ATTEMPTS_PER_IP,
      failuresPerIpPerDay: config.LOGIN_FAILURES_PER_IP_PER_DAY,
      backoffBaseSeconds: config.LOGIN_BACKOFF_BASE_SECONDS,
      backoffMaxSeconds: config.LOGIN_BACKOFF_MAX_SECONDS,
      now: deps.clock,
    }),
    moderationPageRoutes(),
    moderationFeatureRoutes({ pool: deps.pool, publicUrl: config.PUBLIC_URL, feed: deps.feed }),
    moderationReviewRoutes({ pool: deps.pool, log: deps.log, publicUrl: config.PUBLIC_URL, feed: deps.feed, learn: deps.spamFilter?.learn, civility: deps.civility, onDecisions: deps.onDecisions }),
    moderationAccountRoutes({ pool: deps.pool, publicUrl: config.PUBLIC_URL }),
    moderationAdminRoutes({
      pool: deps.pool,
      config,
      feed: deps.feed,
      classifier: deps.spamFilter?.classifier,
      civility: deps.civility?.scorer,
      curatedLists: deps.curatedLists,
      eraseFromRedis: createRedisErasure({ pool: deps.pool, redis: deps.redis, producer: deps.producer, floodKeyPrefix: floodKeyPrefix(config.QUEUE_PREFIX), log: deps.log }),
    }),
    queueDashboardRoutes({ pool: deps.pool, producer: deps.producer, publicUrl: config.PUBLIC_URL }),
    moderationArticleRoutes({ pool: deps.pool, publicUrl: config.PUBLIC_URL, feed: deps.feed, settings: deps.settings ?? settingsOf(deps.pool, config.SETTINGS_REFRESH_MS), now: deps.now }),
  ];
}

function settingsOf(pool: Pool, refreshMs: number): () => Promise<ModerationSettings> {
  const cache = createSettingsCache(pool, refreshMs);
  return () => cache.get();
}
