import { Router, type Request } from 'express';
import { z } from 'zod';
import { endSurge, findArticle, listArticles, listSurges, upsertArticle } from '../../db/article-repository';
import type { Pool } from '../../db/pool';
import { NotFoundError, ValidationError } from '../../errors';
import type { ReviewFeed } from '../../live/review-feed';
import { readerState } from '../../moderation/article-policy';
import { commentSubmissionSchema, MESSAGES } from '../../moderation/comment-schema';
import type { ModerationSettings } from '../../moderation/types';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from './auth';
import { parseBody, parseQuery } from './schemas';

export interface ArticleRouteDeps {
  pool: Pool;
  publicUrl: string;
  settings: () => Promise<ModerationSettings>;
  feed?: ReviewFeed;
  now?: () => Date;
}

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'Must be an http(s) address.');

/** `PUT /api/moderation/articles/:articleId`: every field optional; null clears one. */
export const articleBody = z
  .object({
    closed: z.boolean({ error: 'Must be true or false.' }).optional(),
    premoderate: z.enum(['off', 'all', 'links'], { error: 'Must be off, all or links.' }).optional(),
    closeAfterDays: z.number({ error: 'Must be a whole number of days or null.' }).int('Must be a whole number of days.').min(0).max(36500).nullable().optional(),
    message: z.string().trim().max(1000, 'At most 1,000 characters.').nullable().optional(),
    title: z.string().trim().max(500, 'At most 500 characters.').nullable().optional(),
    url: httpUrl.nullable().optional(),
    publishedAt: z.coerce.date({ error: 'Must be a date such as 2026-01-31T12:00:00Z.' }).nullable().optional(),
  })
  .strict();

const articlesQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['recent', 'created']).default('recent'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function articleIdOf(req: Request): string {
  const parsed = commentSubmissionSchema.shape.articleId.safeParse(req.params.articleId);
  if (!parsed.success) throw new ValidationError([{ field: 'articleId', message: parsed.error.issues[0]?.message ?? MESSAGES.articleId }]);
  return parsed.data;
}

/**
 * Articles for moderators (docs/articles.md): list with counts, one article's settings and surge
 * state, change settings (also for the CMS, with an API token), end a surge early.
 */
export function moderationArticleRoutes(deps: ArticleRouteDeps): Router {
  const router = Router();
  router.use('/api/moderation/articles', authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin', 'moderator'));
  const now = deps.now ?? (() => new Date());

  /** The article with what readers see (closed, why) and its surge state, computed at `now`. */
  const present = async <T extends Awaited<ReturnType<typeof findArticle>>>(row: NonNullable<T>, settings?: ModerationSettings) => {
    const at = now();
    const s = settings ?? (await deps.settings());
    const surgeOn = !!row.surgeUntil && Date.parse(row.surgeUntil) > at.getTime();
    return { ...row, reader: readerState(row, s, at), surge: { active: surgeOn, until: surgeOn ? row.surgeUntil : null } };
  };

  router.get('/api/moderation/articles', async (req, res) => {
    const q = parseQuery(articlesQuery, req.query);
    const settings = await deps.settings();
    const rows = await listArticles(deps.pool, { text: q.q, sort: q.sort, limit: q.limit });
    res.set('Cache-Control', 'no-store').json({ articles: await Promise.all(rows.map((r) => present(r, settings))), defaults: { closeAfterDays: settings.closeAfterDays } });
  });

  router.get('/api/moderation/articles/:articleId', async (req, res) => {
    const id = articleIdOf(req);
    const row = await findArticle(deps.pool, id);
    if (!row) throw new NotFoundError('No article with this id.');
    res.set('Cache-Control', 'no-store').json({ article: await present(row), surges: await listSurges(deps.pool, id) });
  });

  router.put('/api/moderation/articles/:articleId', async (req, res) => {
    const id = articleIdOf(req);
    const body = parseBody(articleBody, req.body);
    const row = await upsertArticle(deps.pool, id, body);
    res.json({ article: await present(row) });
  });

  /** Ends a running surge now; no new surge for one surge window (the wave that caused it is still counted). */
  router.delete('/api/moderation/articles/:articleId/surge', async (req, res) => {
    const id = articleIdOf(req);
    const settings = await deps.settings();
    const at = now();
    const actor = principalOf(res).actor;
    const ended = await endSurge(deps.pool, id, at, new Date(at.getTime() + settings.surgeWindowSeconds * 1000), actor);
    if (!ended) throw new NotFoundError('This article has no surge running.');
    const row = await findArticle(deps.pool, id);
    await deps.feed?.publish({ type: 'surge', articleId: id, title: row?.title ?? null, state: 'ended', until: at.toISOString(), reason: ended.reason, actor, at: at.toISOString() });
    res.json({ surge: ended });
  });

  return router;
}
