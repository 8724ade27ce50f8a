import { Router, type Request } from 'express';
import type { ArticleCache } from '../../db/article-cache';
import { AppError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { CLOSED_MESSAGE, readerState, type ArticleReaderState } from '../../moderation/article-policy';
import { commentSubmissionSchema, MESSAGES } from '../../moderation/comment-schema';
import type { ModerationSettings } from '../../moderation/types';
import type { CommentSubmission } from '../../moderation/comment-schema';

export interface ArticleStateDeps {
  articles: ArticleCache;
  settings: () => Promise<ModerationSettings>;
  now: () => Date;
  log: Logger;
}

/** What readers may know of an article's comments at this moment (closed, why, the message). */
export function articleReaderState(deps: ArticleStateDeps) {
  return async (articleId: string): Promise<ArticleReaderState> => {
    const [row, settings] = await Promise.all([deps.articles.get(articleId), deps.settings()]);
    return readerState(row, settings, deps.now());
  };
}

/** 403 `comments_closed`: the article takes no comments (or replies); nothing is enqueued. */
export class CommentsClosedError extends AppError {
  constructor(message: string | null) {
    super(403, 'comments_closed', CLOSED_MESSAGE, message ? { articleMessage: message } : undefined);
  }
}

/**
 * The submit path's article step (a guard, before flood control): a comment to a closed article, or
 * one past its closeAfterDays, is refused with 403 `comments_closed`. When the article's settings
 * cannot be read (Postgres away) the comment is accepted: submitting needs only Redis, and the
 * worker holds a comment that reached a closed article (the `article` check, `article:closed`).
 */
export function closedArticleGuard(deps: ArticleStateDeps) {
  const state = articleReaderState(deps);
  return async (_req: Request, submission: CommentSubmission): Promise<void> => {
    let s: ArticleReaderState;
    try {
      s = await state(submission.articleId);
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'article settings unavailable at submit: accepting, the worker checks again');
      return;
    }
    if (s.closed) throw new CommentsClosedError(s.message);
  };
}

/**
 * `GET /api/articles/:articleId/state` → `{ articleId, closed, closedBy, closesAt, message }`: whether
 * the widget shows the form or "Comments are closed", and the newsroom's message. Cached briefly:
 * a change reaches readers within a minute.
 */
export function articleStateRoutes(deps: ArticleStateDeps): Router {
  const router = Router();
  const state = articleReaderState(deps);
  router.get('/api/articles/:articleId/state', async (req, res) => {
    const parsed = commentSubmissionSchema.shape.articleId.safeParse(req.params.articleId);
    if (!parsed.success) throw new ValidationError([{ field: 'articleId', message: parsed.error.issues[0]?.message ?? MESSAGES.articleId }]);
    const s = await state(parsed.data);
    res.set('Cache-Control', 'public, max-age=30').json({ articleId: parsed.data, ...s });
  });
  return router;
}
