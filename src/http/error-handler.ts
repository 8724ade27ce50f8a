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
      const wait = typeof retryAfter === 'number' ? Math.max(1, Math.ceil(retryAfter)) : null;
      res.status(status).set('Content-Security-Policy', ERROR_PAGE_CSP).type('html').send(htmlError(message, fields as { message: string }[] | undefined, req.get('referer'), wait));
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
    if (url.protocol === 'http:' || url.protocol === 'https:') return `<p><a class="back" href="${escapeHtml(url.href)}">« Back to the article</a></p>`;
  } catch {
    /* no usable Referer: the Back button is the way */
  }
  return '';
}

/** The error page's look (inline: the page may be answering a form on any site, and loads nothing else). */
const ERROR_PAGE_STYLE = `
body{margin:0;padding:48px 16px;background:#f1f1f1;color:#222;font:16px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:640px;margin:0 auto;padding:28px 32px;background:#fff;border-top:4px solid #d32f2f;box-shadow:0 1px 3px rgba(0,0,0,.13)}
h1{margin:0 0 12px;font-size:22px;line-height:1.3}
p{margin:0 0 14px}
ul{margin:0 0 16px;padding:12px 14px 12px 32px;background:#fdf2f2;color:#8a1c1c}
.wait{padding:10px 14px;border-left:3px solid #b45309;background:#fff8eb;color:#6b3a06}
.back{display:inline-block;padding:9px 16px;background:#222;color:#fff;font-size:14px;font-weight:700;text-decoration:none}
.back:hover,.back:focus{background:#0a70b5}
@media (max-width:480px){body{padding:16px 8px}main{padding:20px 18px}}`;

/** What a reader sees after a form post with JavaScript off: the problem, how long to wait if that is it, and the way back. */
function htmlError(message: string, fields: { message: string }[] | undefined, referer: string | undefined, waitSeconds: number | null): string {
  const items = (fields ?? []).map((f) => `<li>${escapeHtml(f.message)}</li>`).join('');
  const wait = waitSeconds
    ? `<p class="wait">Please wait ${waitSeconds === 1 ? '1 second' : `${waitSeconds} seconds`}, then go back and send your comment again.</p>`
    : '<p>Use your browser’s Back button to correct your comment and send it again.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comment not posted</title><style>${ERROR_PAGE_STYLE}</style></head><body><main>
<h1>Your comment was not posted</h1><p>${escapeHtml(message)}</p>${items ? `<ul>${items}</ul>` : ''}
${wait}${backLink(referer)}</main></body></html>`;
}
