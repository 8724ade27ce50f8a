import { Router } from 'express';
import { loadAsset, serveAsset } from '../static-asset';

/**
 * `GET /embed.js`: the comment widget that sites load with `<script src=".../embed.js" async>`.
 * Any page may load the script itself (CORS `*`, cross-origin resource policy); what it may then do
 * against the API is governed by ALLOWED_ORIGINS. An hour's cache, revalidated by ETag: the URL is
 * unversioned, so a new release reaches readers within the hour.
 */
export function embedRoutes(): Router {
  const router = Router();
  router.get(
    '/embed.js',
    serveAsset(loadAsset('widget/embed.js'), 'application/javascript; charset=utf-8', 'public, max-age=3600', {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }),
  );
  return router;
}
