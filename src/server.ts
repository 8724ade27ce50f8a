import type { Server } from 'node:http';
import type { Router } from 'express';
import { createApp } from './app';
import type { Config } from './config';
import { createPool, type Pool } from './db/pool';
import type { Logger } from './logger';
import { createProducer, producerRedis } from './queue/moderation-queue';
import type { SubmissionGuard } from './http/comments-routes';
import type { ReadinessProbe } from './http/health-routes';

export interface RunningApi {
  server: Server;
  port: number;
  /** Stops accepting, lets requests in flight finish, then closes the queue, Redis and the pool. */
  close(): Promise<void>;
}

export interface ApiExtras {
  guards?: SubmissionGuard[];
  probes?: ReadinessProbe[];
  routers?: Router[];
}

/** Builds the API's dependencies, listens, and returns a handle for a graceful stop. */
export async function startApi(config: Config, log: Logger, opts: { pool?: Pool; extras?: (deps: { pool: Pool; redis: ReturnType<typeof producerRedis> }) => ApiExtras } = {}): Promise<RunningApi> {
  const ownPool = !opts.pool;
  const pool = opts.pool ?? createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  const redis = producerRedis(config.REDIS_URL);
  redis.on('error', (err) => log.debug({ err: err.message }, 'api redis error'));
  const producer = createProducer({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    name: config.QUEUE_NAME,
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  });
  // Start-up waits for Redis once; afterwards an outage is answered per request with 503.
  await producer.queue.waitUntilReady().catch((err: Error) => log.warn({ err: err.message }, 'redis not ready at start'));

  const extras = opts.extras?.({ pool, redis }) ?? {};
  const app = createApp({ config, log, pool, producer, redis, ...extras });
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

  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await producer.close();
        await redis.quit().catch(() => redis.disconnect());
        if (ownPool) await pool.end();
      })();
      return closing;
    },
  };
}
