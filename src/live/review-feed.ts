import { connectRedis, type RedisClient as Redis, type RedisTarget } from '../queue/redis-connection';
import { closeRedis } from '../queue/moderation-queue';
import type { Logger } from '../logger';
import type { CommentStatus } from '../moderation/types';

/**
 * What moderators' pages hear about: a worker stored a comment, or someone changed comments. Ids
 * and statuses only (no personal data): a page that cares fetches the comment through the API.
 */
export type ReviewEvent =
  | { type: 'stored'; commentId: string; articleId: string; status: CommentStatus; at: string }
  | { type: 'changed'; commentIds: string[]; to: CommentStatus | 'deleted' | 'edited'; actor: string; at: string }
  /** An article's surge started (every new comment held until `until`) or a moderator ended it (docs/articles.md). */
  | { type: 'surge'; articleId: string; title: string | null; state: 'started' | 'ended'; until: string; reason: string; actor: string; at: string };

/** The Redis pub/sub channel, per queue, so separate deployments (and test files) do not hear each other. */
export function reviewChannel(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:review-events`;
}

/** Publishes an event; a failure only costs the live update (pages also refresh on their own), so it is logged, not thrown. */
export async function publishReviewEvent(redis: Redis, channel: string, event: ReviewEvent, log?: Logger): Promise<void> {
  try {
    await redis.publish(channel, JSON.stringify(event));
  } catch (err) {
    log?.debug({ err: (err as Error).message }, 'review event not published');
  }
}

export type ReviewListener = (event: ReviewEvent) => void;

/** One process's subscription to the channel, fanned out to any number of listeners (SSE clients). */
export interface ReviewFeed {
  listen(listener: ReviewListener): () => void;
  /** Publishes through the feed's own publishing connection. */
  publish(event: ReviewEvent): Promise<void>;
  /** Tells listeners to finish (`onClose` hooks), then closes both connections. */
  close(): Promise<void>;
  onClose(hook: () => void): () => void;
}

/**
 * A dedicated subscriber connection (a subscribed ioredis connection can do nothing else) plus a
 * publisher. Every API process subscribes, so a change made through any process, or stored by any
 * worker, reaches every open page.
 */
export function createReviewFeed(redisUrl: RedisTarget, channel: string, log: Logger): ReviewFeed {
  const listeners = new Set<ReviewListener>();
  const closeHooks = new Set<() => void>();
  let closed = false;
  const subscriber = connectRedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const publisher = connectRedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  subscriber.on('error', (err) => log.debug({ err: err.message }, 'review feed subscriber error'));
  publisher.on('error', (err) => log.debug({ err: err.message }, 'review feed publisher error'));
  subscriber.subscribe(channel).catch((err: Error) => log.warn({ err: err.message }, 'review feed not subscribed'));
  subscriber.on('message', (_channel, message) => {
    let event: ReviewEvent;
    try {
      event = JSON.parse(message) as ReviewEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  });
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish: (event) => publishReviewEvent(publisher, channel, event, log),
    onClose(hook) {
      if (closed) {
        hook();
        return () => undefined;
      }
      closeHooks.add(hook);
      return () => closeHooks.delete(hook);
    },
    async close() {
      closed = true;
      for (const hook of [...closeHooks]) hook();
      listeners.clear();
      await closeRedis(subscriber);
      await closeRedis(publisher);
    },
  };
}
