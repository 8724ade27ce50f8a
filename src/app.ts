import express, { type Express, type Router } from 'express';
import type { RedisClient as Redis } from './queue/redis-connection';
import type { Config } from './config';
import type { Pool } from './db/pool';
import type { ListingVersions } from './db/listing-versions';
import type { Logger } from './logger';
import type { Producer } from './queue/moderation-queue';
import { commentsRoutes, type SubmissionGuard } from './http/readers/comments-routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { healthRoutes, type ReadinessProbe } from './http/operations/health-routes';
import { createIdempotencyStore } from './http/readers/idempotency';
import { requestLog } from './http/request-log';
import { queueDashboardCsp, securityHeaders } from './http/security-headers';
import { refuseNulCharacters } from './http/input-guard';
import { createSettingsCache } from './moderation/settings-store';
import { floodGuard, floodKeyPrefix } from './http/readers/flood-guard';
import { formTokenRoutes } from './http/readers/form-token-routes';
import type { ModerationSettings } from './moderation/types';
import { articleCountsRoutes } from './http/readers/article-counts-routes';
import { demoRoutes } from './http/readers/demo-routes';
import { embedRoutes } from './http/readers/embed-routes';
import { READER_API_PATHS, readerCors } from './http/readers/reader-cors';
import { moderationRouters, type SpamFeedback } from './http/moderators';
import type { CivilityFeedback } from './http/moderators/civility-feedback';
import type { CuratedLists } from './models/curated-lists';
import type { ReviewFeed } from './live/review-feed';
import { recordModeratorChanges, type Metrics } from './metrics';
import { httpMetrics, metricsRoutes } from './http/operations/metrics-routes';
import { createArticleCache } from './db/article-cache';
import { articleStateRoutes, closedArticleGuard } from './http/readers/article-routes';
import { reportRoutes } from './http/readers/report-routes';
import { akismetRoutes } from './http/akismet/akismet-routes';
import { akismetKeyRoutes } from './http/akismet/akismet-admin-routes';
import { perspectiveKeyRoutes } from './http/perspective/perspective-admin-routes';
import { loadCuratedLists } from './models/curated-lists';
import type { IntegrationEvents } from './integrations/integration-events';
import { integrationRoutes } from './http/integrations/integration-routes';
import type { ReviewChange } from './db/decision-repository';

/** Everything the HTTP app needs, built by the entrypoint (or a test) and handed in. */
export interface AppDeps {
  config: Config;
  log: Logger;
  pool: Pool;
  producer: Producer;
  /** A fail-fast Redis connection for idempotency keys and counters. */
  redis: Redis;
  guards?: SubmissionGuard[];
  probes?: ReadinessProbe[];
  /** The moderation settings; default: the `settings` table, re-read every SETTINGS_REFRESH_MS. */
  settings?: () => Promise<ModerationSettings>;
  /** Live review-queue updates (Redis pub/sub → SSE); absent, the review page refreshes by hand. */
  reviewFeed?: ReviewFeed;
  /** The shared spam model: moderators' spam / not-spam decisions teach it; the rule tester runs it. */
  spamFilter?: SpamFeedback;
  /** The civility model: "hold as abusive" and approving a held comment teach it; the rule tester runs it. */
  civility?: CivilityFeedback;
  /** The Perspective-compatible API (src/http/perspective): mounted before the shared body parsers, it parses and answers errors in Perspective's shape. */
  perspective?: Router;
  /** The curated spam lists (SPAM_LISTS_DIR) the workers use; the rule tester reads them too. */
  curatedLists?: () => CuratedLists | undefined;
  /** Extra routers (moderation API, pages) mounted before the 404 handler. */
  routers?: Router[];
  /** Prometheus metrics: request latencies and counters, served at /metrics (METRICS_TOKEN protects it). */
  metrics?: Metrics;
  /** Reader listing versions kept in memory until Postgres announces a change; absent, read per request. */
  listingVersions?: ListingVersions;
  /** The clock sign-in waits are measured on; default Date.now (tests move their own). */
  clock?: () => number;
  /** Webhooks and moderator e-mail: told about every moderator decision; absent, none go out. */
  integrations?: IntegrationEvents;
  /**
   * The API's clock: a form token's issue time and a submission's `receivedAt`, which the form-token
   * check compares. Default: the system clock; tests step it instead of sleeping.
   */
  now?: () => Date;
}

/** Limits large enough for WordPress's 65,525-character body plus the other fields, in any encoding. */
const BODY_LIMIT = '300kb';

