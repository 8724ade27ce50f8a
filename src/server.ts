import type { Server } from 'node:http';
import net from 'node:net';
import type { Router } from 'express';
import { createApp } from './app';
import type { Config } from './config';
import { createPool, type Pool } from './db/pool';
import { createListingVersions } from './db/listing-versions';
import { createCdnPurger } from './http/readers/cdn-cache';
import { redisTarget } from './queue/redis-connection';
import type { Logger } from './logger';
import { closeRedis, createProducer, producerRedis, type Producer } from './queue/moderation-queue';
import type { SubmissionGuard } from './http/readers/comments-routes';
import type { ReadinessProbe } from './http/operations/health-routes';
import type { ModerationSettings } from './moderation/types';
import type { SpamFeedback } from './http/moderators';
import { createReviewFeed, reviewChannel } from './live/review-feed';
import { createSpamFeedback } from './http/moderators/spam-feedback';
import { createCivilityFeedback, type CivilityFeedback } from './http/moderators/civility-feedback';
import { lazyCuratedLists } from './models/curated-lists';
import { createMetrics, QUEUE_STATES, type Metrics } from './metrics';
import { oldestPendingAgeSeconds } from './db/metrics-repository';
import { redisDurabilityProbe, warnIfRedisNotDurable, warnIfTooFewReplicas } from './queue/redis-durability';
import { perspectiveApi } from './http/perspective/setup';
import { startIntegrationEvents } from './integrations/start-integrations';

/**
 * On stop, how long a keep-alive connection must have been idle (since its last answer) before it
 * is closed: a client reuses a connection right after an answer, so one idle this long is not
 * about to carry a request, while one idle for a moment may have a request on its way.
 */
const IDLE_GRACE_MS = 1000;
/** How often, while stopping, connections idle for IDLE_GRACE_MS are looked for. */
const IDLE_SWEEP_MS = 100;

export interface RunningApi {
  server: Server;
  port: number;
  producer: Producer;
  /** Stops accepting, lets requests in flight finish, then closes the queue, Redis and the pool. */
  close(): Promise<void>;
}

export interface ApiExtras {
  guards?: SubmissionGuard[];
  probes?: ReadinessProbe[];
  routers?: Router[];
  /** The shared spam model for moderators' feedback and the rule tester. */
  spamFilter?: SpamFeedback;
  /** The civility model for moderators' feedback and the rule tester. */
  civility?: CivilityFeedback;
  /** The moderation settings the API reads (flood control, form tokens); default: the `settings` table. */
  settings?: () => Promise<ModerationSettings>;
  /** The clock sign-in waits are measured on; default Date.now (tests move their own). */
  clock?: () => number;
  /** The API's clock (form tokens' issue time, a submission's receivedAt); default: the system clock. */
  now?: () => Date;
}

