import type { RequestHandler } from 'express';
import type { Pool } from '../../db/pool';
import { AppError } from '../../errors';
import type { ReviewFeed } from '../../live/review-feed';
import { resolvePrincipal } from './auth';

/** A comment line every so often keeps proxies from closing an idle stream; the credential is re-checked then too. */
const HEARTBEAT_MS = 20000;

/**
 * `GET /api/moderation/events`: Server-Sent Events fed by the Redis feed, so a page sees new
 * comments and other moderators' decisions without reloading, whichever API process it talks to.
 * A revoked or expired session ends the stream at the next heartbeat.
 */
export function reviewEventStream(deps: { pool: Pool; feed?: ReviewFeed }): RequestHandler {
  return (req, res) => {
    const feed = deps.feed;
    if (!feed) throw new AppError(503, 'live_updates_unavailable', 'Live updates are not available on this server.');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    res.flushHeaders();

    const stopListening = feed.listen((event) => {
      res.write(`event: review\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => {
      res.write(': ping\n\n');
      resolvePrincipal(deps.pool, req).then(
        (p) => p || end(),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const stopOnClose = feed.onClose(() => end());

    let ended = false;
    function end() {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      stopListening();
      stopOnClose();
      res.end();
    }
    req.on('close', end);
  };
}
