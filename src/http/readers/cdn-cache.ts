import { createHash } from 'node:crypto';
import type { Logger } from '../../logger';

/**
 * Reader listings behind a CDN (docs/cdn.md).
 *
 * Browsers and any cache that reads only `Cache-Control` keep revalidating every view
 * (`max-age=0, must-revalidate`), which the ETag makes cheap (a 304 from memory). A CDN is told
 * more through the headers aimed at it, which CDNs read before `Cache-Control` and do not pass on:
 * `CDN-Cache-Control` (RFC 9213: Cloudflare, Akamai, Fastly) and `Surrogate-Control` (Fastly,
 * Varnish, Akamai): keep a listing `maxAge` seconds, serve it `staleWhileRevalidate` seconds longer
 * while fetching a fresh one in the background, and `staleIfError` seconds while this service
 * fails. `s-maxage` in `Cache-Control` gives shared caches that read only that header the same
 * freshness, but no stale serving (must-revalidate forbids it). `Surrogate-Key` (Fastly) and
 * `Cache-Tag` (Cloudflare, Akamai) name the article, so one purge call drops all its pages.
 */
export interface ListingCdnPolicy {
  maxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
}

/** The tag every listing page carries besides its article's: purging it drops every listing. */
export const ALL_LISTINGS_KEY = 'comments-listings';

/**
 * An article's surrogate key: `comments-a-` and a digest of the id (ids may hold `/` and `:`,
 * which some CDNs' tag syntax refuses, and up to 200 characters). Stable across processes and
 * releases, so a purge from any of them names the same pages.
 */
export function articleSurrogateKey(articleId: string): string {
  return `comments-a-${createHash('sha256').update(articleId).digest('hex').slice(0, 24)}`;
}

/** The headers of a listing answer (200 and 304 alike: a revalidated page keeps its policy). */
export function listingCacheHeaders(policy: ListingCdnPolicy, articleId: string): Record<string, string> {
  const key = articleSurrogateKey(articleId);
  if (policy.maxAge <= 0) {
    return { 'Cache-Control': 'public, max-age=0, must-revalidate', 'Surrogate-Key': `${key} ${ALL_LISTINGS_KEY}`, 'Cache-Tag': `${key},${ALL_LISTINGS_KEY}` };
  }
  const shared = `max-age=${policy.maxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}, stale-if-error=${policy.staleIfError}`;
  return {
    'Cache-Control': `public, max-age=0, must-revalidate, s-maxage=${policy.maxAge}`,
    'CDN-Cache-Control': `public, ${shared}`,
    'Surrogate-Control': shared,
    'Surrogate-Key': `${key} ${ALL_LISTINGS_KEY}`,
    'Cache-Tag': `${key},${ALL_LISTINGS_KEY}`,
  };
}

export interface CdnPurgerOptions {
  /** POSTed per changed article; `{key}` in it is replaced by the surrogate key. */
  url: string;
  /** One extra header (the CDN's API token), as `Name: value`. */
  header?: string;
  log: Logger;
  /** Changes within this window are sent together (one call per key). */
  debounceMs?: number;
  /** Keys waiting at once; beyond it, one purge of every listing replaces them. */
  maxPending?: number;
  /** Longest wait for the CDN's answer. */
  timeoutMs?: number;
}

export interface CdnPurger {
  /** An article's approved comments changed (`*`: any article's may have). */
  changed(articleId: string): void;
  /** Purge calls answered 2xx / not, since start (for tests and logs). */
  readonly counts: { sent: number; failed: number };
  close(): Promise<void>;
}

/**
 * Calls the CDN's purge API when an article's listing changes, so a CDN may keep listings far
 * longer than LISTING_CDN_MAX_AGE and still show an approval at once. Fed by the listing-change
 * notifications every API process hears (../../db/listing-versions.ts), so every writer's changes
 * purge; with several API processes each sends the call (purges are idempotent). Bounded: keys
 * wait in a set of at most `maxPending` (more at once becomes one purge of every listing), at most
 * four calls are in flight, a failure is logged and not retried (the CDN's max-age still bounds
 * the staleness).
 */
export function createCdnPurger(opts: CdnPurgerOptions): CdnPurger {
  const debounceMs = opts.debounceMs ?? 100;
  const maxPending = opts.maxPending ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.header) {
    const at = opts.header.indexOf(':');
    headers[opts.header.slice(0, at).trim()] = opts.header.slice(at + 1).trim();
  }
  const pending = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const counts = { sent: 0, failed: 0 };
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const send = async (key: string) => {
    const url = opts.url.replaceAll('{key}', encodeURIComponent(key)).replaceAll('%7Bkey%7D', encodeURIComponent(key));
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ surrogate_keys: [key], tags: [key] }), signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) counts.sent += 1;
      else {
        counts.failed += 1;
        opts.log.warn({ status: res.status, key }, 'cdn purge refused');
      }
    } catch (err) {
      counts.failed += 1;
      opts.log.warn({ err: (err as Error).message, key }, 'cdn purge failed');
    }
  };

  const flush = async () => {
    timer = undefined;
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      while (inFlight.size >= 4) await Promise.race(inFlight);
      const call = send(key).finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
  };

  return {
    counts,
    changed(articleId) {
      if (closed) return;
      if (articleId === '*' || pending.size >= maxPending) {
        pending.clear();
        pending.add(ALL_LISTINGS_KEY);
      } else if (!pending.has(ALL_LISTINGS_KEY)) {
        pending.add(articleSurrogateKey(articleId));
      }
      timer ??= setTimeout(() => void flush(), debounceMs);
    },
    async close() {
      closed = true;
      if (timer) {
        clearTimeout(timer);
        await flush();
      }
      await Promise.all(inFlight);
    },
  };
}
