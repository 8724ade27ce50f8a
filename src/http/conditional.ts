import type { Request } from 'express';

/**
 * Whether the request's If-None-Match names `etag` (weak comparison, RFC 9110 §13.1.2), so the
 * answer may be 304. Unlike Express's `req.fresh`, a request's `Cache-Control: no-cache` does not
 * prevent the 304: it asks caches to revalidate with us, and a 304 is exactly that (fetch() with a
 * hand-set If-None-Match always sends it).
 */
export function matchesIfNoneMatch(req: Request, etag: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const header = req.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
