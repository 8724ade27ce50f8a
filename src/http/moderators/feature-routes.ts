import { Router, type Request } from 'express';
import { setFeatured } from '../../db/featured-repository';
import type { Pool } from '../../db/pool';
import { NotFoundError } from '../../errors';
import type { ReviewFeed } from '../../live/review-feed';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from './auth';
import { isUuid } from '../../lib/uuid';

function commentId(req: Request): string {
  const id = String(req.params.id);
  if (!isUuid(id)) throw new NotFoundError('No comment with this id.');
  return id;
}

/** Editors' picks: `POST /api/moderation/comments/:id/feature` makes one, `DELETE` the same path unmakes it. */
export function moderationFeatureRoutes(deps: { pool: Pool; publicUrl: string; feed?: ReviewFeed }): Router {
  const router = Router();
  const guard = [authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin', 'moderator')];
  for (const [method, featured] of [['post', true], ['delete', false]] as const) {
    router[method]('/api/moderation/comments/:id/feature', ...guard, async (req, res) => {
      const actor = principalOf(res).actor;
      const comment = await setFeatured(deps.pool, commentId(req), featured, { actor, note: typeof req.body?.note === 'string' ? req.body.note.slice(0, 2000) : null });
      await deps.feed?.publish({ type: 'changed', commentIds: [comment.id], to: 'edited', actor, at: new Date().toISOString() });
      res.json({ comment: { ...comment, featured } });
    });
  }
  return router;
}