/** Builds the Express app: routes, then the error handler. Does not listen. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');

  const settingsCache = createSettingsCache(deps.pool, deps.config.SETTINGS_REFRESH_MS);
  const settings = deps.settings ?? (() => settingsCache.get());
  const now = deps.now ?? (() => new Date());
  // Articles' settings (closed, closeAfterDays, message), re-read as often as the moderation settings.
  const articleState = { articles: createArticleCache(deps.pool, deps.config.SETTINGS_REFRESH_MS), settings, now, log: deps.log };

  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(requestLog(deps.log));
  // Security headers on every answer; bull-board gets the looser CSP it needs, on its path only.
  app.use(securityHeaders());
  app.use('/admin/queues', queueDashboardCsp());
  // Drop-in API for Perspective clients (Coral Talk): its own parser and error shape.
  if (deps.perspective) app.use(deps.perspective);
  // CORS for the readers' API, before parsing: another site's post is refused unread.
  app.use(READER_API_PATHS, readerCors(deps.config.ALLOWED_ORIGINS));
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));
  app.use(refuseNulCharacters());

  // Operations: liveness and readiness.
  app.use(healthRoutes({ pool: deps.pool, redis: deps.redis, probes: deps.probes }));
  if (deps.metrics) app.use(metricsRoutes({ metrics: deps.metrics, token: deps.config.METRICS_TOKEN }));

  // Readers' API: submit, status, approved listing.
  app.use(
    commentsRoutes({
      pool: deps.pool,
      producer: deps.producer,
      idempotency: createIdempotencyStore(deps.redis, `${deps.config.QUEUE_PREFIX}:${deps.config.QUEUE_NAME}`),
      guards: [
        // A closed article (or one past closeAfterDays): 403 comments_closed, nothing enqueued.
        closedArticleGuard(articleState),
        ...(deps.guards ?? []),
      ],
      // Flood control (settings floodSeconds, hourlyLimitPerIp; 0 turns each off): 429, checked in the enqueue's transaction.
      floodControl: floodGuard({ keyPrefix: floodKeyPrefix(deps.config.QUEUE_PREFIX), settings, log: deps.log }),
      publicUrl: deps.config.PUBLIC_URL,
      listingVersions: deps.listingVersions,
      listingCdn: { maxAge: deps.config.LISTING_CDN_MAX_AGE, staleWhileRevalidate: deps.config.LISTING_CDN_STALE_WHILE_REVALIDATE, staleIfError: deps.config.LISTING_CDN_STALE_IF_ERROR },
      allowedOrigins: deps.config.ALLOWED_ORIGINS,
      articleUrlTemplate: deps.config.ARTICLE_URL_TEMPLATE,
      ownCommentSecret: deps.config.FORM_TOKEN_SECRET,
      now,
    }),
  );

  // Readers' reports of published comments (form token, reader cookie or token, hourly limit).
  app.use(
    reportRoutes({
      pool: deps.pool,
      redis: deps.redis,
      keyPrefix: `${deps.config.QUEUE_PREFIX}:reports`,
      secret: deps.config.FORM_TOKEN_SECRET,
      settings,
      allowedOrigins: deps.config.ALLOWED_ORIGINS,
      log: deps.log,
      now,
    }),
  );

  // Spam-check endpoints (form token).
  app.use(formTokenRoutes({ secret: deps.config.FORM_TOKEN_SECRET, settings, now }));

  // The drop-in Akismet API (REST 1.1) for CMS plugins, and its keys for admins.
  let curated: { lists: CuratedLists | undefined } | undefined;
  app.use(
    akismetRoutes({
      pool: deps.pool,
      log: deps.log,
      settings,
      classifier: deps.spamFilter?.classifier,
      learn: deps.spamFilter?.learn,
      curatedLists: deps.curatedLists ?? (() => (curated ??= { lists: loadCuratedLists(deps.config.SPAM_LISTS_DIR) ?? undefined }).lists),
      retentionDays: deps.config.AKISMET_RETENTION_DAYS,
    }),
  );
  app.use(akismetKeyRoutes({ pool: deps.pool, publicUrl: deps.config.PUBLIC_URL }));
  app.use(perspectiveKeyRoutes({ pool: deps.pool, log: deps.log, publicUrl: deps.config.PUBLIC_URL }));
  // Webhook endpoints, their delivery log, integration settings, e-mail opt-in.
  app.use(integrationRoutes({ pool: deps.pool, publicUrl: deps.config.PUBLIC_URL, onEndpointsChanged: () => integrations?.refresh() }));

  // Moderators: API, review page, queue dashboard.
  const metrics = deps.metrics;
  const integrations = deps.integrations;
  // Every moderator decision passes here: metrics, and the webhooks / e-mail it announces.
  const onDecisions = (changes: ReviewChange[]) => {
    if (metrics) recordModeratorChanges(metrics, changes);
    integrations?.emit(changes.map(({ from, to, comment: c }) => ({ from, to, comment: { id: c.id, articleId: c.articleId, parentId: c.parentId, authorName: c.authorName, authorUrl: c.authorUrl, body: c.body, status: to } })));
  };
  for (const router of moderationRouters({ ...deps, feed: deps.reviewFeed, onDecisions, settings, now })) app.use(router);

  // Readers' side: embed.js, demo article page.
  app.use(articleCountsRoutes({ pool: deps.pool }));
  app.use(articleStateRoutes(articleState));
  app.use(embedRoutes());
  app.use(demoRoutes({ pool: deps.pool, publicUrl: deps.config.PUBLIC_URL, formTokenSecret: deps.config.FORM_TOKEN_SECRET, articleState }));

  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
