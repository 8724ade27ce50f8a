import { Router, type Request } from 'express';
import type { Pool } from '../../db/pool';
import { decodeCursor, findCommentById, listApprovedForArticle, type PublicComment } from '../../db/comment-repository';
import { NotFoundError } from '../../errors';
import { commentSubmissionSchema } from '../../moderation/comment-schema';
import { signFormToken } from '../../moderation/form-token';
import { PAGE_CSP, renderDemoPage, type DemoPageModel } from './demo-page';
import { DEFAULT_ARTICLE_ID, storyFor } from './demo-stories';
import { loadAsset, serveAsset } from '../static-asset';
import { isOwnComment } from './own-comments';
import { AWAITING_MODERATION, submitterView } from './submitter-view';
import { articleReaderState, type ArticleStateDeps } from './article-routes';
import { isUuid } from '../../lib/uuid';

/** Comments on the no-JavaScript page, top-level per page (the widget pages by 50 itself). */
const NO_SCRIPT_PAGE = 50;

/**
 * `GET /`: a demo news article with the comment widget below it, so `npm start` shows the whole
 * thing. `?article=<id>` picks the article (ARTICLE_URL_TEMPLATE's default points here). Readers
 * without JavaScript get the same comments and form server-rendered in <noscript>, and after a form
 * post (`?unapproved=<id>`) the notice about their comment.
 */
export function demoRoutes(deps: { pool: Pool; publicUrl: string; formTokenSecret: string; articleState?: ArticleStateDeps }): Router {
  const router = Router();
  const articleState = deps.articleState ? articleReaderState(deps.articleState) : null;
  const cacheHour = 'public, max-age=3600';
  router.get('/demo.css', serveAsset(loadAsset('widget/demo.css'), 'text/css; charset=utf-8', cacheHour));
  router.get('/demo-hero.svg', serveAsset(loadAsset('widget/demo-hero.svg'), 'image/svg+xml', cacheHour));

  router.get('/', async (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    const articleId = q('article') || DEFAULT_ARTICLE_ID;
    if (!commentSubmissionSchema.shape.articleId.safeParse(articleId).success) throw new NotFoundError('No such article.');
    const story = storyFor(articleId);
    const articleUrl = pageUrl(req, deps.publicUrl, articleId);

    const cursor = q('cpage') ? decodeCursor(q('cpage')) : null;
    const unapproved = q('unapproved');
    // The reader's own held comment, shown only to the browser whose cookie proves it wrote it.
    const mine = isUuid(unapproved) && isOwnComment(req, deps.formTokenSecret, unapproved) ? await ownHeldComment(deps.pool, unapproved, articleId) : null;
    const [comments, notice, replyTo, article] = await Promise.all([
      listApprovedForArticle(deps.pool, articleId, { limit: NO_SCRIPT_PAGE, cursor }),
      isUuid(q('reported')) ? Promise.resolve({ commentId: q('reported').toLowerCase(), status: 'reported', message: 'Thank you for your report. A moderator will look at the comment.' }) : noticeFor(deps.pool, unapproved),
      replyTarget(deps.pool, q('replytocom'), articleId),
      articleState ? articleState(articleId) : Promise.resolve(undefined),
    ]);
    const now = new Date();
    // The spam check's signed form token, for the no-JavaScript form (the widget fetches its own).
    const formToken = signFormToken(deps.formTokenSecret, articleId, now);
    const model: DemoPageModel = { story, articleUrl, comments, notice, ownPending: mine, replyTo, formToken, today: now, article };
    res
      .set({
        'Content-Security-Policy': PAGE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
        'Cache-Control': 'no-cache',
      })
      .type('html')
      .send(renderDemoPage(model));
  });
  return router;
}

/** This page's URL on the origin it was asked on (the form's redirect_to), else on PUBLIC_URL. */
function pageUrl(req: Request, publicUrl: string, articleId: string): string {
  let base: URL;
  try {
    base = new URL(`${req.protocol}://${req.get('host')}/`);
  } catch {
    base = new URL(`${publicUrl}/`);
  }
  base.searchParams.set('article', articleId);
  return base.href;
}

/** The notice after a no-JavaScript post: what the submitter may know of their comment. */
async function noticeFor(pool: Pool, id: string): Promise<DemoPageModel['notice']> {
  if (!isUuid(id)) return null;
  const stored = await findCommentById(pool, id);
  // Not stored yet (still in the queue) reads as "awaiting moderation" too.
  const view = stored ? submitterView(stored) : { status: 'pending', message: AWAITING_MODERATION };
  return { commentId: id.toLowerCase(), status: view.status, message: view.message };
}

/** How long the page waits for a just-posted comment to leave the queue before showing the notice alone. */
const OWN_COMMENT_WAIT_MS = 2000;

/**
 * The reader's comment on this article while it is held (pending; spam and trash look the same to its
 * writer). A comment still in the queue is waited for a moment: the 303 usually arrives before the worker
 * has stored it.
 */
async function ownHeldComment(pool: Pool, id: string, articleId: string): Promise<PublicComment | null> {
  const deadline = Date.now() + OWN_COMMENT_WAIT_MS;
  let stored = await findCommentById(pool, id);
  while (!stored && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = await findCommentById(pool, id);
  }
  if (!stored || stored.articleId !== articleId || stored.status === 'approved' || stored.status === 'rejected') return null;
  return { id: stored.id, parentId: stored.parentId, authorName: stored.authorName, authorUrl: stored.authorUrl, body: stored.body, createdAt: stored.submittedAt, replies: [] };
}

async function replyTarget(pool: Pool, id: string, articleId: string): Promise<DemoPageModel['replyTo']> {
  if (!isUuid(id)) return null;
  const parent = await findCommentById(pool, id);
  return parent && parent.status === 'approved' && parent.articleId === articleId ? { id: parent.id, authorName: parent.authorName } : null;
}
