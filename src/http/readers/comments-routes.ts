import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Pool } from '../../db/pool';
import { approvedListingVersion, decodeCursor, findCommentById, listApprovedForArticle } from '../../db/comment-repository';
import type { ListingVersions } from '../../db/listing-versions';
import { AppError, BadRequestError, NotFoundError, TooManyRequestsError, ValidationError } from '../../errors';
import type { FloodControl } from './flood-guard';
import { commentSubmissionSchema, fromFormFields, MESSAGES, parseSubmission, type CommentSubmission } from '../../moderation/comment-schema';
import type { Producer } from '../../queue/moderation-queue';
import type { IdempotencyStore, StoredAnswer } from './idempotency';
import { matchesIfNoneMatch } from '../conditional';
import { backToArticle } from './redirect';
import { rememberOwnComment } from './own-comments';
import { submitterView } from './submitter-view';
import { createListingCache, type ListingCache } from './listing-cache';
import { listingCacheHeaders, type ListingCdnPolicy } from './cdn-cache';
import { isUuid } from '../../lib/uuid';

/** A check run at the API before enqueueing; throws an AppError to refuse. */
export type SubmissionGuard = (req: Request, submission: CommentSubmission) => Promise<void>;

export interface CommentsRouteDeps {
  pool: Pool;
  producer: Producer;
  idempotency: IdempotencyStore;
  guards: SubmissionGuard[];
  /** Flood control: counters checked and counted with the enqueue, in one Redis transaction (./flood-guard.ts). */
  floodControl?: FloodControl;
  publicUrl: string;
  allowedOrigins: readonly string[];
  articleUrlTemplate: string;
  /** Rendered listing pages by version (./listing-cache.ts); default: a cache of this router's own. */
  listingCache?: ListingCache;
  /** What CDNs may do with listings (./cdn-cache.ts); default: revalidate every view. */
  listingCdn?: ListingCdnPolicy;
  /** Listing versions remembered until Postgres announces a change; default: read for every request. */
  listingVersions?: ListingVersions;
  /** Signs the cookie that lets a no-JavaScript reader see their own held comment (./own-comments.ts). */
  ownCommentSecret: string;
  /** The clock a submission's `receivedAt` comes from (the form-token check compares it with the token's issue time). */
  now: () => Date;
}

const NO_CDN: ListingCdnPolicy = { maxAge: 0, staleWhileRevalidate: 0, staleIfError: 0 };

