import express, { type Express, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Pool } from './db/pool';
import type { Logger } from './logger';
import type { Producer } from './queue/moderation-queue';
import { commentsRoutes, type SubmissionGuard } from './http/comments-routes';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { healthRoutes, type ReadinessProbe } from './http/health-routes';
import { createIdempotencyStore } from './http/idempotency';
import { requestContext } from './http/request-context';

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
  /** Extra routers (moderation API, pages) mounted before the 404 handler. */
  routers?: Router[];
}

/** Limits large enough for WordPress's 65,525-character body plus the other fields, in any encoding. */
const BODY_LIMIT = '300kb';

/** Builds the Express app: routes, then the error handler. Does not listen. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.log));
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));

  // Operations: liveness and readiness.
  app.use(healthRoutes({ pool: deps.pool, redis: deps.redis, probes: deps.probes }));

  // Readers' API: submit, status, approved listing.
  app.use(
    commentsRoutes({
      pool: deps.pool,
      producer: deps.producer,
      idempotency: createIdempotencyStore(deps.redis, `${deps.config.QUEUE_PREFIX}:${deps.config.QUEUE_NAME}`),
      guards: deps.guards ?? [],
      publicUrl: deps.config.PUBLIC_URL,
      allowedOrigins: deps.config.ALLOWED_ORIGINS,
      articleUrlTemplate: deps.config.ARTICLE_URL_TEMPLATE,
    }),
  );

  // Spam-check endpoints (form token).

  // Moderators: API, review page, queue dashboard.

  // Readers' side: embed.js, demo article page.

  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
