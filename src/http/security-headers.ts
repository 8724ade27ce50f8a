import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The policy of every answer that does not set its own: JSON loads nothing and may not be framed.
 * The demo article (PAGE_CSP), the review page (REVIEW_PAGE_CSP) and the HTML error page set stricter
 * or page-specific policies over it.
 */
const DEFAULT_CSP = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * bull-board (`/admin/queues`): its scripts and stylesheets are its own files, but its page uses inline
 * styles and a `<base href>`. Its Google Fonts stylesheet stays blocked: admin pages call no third party.
 */
const QUEUE_DASHBOARD_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers for every answer (helmet): CSP, nosniff, no framing, no referrer, same-origin
 * resource policy (embed.js sets `cross-origin` itself: other sites load it), HSTS (honoured over
 * HTTPS only). Mount before the routes.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: DEFAULT_CSP },
    xFrameOptions: { action: 'deny' },
  });
}

/** The looser policy bull-board needs, for `/admin/queues` only. */
export function queueDashboardCsp(): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: QUEUE_DASHBOARD_CSP });
}
