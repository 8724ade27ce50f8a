import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { escapeHtml } from './html';

/** body-parser's error types → our stable codes and statuses. */
const PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'Only UTF-8 request bodies are accepted.' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'This content encoding is not supported.' },
  'parameters.too.many': { status: 413, code: 'too_many_fields', message: 'The form has too many fields.' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'The request was aborted.' },
};

export const notFoundHandler: RequestHandler = () => {
  throw new NotFoundError('No such endpoint.');
};

/**
 * The one place failures become answers: `{ error: { code, message, fields?, requestId } }`, or a
 * small HTML page for a browser's form post. Unknown errors are 500 `internal_error` with no internals.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    let status = 500;
    let code = 'internal_error';
    let message = 'Something went wrong on our side.';
    let details: Record<string, unknown> | undefined;
    const parserError = typeof err?.type === 'string' ? PARSER_ERRORS[err.type] : undefined;

    if (err instanceof AppError) {
      ({ status, code, message, details } = err);
    } else if (parserError) {
      ({ status, code, message } = parserError);
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      status = err.status;
      code = 'bad_request';
      message = 'The request could not be understood.';
    } else {
      (res.locals.log as Logger | undefined ?? log).error({ err, requestId }, 'unhandled error');
    }

    const retryAfter = details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    if (res.headersSent) return;

    const fields = details?.fields;
    const extra = details ? Object.fromEntries(Object.entries(details).filter(([k]) => k !== 'fields')) : {};
    if (res.locals.formPost && req.accepts(['json', 'html']) === 'html') {
      res.status(status).set('Content-Security-Policy', ERROR_PAGE_CSP).type('html').send(htmlError(message, fields as { message: string }[] | undefined, req.get('referer')));
      return;
    }
    res.status(status).json({ error: { code, message, ...(fields ? { fields } : {}), ...extra, requestId } });
  };
}

/** The error page's policy: its inline styles, nothing else (no script: it is meant for readers without JavaScript). */
const ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page the form was posted from, when it is a web page: the way back. */
function backLink(referer: string | undefined): string {
  try {
    const url = new URL(referer ?? '');
    if (url.protocol === 'http:' || url.protocol === 'https:') return `<p><a href="${escapeHtml(url.href)}">« Back to the article</a></p>`;
  } catch {
    /* no usable Referer: the Back button is the way */
  }
  return '';
}

/** What a reader sees after a form post with JavaScript off: the problem, and the way back. */
function htmlError(message: string, fields: { message: string }[] | undefined, referer: string | undefined): string {
  const items = (fields ?? []).map((f) => `<li>${escapeHtml(f.message)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Comment not posted</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Your comment was not posted</h1><p>${escapeHtml(message)}</p>${items ? `<ul>${items}</ul>` : ''}
<p>Use your browser’s Back button to correct your comment and send it again.</p>${backLink(referer)}</body></html>`;
}
