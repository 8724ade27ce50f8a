import { Router, type Request, type Response } from 'express';
import { changeStatus, deleteComment, editCommentBody, type ReviewChange } from '../../db/decision-repository';
import type { Pool } from '../../db/pool';
import { countByStatus, decodeQueueCursor, findAuthorComments, findCommentDetail, listQueue } from '../../db/review-repository';
import { AppError, BadRequestError, NotFoundError, ValidationError } from '../../errors';
import type { ReviewEvent, ReviewFeed } from '../../live/review-feed';
import type { Logger } from '../../logger';
import { ACTION_RULES, allowedFrom, civilityLabel, COMMENT_STATUSES, feedbackLabel, REVIEW_ACTIONS, type ReviewAction } from '../../moderation/review-actions';
import type { CivilityFeedback } from './civility-feedback';
import type { ClassifierInput, CommentStatus } from '../../moderation/types';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from './auth';
import { actionBody, bulkBody, editBody, parseBody, parseQuery, queueQuery } from './schemas';
import { reviewEventStream } from './review-event-stream';
import { countQueues, keepReported, listReported, listUnmoderated } from '../../db/report-repository';
import { isUuid } from '../../lib/uuid';

/** Teaches the spam filter one comment (spam and not-spam decisions); label null takes the comment's lesson back. */
export type LearnFn = (input: ClassifierInput, label: 'spam' | 'ham' | null, opts?: { key?: string }) => Promise<void>;

export interface ReviewRouteDeps {
  pool: Pool;
  log: Logger;
  publicUrl: string;
  feed?: ReviewFeed;
  learn?: LearnFn;
  /** The civility model's lessons ("hold as abusive", approving a comment it held). */
  civility?: CivilityFeedback;
  /** Told about every decision made here (metrics: decisions and reversals). */
  onDecisions?: (changes: ReviewChange[]) => void;
}

function commentId(req: Request): string {
  const id = String(req.params.id);
  if (!isUuid(id)) throw new NotFoundError('No comment with this id.');
  return id;
}

/** The statuses an action may start from, or 422 when the expected status can never be one. */
function startStatuses(action: ReviewAction, expected: CommentStatus | undefined): CommentStatus[] {
  const from = allowedFrom(action, expected);
  if (!from) throw new ValidationError([{ field: 'expectedStatus', message: `${action} cannot start from ${expected}.` }]);
  return from;
}

/**
 * The review queue API: list and count, one comment's detail, the status actions, edit, delete,
 * bulk, and the live event stream. Every route needs a session or token (moderator or admin).
 */