export function commentsRoutes(deps: CommentsRouteDeps): Router {
  const router = Router();
  const listingCache = deps.listingCache ?? createListingCache();
  const listingVersion = deps.listingVersions ? (articleId: string) => deps.listingVersions!.get(articleId) : (articleId: string) => approvedListingVersion(deps.pool, articleId);

  /** Submit: shape check, guards, enqueue, and only then 202 (or 303 for a form post). */
  router.post('/api/comments', async (req, res) => {
    const isForm = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
    res.locals.formPost = isForm;
    if (!isForm && req.is('application/json') !== 'application/json') {
      throw new AppError(415, 'unsupported_media_type', 'Send the comment as application/json or a form post (application/x-www-form-urlencoded).');
    }
    const raw: unknown = req.body;
    const input = isForm && raw && typeof raw === 'object' ? fromFormFields(raw as Record<string, unknown>) : raw;
    const parsed = parseSubmission(input);
    if (!parsed.ok) throw new ValidationError(parsed.fields);
    const submission = parsed.value;

    const key = deps.idempotency.parseKey(req.get('idempotency-key'));
    if (key) {
      const earlier = await deps.idempotency.get(key);
      if (earlier) return sendAnswer(res, earlier, true);
    }
    for (const guard of deps.guards) await guard(req, submission);
    const flood = deps.floodControl ? await deps.floodControl(req, submission) : null;

    const id = key ? deps.idempotency.commentIdFor(key) : randomUUID();
    const admission = await deps.producer.enqueue(
      {
        v: 1,
        comment: { id, ...submission },
        request: { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null, referrer: pageOf(req.get('referer')), receivedAt: deps.now().toISOString() },
      },
      flood?.gate,
    );
    if (!admission.admitted) throw new TooManyRequestsError(Math.max(1, Math.ceil(admission.retryAfterMs / 1000)), flood!.messages[admission.refused]);
    // Only accepted submissions count: give the points back if the answer is not a success after all.
    if (admission.counted.length) {
      res.once('finish', () => {
        if (res.statusCode >= 400) void deps.producer.giveBack(admission.counted).catch(() => undefined);
      });
    }

    const statusUrl = `${deps.publicUrl.replace(/\/$/, '')}/api/comments/${id}`;
    const answer: StoredAnswer = { status: 202, body: { id, status: 'queued', statusUrl } };
    if (isForm) {
      answer.status = 303;
      answer.location = backToArticle({
        redirectTo: (raw as Record<string, unknown>).redirect_to,
        referer: req.get('referer'),
        articleId: submission.articleId,
        commentId: id,
        allowedOrigins: deps.allowedOrigins,
        articleUrlTemplate: deps.articleUrlTemplate,
      });
    }
    if (key) await deps.idempotency.remember(key, answer).catch(() => undefined);
    if (isForm) rememberOwnComment(req, res, deps.ownCommentSecret, id);
    sendAnswer(res, answer, false);
  });

  /** What the submitter may know: queued, pending (spam included), approved, or rejected with reasons. */
  router.get('/api/comments/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new NotFoundError('No comment with this id.');
    const stored = await findCommentById(deps.pool, id);
    if (stored) {
      res.set('Cache-Control', 'no-store').json(submitterView(stored));
      return;
    }
    const state = await deps.producer.jobState(id);
    if (state === 'unknown') throw new NotFoundError('No comment with this id.');
    res.set('Cache-Control', 'no-store').json({ id, status: 'queued', message: 'Your comment has been received.' });
  });

  /** An article's approved comments, threaded, oldest first, with a cursor for the next page. */
  router.get('/api/articles/:articleId/comments', async (req, res) => {
    // Checked as at submit (one definition: comment-schema) before the id reaches any cache.
    const parsedId = commentSubmissionSchema.shape.articleId.safeParse(req.params.articleId);
    if (!parsedId.success) throw new ValidationError([{ field: 'articleId', message: parsedId.error.issues[0]?.message ?? MESSAGES.articleId }]);
    const articleId = parsedId.data;
    const limitRaw = req.query.limit;
    const limit = limitRaw === undefined ? 50 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadRequestError('invalid_limit', 'limit must be a whole number from 1 to 200.');
    const cursorRaw = req.query.cursor;
    const cursor = typeof cursorRaw === 'string' && cursorRaw ? decodeCursor(cursorRaw) : null;
    if (cursorRaw !== undefined && cursorRaw !== '' && !cursor) throw new BadRequestError('invalid_cursor', 'The cursor is not valid.');
    // Version first, listing second: a comment approved in between then costs one extra 200 later,
    // never a stale 304 (see approvedListingVersion for what other writers must keep true, and
    // ../db/listing-versions.ts for how long a remembered version may lag a change: until the
    // commit's notification arrives).
    const version = await listingVersion(articleId);
    const etag = `W/"l2-${version}"`; // l2: the listing's JSON shape (l2: editors' picks); bump it when that shape changes
    res.set({ ...listingCacheHeaders(deps.listingCdn ?? NO_CDN, articleId), ETag: etag });
    if (matchesIfNoneMatch(req, etag)) {
      res.status(304).end();
      return;
    }
    const body = await listingCache.page(`${articleId}\n${limit}\n${cursor ? String(cursorRaw) : ''}`, version, async () =>
      JSON.stringify(await listApprovedForArticle(deps.pool, articleId, { limit, cursor })),
    );
    res.type('json').send(body);
  });

  return router;
}

/**
 * The page a comment was sent from, for moderators: origin and path only. A query string or fragment
 * may carry a newsletter token or the reader's email, which neither the queue nor the worker needs.
 */
function pageOf(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.origin}${url.pathname}`.slice(0, 1000) : null;
  } catch {
    return null;
  }
}

function sendAnswer(res: Response, answer: StoredAnswer, replayed: boolean): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  if (answer.location) {
    res.redirect(303, answer.location);
    return;
  }
  res.status(answer.status).location(String(answer.body.statusUrl)).json(answer.body);
}
