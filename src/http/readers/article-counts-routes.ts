import { Router } from 'express';
import type { Pool } from '../../db/pool';
import { countApprovedForArticles } from '../../db/comment-repository';
import { BadRequestError } from '../../errors';
import { commentSubmissionSchema } from '../../moderation/comment-schema';

/** At most this many articles per call: an index page, not the whole archive. */
export const MAX_COUNT_IDS = 100;

/**
 * `GET /api/articles/counts?ids=a,b,c` → `{ counts: { a: 3, b: 0, c: 1 } }`: approved comments per
 * article, for index pages. A different depth from `/api/articles/:articleId/comments`, so the two
 * never capture each other's requests.
 */
export function articleCountsRoutes(deps: { pool: Pool }): Router {
  const router = Router();
  router.get('/api/articles/counts', async (req, res) => {
    const raw = req.query.ids;
    if (typeof raw !== 'string') throw new BadRequestError('missing_ids', 'Give the article ids as ids=a,b,c.');
    const ids = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length > MAX_COUNT_IDS) throw new BadRequestError('too_many_ids', `Ask for at most ${MAX_COUNT_IDS} articles at once.`);
    const bad = ids.find((id) => !commentSubmissionSchema.shape.articleId.safeParse(id).success);
    if (bad !== undefined) throw new BadRequestError('invalid_article_id', 'An article id may hold letters, digits and . _ : / - only (at most 200).');
    const counts = await countApprovedForArticles(deps.pool, ids);
    // Counts may lag a minute on an index page; Express adds an ETag and answers 304 itself.
    res.set('Cache-Control', 'public, max-age=60').json({ counts });
  });
  return router;
}