export function moderationReviewRoutes(deps: ReviewRouteDeps): Router {
  const router = Router();
  router.use('/api/moderation', authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin', 'moderator'));

  const announce = async (res: Response, changes: ReviewChange[]) => {
    if (changes.length) deps.onDecisions?.(changes);
    if (!deps.feed || !changes.length) return;
    const byTarget = new Map<string, string[]>();
    for (const c of changes) byTarget.set(c.to, [...(byTarget.get(c.to) ?? []), c.comment.id]);
    const actor = principalOf(res).actor;
    for (const [to, commentIds] of byTarget) {
      const event: ReviewEvent = { type: 'changed', commentIds, to: to as CommentStatus | 'deleted' | 'edited', actor, at: new Date().toISOString() };
      await deps.feed.publish(event);
    }
  };

  /**
   * Decisions teach the filter at once (feedbackLabel says which); a failure to learn never undoes
   * the decision. One lesson per comment, keyed by it: a later decision that teaches nothing (undo,
   * restore, unapprove) takes it back exactly, and one that teaches the other label replaces it.
   */
  const teach = async (res: Response, action: ReviewAction | 'delete', change: ReviewChange) => {
    if (action === 'delete') return;
    await teachCivility(res, action, change);
    const { comment, from } = change;
    const label = feedbackLabel(action, from);
    if (!deps.learn || label === undefined) return;
    try {
      const input = { body: comment.body, authorName: comment.authorName, authorEmail: comment.authorEmail, authorUrl: comment.authorUrl };
      await deps.learn(input, label, { key: `review:${comment.id}` });
    } catch (err) {
      ((res.locals.log as Logger | undefined) ?? deps.log).warn({ err: (err as Error).message, commentId: comment.id }, 'spam filter did not learn');
    }
  };

  /** The civility model's lesson for a decision (civilityLabel says which), keyed like the spam model's. */
  const teachCivility = async (res: Response, action: ReviewAction, { comment, from }: ReviewChange) => {
    const label = civilityLabel(action, from, comment.verdicts);
    if (!deps.civility || label === undefined) return;
    try {
      await deps.civility.learn(comment.body, label, `review:${comment.id}`);
    } catch (err) {
      ((res.locals.log as Logger | undefined) ?? deps.log).warn({ err: (err as Error).message, commentId: comment.id }, 'civility model did not learn');
    }
  };

  /** A reported comment a moderator kept: the model learns it is not spam. */
  const teachHam = async (res: Response, { comment }: ReviewChange) => {
    if (!deps.learn) return;
    try {
      await deps.learn({ body: comment.body, authorName: comment.authorName, authorEmail: comment.authorEmail, authorUrl: comment.authorUrl }, 'ham', { key: `review:${comment.id}` });
    } catch (err) {
      ((res.locals.log as Logger | undefined) ?? deps.log).warn({ err: (err as Error).message, commentId: comment.id }, 'spam filter did not learn');
    }
  };

  router.get('/api/moderation/counts', async (_req, res) => {
    const [counts, queues] = await Promise.all([countByStatus(deps.pool, COMMENT_STATUSES), countQueues(deps.pool)]);
    res.set('Cache-Control', 'no-store').json({ counts, queues });
  });

  router.get('/api/moderation/comments', async (req, res) => {
    const q = parseQuery(queueQuery, req.query);
    if (q.queue) {
      // Reported: most reported first, with each reason and note; unmoderated: newest first (the top `limit`).
      const [items, counts, queues] = await Promise.all([
        q.queue === 'reported' ? listReported(deps.pool, { articleId: q.article, limit: q.limit }) : listUnmoderated(deps.pool, { articleId: q.article, limit: q.limit }),
        countByStatus(deps.pool, COMMENT_STATUSES),
        countQueues(deps.pool),
      ]);
      const flat = items.map((i) => ('reports' in i ? { ...i.comment, reports: i.reports } : i));
      res.set('Cache-Control', 'no-store').json({ queue: q.queue, counts, queues, items: flat, nextCursor: null });
      return;
    }
    const cursor = q.cursor ? decodeQueueCursor(q.cursor) : null;
    if (q.cursor && !cursor) {
      throw new BadRequestError('invalid_cursor', 'The cursor is not valid.', [{ field: 'cursor', message: 'Pass back the nextCursor of the previous page unchanged.' }]);
    }
    const [page, counts] = await Promise.all([
      listQueue(deps.pool, { status: q.status, articleId: q.article, email: q.email, ip: q.ip, text: q.q, heldBy: q.held, since: q.since, until: q.until, sort: q.sort, limit: q.limit }, cursor),
      countByStatus(deps.pool, COMMENT_STATUSES),
    ]);
    res.set('Cache-Control', 'no-store').json({ status: q.status, counts, ...page });
  });

  router.get('/api/moderation/comments/:id', async (req, res) => {
    const detail = await findCommentDetail(deps.pool, commentId(req), COMMENT_STATUSES);
    if (!detail) throw new NotFoundError('No comment with this id.');
    res.set('Cache-Control', 'no-store').json(detail);
  });

  for (const action of REVIEW_ACTIONS) {
    router.post(`/api/moderation/comments/:id/${action}`, async (req, res) => {
      const id = commentId(req);
      const body = parseBody(actionBody, req.body);
      const who = { actor: principalOf(res).actor, note: body.note };
      if (action === 'approve' && (body.expectedStatus === undefined || body.expectedStatus === 'approved')) {
        // A published comment readers reported: kept, its reports dismissed, a not-spam lesson.
        const kept = await keepReported(deps.pool, id, who);
        if (kept) {
          await teachHam(res, kept);
          await announce(res, [kept]);
          res.json({ comment: kept.comment, from: kept.from, to: kept.to, reportsDismissed: true });
          return;
        }
        if (body.expectedStatus === 'approved') throw new ValidationError([{ field: 'expectedStatus', message: 'approve cannot start from approved unless readers reported the comment.' }]);
      }
      const change = await changeStatus(deps.pool, id, ACTION_RULES[action].to, startStatuses(action, body.expectedStatus), who);
      await teach(res, action, change);
      await announce(res, [change]);
      res.json({ comment: change.comment, from: change.from, to: change.to });
    });
  }

  /**
   * Undoes "hold as abusive" on a comment it left held (the page's `z`): takes the civility lesson
   * back; the comment stays where it is. (On a comment it unpublished, undo approves it again.)
   */
  router.delete('/api/moderation/comments/:id/abusive', async (req, res) => {
    const id = commentId(req);
    const detail = await findCommentDetail(deps.pool, id, COMMENT_STATUSES);
    if (!detail) throw new NotFoundError('No comment with this id.');
    if (deps.civility) await deps.civility.learn(detail.comment.body, null, `review:${id}`);
    res.json({ id, lesson: 'taken back' });
  });

  router.patch('/api/moderation/comments/:id', async (req, res) => {
    const id = commentId(req);
    const body = parseBody(editBody, req.body);
    const from = body.expectedStatus ? [body.expectedStatus] : [...COMMENT_STATUSES];
    const actor = principalOf(res).actor;
    const change = await editCommentBody(deps.pool, id, body.body, from, { actor, note: body.note });
    await deps.feed?.publish({ type: 'changed', commentIds: [id], to: 'edited', actor, at: new Date().toISOString() });
    res.json({ comment: change.comment });
  });

  router.delete('/api/moderation/comments/:id', async (req, res) => {
    const id = commentId(req);
    const body = parseBody(actionBody, req.body ?? { expectedStatus: req.query.expectedStatus });
    const from = body.expectedStatus ? [body.expectedStatus] : [...COMMENT_STATUSES];
    const change = await deleteComment(deps.pool, id, from, { actor: principalOf(res).actor, note: body.note });
    await announce(res, [change]);
    res.json({ id, from: change.from, to: 'deleted' });
  });

  /** One action over many comments: a list of ids, or everything from one author's email or IP. */
  router.post('/api/moderation/bulk', async (req, res) => {
    const body = parseBody(bulkBody, req.body);
    const action = body.action as ReviewAction | 'delete';
    const who = { actor: principalOf(res).actor, note: body.note };
    let targets: { id: string; from: CommentStatus[] }[];
    if (body.ids) {
      const from = action === 'delete' ? (body.expectedStatus ? [body.expectedStatus] : [...COMMENT_STATUSES]) : startStatuses(action, body.expectedStatus);
      targets = [...new Set(body.ids)].map((id) => ({ id, from }));
    } else {
      if (action === 'delete' || action === 'restore' || action === 'unapprove') {
        throw new ValidationError([{ field: 'action', message: `${action} cannot be applied to everything from an author.` }]);
      }
      const to = ACTION_RULES[action].to as CommentStatus;
      const found = await findAuthorComments(deps.pool, { email: body.authorEmail, ip: body.authorIp }, to);
      targets = found.filter((c) => ACTION_RULES[action].from.includes(c.status)).map((c) => ({ id: c.id, from: [c.status] }));
    }

    const results: Record<string, unknown>[] = [];
    const changes: ReviewChange[] = [];
    for (const t of targets) {
      try {
        const change = action === 'delete' ? await deleteComment(deps.pool, t.id, t.from, who) : await changeStatus(deps.pool, t.id, ACTION_RULES[action].to, t.from, who);
        changes.push(change);
        await teach(res, action, change);
        results.push({ id: t.id, ok: true, from: change.from, to: change.to });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        results.push({ id: t.id, ok: false, error: { code: err.code, message: err.message, ...err.details } });
      }
    }
    await announce(res, changes);
    res.json({ action, changed: changes.length, failed: results.length - changes.length, results });
  });

  router.get('/api/moderation/events', reviewEventStream({ pool: deps.pool, feed: deps.feed }));

  return router;
}
