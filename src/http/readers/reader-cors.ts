import cors from 'cors';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../errors';

/** The readers' API that embedding sites call from the browser: submit, status, listings, counts, form token. */
export const READER_API_PATHS = ['/api/comments', '/api/articles', '/api/form-token'];

/** Headers the widget (or any embedding page) may read from our answers. */
const EXPOSED_HEADERS = ['Retry-After', 'Location', 'X-Request-Id', 'Idempotent-Replayed'];

/**
 * Whether a request's Origin may use the readers' API: one of ALLOWED_ORIGINS, or this service's own
 * origin as the request reached it (the demo page, whatever host or port it is served on).
 */
export function isAllowedOrigin(req: Request, origin: string, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  const host = req.get('host');
  return !!host && origin === `${req.protocol}://${host}`;
}

/**
 * CORS for the readers' API, then a guard. Browsers on allowed origins get CORS headers (preflight:
 * `Content-Type` and `Idempotency-Key`); others get none, so their pages cannot read our answers.
 * Anything but GET/HEAD carrying an Origin that is not allowed (a cross-site fetch, a preflight,
 * or another site's plain HTML form post, which needs no preflight) is refused with 403
 * `origin_not_allowed`. Requests without an Origin (curl, server-to-server) pass.
 */
export function readerCors(allowedOrigins: readonly string[]): RequestHandler[] {
  const corsHeaders = cors((req, callback) => {
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && isAllowedOrigin(req as Request, origin, allowedOrigins);
    callback(null, {
      origin: allowed ? origin : false,
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['Content-Type', 'Idempotency-Key'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  });

  const originGuard: RequestHandler = (req, res, next) => {
    // Answers differ by Origin: shared caches must keep them apart, also when no Origin was sent.
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined || req.method === 'GET' || req.method === 'HEAD') return next();
    if (isAllowedOrigin(req, origin, allowedOrigins)) return next();
    if (req.is('application/x-www-form-urlencoded')) res.locals.formPost = true;
    next(new AppError(403, 'origin_not_allowed', 'Comments cannot be posted from this site.'));
  };

  // No Origin: not a cross-origin browser request, so CORS headers would say nothing (answers still
  // vary by Origin, below). Skipping them saves a submit about a tenth of its time.
  const corsWhenOrigin: RequestHandler = (req, res, next) => (req.headers.origin === undefined ? next() : corsHeaders(req, res, next));

  return [corsWhenOrigin, originGuard];
}
