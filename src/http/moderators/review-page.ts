import path from 'node:path';
import express, { Router, type Response } from 'express';
import { publicDir } from '../static-asset';

/**
 * The review page's policy: scripts, styles and requests from this origin only, no inline script,
 * no framing. helmet (../security-headers.ts) sets the headers every answer carries; the page
 * replaces its Content-Security-Policy (the JSON API's loads nothing) and its Referrer-Policy.
 */
export const REVIEW_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function pageHeaders(res: Response): void {
  res.set('Content-Security-Policy', REVIEW_PAGE_CSP);
  res.set('Referrer-Policy', 'same-origin');
  res.set('Cache-Control', 'no-cache');
}

/** Where the page's files live: `public/moderation` (../static-asset.ts: every browser file is under `public/`). */
export function reviewPageDir(): string {
  return publicDir('moderation');
}

/**
 * `/moderation`: the review page (plain HTML, ES modules and CSS; no build step). The page itself is
 * public: it shows a sign-in form and reads everything else through the authenticated API.
 */
export function moderationPageRoutes(): Router {
  const router = Router();
  const dir = reviewPageDir();
  router.get(['/moderation', '/moderation/'], (_req, res) => {
    pageHeaders(res);
    res.sendFile(path.join(dir, 'index.html'));
  });
  router.use('/moderation', express.static(dir, { index: false, fallthrough: true, setHeaders: pageHeaders }));
  return router;
}
