import { Router, type Request } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { changeStatus } from '../../db/decision-repository';
import { findCommentById } from '../../db/comment-repository';
import type { Pool } from '../../db/pool';
import { insertReport } from '../../db/report-repository';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { verifyFormToken } from '../../moderation/form-token';
import { clientAddress } from '../../moderation/ip-address';
import { newReaderToken, readerIdOf, reportHash, reportWeight } from '../../moderation/reader-token';
import type { ModerationSettings } from '../../moderation/types';
import { readCookie } from '../moderators/auth';
import { isUuid } from '../../lib/uuid';

/** Reports one address may send per hour (all comments together). */
export const REPORTS_PER_HOUR = 20;
/** Readers behind one address who may report the same comment (a household, an office). */
export const REPORTS_PER_COMMENT_PER_IP = 3;
export const READER_COOKIE = 'cm_reader';

export interface ReportRouteDeps {
  pool: Pool;
  redis: Redis;
  /** Redis key prefix of the hourly limit (under the queue's prefix). */
  keyPrefix: string;
  secret: string;
  settings: () => Promise<ModerationSettings>;
  allowedOrigins: readonly string[];
  log: Logger;
  now: () => Date;
}

export const reportBody = z.object({
  reason: z.enum(['spam', 'abusive', 'off_topic', 'other'], { error: 'Choose a reason: spam, abusive, off_topic or other.' }),
  note: z.string().trim().max(500, 'A note is at most 500 characters.').optional().transform((v) => v || null),
  formToken: z.string().max(1000).optional(),
  readerToken: z.string().max(200).optional(),
});

/**
 * `POST /api/comments/:id/reports`: a reader reports a published comment (docs/articles.md), from the
 * widget (JSON, `readerToken` kept in localStorage) or a form without JavaScript (fields `reason`,
 * `note`, `form_token`, `redirect_to`; the reader cookie; answered 303 back to the article).
 * Form-token protected, rate-limited per address, one report per reader per comment, 404 for a comment
 * that is not published. Only keyed hashes of the reader and the address are stored.
 */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  const limiter = new RateLimiterRedis({ storeClient: deps.redis, keyPrefix: `${deps.keyPrefix}:hour`, points: REPORTS_PER_HOUR, duration: 3600, rejectIfRedisNotReady: true });

  router.post('/api/comments/:id/reports', async (req, res) => {
    const isForm = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
    res.locals.formPost = isForm;
    const id = String(req.params.id);
    if (!isUuid(id)) throw new NotFoundError('No published comment with this id.');
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const input = isForm ? { reason: raw.reason, note: raw.note, formToken: raw.form_token } : { ...raw, readerToken: raw.readerToken ?? req.get('x-reader-token') };
    const parsed = reportBody.safeParse(input);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
    const body = parsed.data;

    // The form token: fetched with the page, for this comment's article (checked below), not expired.
    const settings = await deps.settings();
    const token = body.formToken ? verifyFormToken(deps.secret, body.formToken) : null;
    const age = token?.valid ? deps.now().getTime() - token.issuedAt.getTime() : Infinity;
    if (!token?.valid || age > settings.formTokenMaxAgeSeconds * 1000 || age < -60_000) {
      throw new AppError(403, 'form_token_invalid', 'This page has expired: reload it and report the comment again.');
    }

    // The reader: the widget's token, else this browser's cookie, else a new one.
    let readerToken = [body.readerToken, readCookie(req, READER_COOKIE)].find((t) => readerIdOf(deps.secret, t)) ?? null;
    if (!readerToken) readerToken = newReaderToken(deps.secret);
    const readerHash = reportHash(deps.secret, 'reader', readerIdOf(deps.secret, readerToken)!);
    const ip = clientAddress(req.ip);
    const ipHash = ip ? reportHash(deps.secret, 'ip', ip) : null;

    const target = await findCommentById(deps.pool, id);
    if (!target || target.status !== 'approved') throw new NotFoundError('No published comment with this id.');
    if (token.articleId !== target.articleId) throw new AppError(403, 'form_token_invalid', 'This page has expired: reload it and report the comment again.');
    await consume(limiter, ipHash ?? `reader:${readerHash}`);
    const outcome = await insertReport(
      deps.pool,
      { commentId: id, reason: body.reason, note: body.note, readerHash, ipHash },
      { perIpLimit: REPORTS_PER_COMMENT_PER_IP, weightOf: reportWeight },
    );
    if (outcome.stored && settings.hideAfterReports > 0 && outcome.openWeight >= settings.hideAfterReports) {
      // Hidden from readers until a moderator decides: held, through the same status change moderators use.
      await changeStatus(deps.pool, id, 'pending', ['approved'], { actor: 'system', note: `Hidden after ${outcome.openCount} reader reports.` }).catch((err: unknown) => {
        if (!(err instanceof AppError)) throw err;
      });
    }

    res.cookie(READER_COOKIE, readerToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/api/comments', maxAge: 365 * 24 * 3600 * 1000, encode: String });
    const duplicate = !outcome.stored;
    if (isForm) return void res.redirect(303, backAfterReport(req, raw.redirect_to, deps.allowedOrigins, id));
    res.status(duplicate ? 200 : 201).set('Cache-Control', 'no-store').json({ commentId: id, reported: true, duplicate, readerToken });
  });

  return router;
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new TooManyRequestsError(Math.ceil(err.msBeforeNext / 1000), 'You have reported many comments in the last hour. Please try again later.');
    throw new ServiceUnavailableError(5, 'reports_unavailable', 'Reports cannot be taken right now. Please try again in a moment.');
  }
}

/** Back to the article page the form was on (an allowed origin only), with `?reported=<id>`. */
function backAfterReport(req: Request, redirectTo: unknown, allowedOrigins: readonly string[], id: string): string {
  for (const candidate of [typeof redirectTo === 'string' ? redirectTo : undefined, req.get('referer')]) {
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      const own = `${req.protocol}://${req.get('host')}`;
      if (!allowedOrigins.includes(url.origin) && url.origin !== own) continue;
      url.searchParams.set('reported', id);
      url.hash = `comment-${id}`;
      return url.href;
    } catch {
      continue;
    }
  }
  return `/?reported=${id}`;
}
