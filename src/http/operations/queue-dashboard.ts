import { createBullBoard } from '@bull-board/api';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import type { Pool } from '../../db/pool';
import { dashboardAdapter, type Producer } from '../../queue/moderation-queue';
import { authenticate, refuseCrossSiteWrites, requireRole, resolvePrincipal } from '../moderators/auth';

/**
 * `/admin/queues`: bull-board (waiting, active, delayed, failed jobs; retry failed ones) for admins.
 * Its own JSON API sits under the same path, behind the same session check.
 */
export function queueDashboardRoutes(deps: { pool: Pool; producer: Producer; publicUrl: string }): Router {
  const router = Router();
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: [dashboardAdapter(deps.producer.queue)], serverAdapter: board, options: { uiConfig: { boardTitle: 'Comment queue' } } });
  router.use('/admin', signInFirst(deps.pool), authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin'));
  router.use('/admin/queues', withoutThirdPartyLinks, board.getRouter());
  return router;
}

/**
 * A browser opening an admin page signed out is sent to the sign-in page, which brings it back here
 * (`?next=`); scripts and bull-board's own API calls (Accept: JSON) still get 401.
 */
function signInFirst(pool: Pool): RequestHandler {
  return async (req, res, next) => {
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html';
    if (!wantsPage || res.locals.principal) return next();
    const principal = await resolvePrincipal(pool, req);
    if (!principal) {
      res.set('Cache-Control', 'no-store').redirect(303, `/moderation?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.locals.principal = principal;
    next();
  };
}

/**
 * bull-board's page links a web font from fonts.googleapis.com, which the dashboard's policy blocks
 * (admin pages call no third party) and the console reports as an error: the link is dropped, and the
 * page uses the system's sans-serif font instead.
 */
const withoutThirdPartyLinks: RequestHandler = (_req, res, next) => {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' ? body.replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>/gi, '') : body);
  next();
};
