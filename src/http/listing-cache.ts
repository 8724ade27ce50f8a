import type { ReviewFeed } from '../live/review-feed';

/**
 * A short in-process cache for the reader listing: each article's listing version (the ETag's
 * source, see approvedListingVersion) and the rendered pages of that version.
 *
 * Correctness: a cached version is dropped as soon as this process hears, on the review feed
 * (Redis pub/sub, every API and worker process publishes there), that a comment of the article was
 * stored approved, or that moderators changed any comment (those events carry no article, so the
 * whole cache goes). A read that started before such an event never fills the cache with what it
 * read (generation check). If an event is lost (Redis away), an entry still lives at most `ttlMs`:
 * a newly approved comment then reaches readers that much later, never a reader's changed
 * text later than that. Pages are cached by version, so a page can only be served for the exact
 * version it was rendered from.
 */
export interface ListingCache {
  version(articleId: string, load: () => Promise<string>): Promise<string>;
  page(key: string, version: string, load: () => Promise<string>): Promise<string>;
  close(): void;
}

export interface ListingCacheOptions {
  /** Longest life of a cached version (also the bound on staleness if invalidations are lost). */
  ttlMs: number;
  /** Rendered pages kept (least recently used dropped first). */
  maxPages: number;
  /** Pages larger than this are not kept (bytes, as UTF-16 string length). */
  maxPageChars: number;
}

export const LISTING_CACHE_DEFAULTS: ListingCacheOptions = { ttlMs: 1000, maxPages: 200, maxPageChars: 512 * 1024 };

export function createListingCache(feed: ReviewFeed | undefined, opts: ListingCacheOptions = LISTING_CACHE_DEFAULTS): ListingCache {
  // Without a feed nothing would tell this process about changes: cache nothing.
  if (!feed) {
    return { version: (_id, load) => load(), page: (_key, _version, load) => load(), close: () => undefined };
  }
  const versions = new Map<string, { version: string; at: number }>();
  const pages = new Map<string, { version: string; body: string }>();
  let generation = 0;

  const dropAll = () => {
    generation += 1;
    versions.clear();
  };
  const stopListening = feed.listen((event) => {
    if (event.type === 'stored') {
      if (event.status !== 'approved') return;
      generation += 1;
      versions.delete(event.articleId);
    } else {
      dropAll();
    }
  });

  return {
    async version(articleId, load) {
      const hit = versions.get(articleId);
      if (hit && Date.now() - hit.at < opts.ttlMs) return hit.version;
      const startedAt = generation;
      const at = Date.now();
      const version = await load();
      // An invalidation arrived while we read: what we read may predate it, so keep nothing.
      if (generation === startedAt) versions.set(articleId, { version, at });
      if (versions.size > 10 * opts.maxPages) versions.delete(versions.keys().next().value as string);
      return version;
    },
    async page(key, version, load) {
      const hit = pages.get(key);
      if (hit && hit.version === version) {
        pages.delete(key);
        pages.set(key, hit); // most recently used last
        return hit.body;
      }
      const body = await load();
      if (body.length <= opts.maxPageChars) {
        pages.set(key, { version, body });
        if (pages.size > opts.maxPages) pages.delete(pages.keys().next().value as string);
      }
      return body;
    },
    close: () => {
      stopListening();
    },
  };
}