/** Builds the API's dependencies, listens, and returns a handle for a graceful stop. */
export async function startApi(
  config: Config,
  log: Logger,
  opts: { pool?: Pool; extras?: (deps: { pool: Pool; redis: ReturnType<typeof producerRedis> }) => ApiExtras; metrics?: Metrics } = {},
): Promise<RunningApi> {
  const ownPool = !opts.pool;
  const pool = opts.pool ?? createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  const redis = producerRedis(redisTarget(config));
  redis.on('error', (err) => log.debug({ err: err.message }, 'api redis error'));
  const producer = createProducer({
    redisUrl: config.REDIS_URL,
    redisCluster: config.REDIS_CLUSTER_NODES,
    waitReplicas: config.REDIS_WAIT_REPLICAS,
    prefix: config.QUEUE_PREFIX,
    name: config.QUEUE_NAME,
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  });
  // Start-up waits for Redis once; afterwards an outage is answered per request with 503.
  const readyWait = setTimeout(() => log.warn('redis not ready at start: answering 503 until it is'), 3000);
  await Promise.race([producer.queue.waitUntilReady().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
  clearTimeout(readyWait);

  // A 202 is only as durable as Redis: say so at start (and in /readyz) when it may drop queued comments.
  await warnIfRedisNotDurable(redis, log);
  await warnIfTooFewReplicas(redis, config.REDIS_WAIT_REPLICAS, log);

  const extras = opts.extras?.({ pool, redis }) ?? {};
  // The shared spam model: spam / not-spam decisions teach it, the rule tester runs it.
  const spamFeedback = extras.spamFilter ? undefined : await createSpamFeedback(pool, log);
  // The civility model: "hold as abusive" and approving a comment it held teach it.
  const civilityFeedback = extras.civility ? undefined : await createCivilityFeedback(pool, log);
  // The workers' curated spam lists, read when the rule tester first needs them, so a sample scores as a real post.
  const curatedLists = lazyCuratedLists(config.SPAM_LISTS_DIR, (lists) => {
    if (!lists) log.warn({ dir: config.SPAM_LISTS_DIR }, 'curated spam lists not found: the rule tester runs without them');
  });
  // A dedicated subscriber: live review-queue updates from every worker and API process.
  const reviewFeed = createReviewFeed(redisTarget(config), reviewChannel(config.QUEUE_PREFIX, config.QUEUE_NAME), log);
  const probes = [redisDurabilityProbe(redis), ...(extras.probes ?? [])];
  // Metrics (the process's own registry unless the start command shares one with the worker).
  const metrics = opts.metrics ?? createMetrics({ role: config.ROLE });
  metrics.watchQueue(() => producer.queue.getJobCounts(...QUEUE_STATES), () => oldestPendingAgeSeconds(pool));
  // Reader listing versions from memory until Postgres announces a change (one LISTEN connection).
  // CDN_PURGE_URL: the CDN drops an article's cached listings as soon as they change (docs/cdn.md).
  const cdnPurger = config.CDN_PURGE_URL ? createCdnPurger({ url: config.CDN_PURGE_URL, header: config.CDN_PURGE_HEADER, log }) : undefined;
  const listingVersions = createListingVersions(config.DATABASE_URL, pool, log, { onChange: cdnPurger && ((articleId) => cdnPurger.changed(articleId)) });
  // The Perspective-compatible API, served from the same copy of the civility model.
  const perspective = perspectiveApi(config, log, pool, redis, extras.civility ?? civilityFeedback);
  // Moderators' decisions announced to webhooks and moderator e-mail (their own queues).
  const integrations = await startIntegrationEvents(config, log, pool);
  const app = createApp({ config, log, pool, producer, redis, reviewFeed, spamFilter: spamFeedback, civility: civilityFeedback, curatedLists, ...extras, probes, metrics, listingVersions, perspective, integrations: integrations.events });
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Keep-alive sockets must not outlive a load balancer's idle timeout in the wrong order.
  server.keepAliveTimeout = 65000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port }, 'api listening');

  // While draining, every answer closes its keep-alive connection, so clients reconnect (and find the
  // port closed) instead of sending more on a connection about to end.
  let draining = false;
  // When each open connection last finished an answer (or opened); absent while a request is in progress.
  const idleSince = new Map<net.Socket, number>();
  server.on('connection', (socket: net.Socket) => {
    idleSince.set(socket, Date.now());
    socket.once('close', () => idleSince.delete(socket));
  });
  server.prependListener('request', (req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    const socket = req.socket;
    idleSince.delete(socket);
    res.once('close', () => {
      if (!socket.destroyed) idleSince.set(socket, Date.now());
    });
  });

  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    producer,
    close() {
      closing ??= (async () => {
        draining = true;
        // Stop accepting connections, but leave idle keep-alive connections open a moment: a request
        // may already be on its way on one (http.Server#close would reset it). net.Server#close stops
        // listening only; its callback runs once every connection has ended.
        const stopped = new Promise<void>((resolve) => {
          net.Server.prototype.close.call(server, () => resolve());
        });
        // Close a connection only once it has been idle for IDLE_GRACE_MS: closing whichever is idle
        // at the sweep's instant (server.closeIdleConnections) cut off requests a client had just sent
        // on a connection whose last answer went out a moment before (on a busy machine, a reset
        // socket instead of an answer). The sweep runs from setImmediate, after the event loop has
        // read what clients sent, so a request already waiting in the socket counts as in progress.
        const sweep = setInterval(
          () =>
            setImmediate(() => {
              const now = Date.now();
              for (const [socket, since] of idleSince) if (now - since >= IDLE_GRACE_MS) socket.destroy();
            }),
          IDLE_SWEEP_MS,
        );
        await reviewFeed.close(); // ends the open event streams, which would otherwise hold the server open
        await stopped;
        clearInterval(sweep);
        spamFeedback?.close();
        civilityFeedback?.close();
        await listingVersions.close();
        await integrations.close();
        await cdnPurger?.close();
        await producer.close();
        await closeRedis(redis);
        if (ownPool) await pool.end();
      })();
      return closing;
    },
  };
}
