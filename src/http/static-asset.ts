import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { matchesIfNoneMatch } from './conditional';

/**
 * Every browser file lives under `public/`: the readers' widget and demo page in `public/widget`, the
 * moderators' review page in `public/moderation`. Resolved from the working directory: `__dirname`
 * differs between ts-jest and the compiled `dist/`, and these are not built.
 */
export function publicDir(...parts: string[]): string {
  return path.resolve(process.cwd(), 'public', ...parts);
}

export interface StaticAsset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** Reads a public file once (`widget/embed.js`), with its gzip form and a strong ETag of its content. */
export function loadAsset(name: string): StaticAsset {
  const body = readFileSync(publicDir(name));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzipped: gzipSync(body, { level: 9 }), etag };
}

/**
 * Serves one in-memory file: its type, a Cache-Control, the ETag (304 when it matches), and the gzip
 * form to clients that accept it. `headers` adds anything else (CORS for the widget).
 */
export function serveAsset(asset: StaticAsset, type: string, cacheControl: string, headers: Record<string, string> = {}): RequestHandler {
  return (req, res) => {
    res.set({ 'Content-Type': type, 'Cache-Control': cacheControl, ETag: asset.etag, 'X-Content-Type-Options': 'nosniff', ...headers });
    res.vary('Accept-Encoding');
    if (matchesIfNoneMatch(req, asset.etag)) {
      res.status(304).end();
      return;
    }
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.send(gzip ? asset.gzipped : asset.body);
  };
}
