/**
 * Rendered reader-listing pages, kept by the exact listing version they were rendered for.
 *
 * The version (the ETag's source, approvedListingVersion) comes from Postgres, or from memory
 * until Postgres announces a change to the article (../db/listing-versions.ts: triggers notify
 * for every writer, so none can forget to). A page is only ever served for the version it was
 * rendered from, and the version changes the moment an approved comment does (the `updated_at`
 * invariant). A page is read after its version, so it is never older than that version; at worst
 * it is newer, which the next version read then confirms. What the cache saves is the three
 * listing queries and the JSON rendering of up to 200 threaded comments.
 *
 * (An earlier cache of the versions, dropped through the Redis review feed, was removed: writers
 * that keep the `updated_at` invariant but publish nothing would have had readers wait for its
 * expiry. The triggers close that gap.)
 */
import { LRUCache } from 'lru-cache';
import { boundedCache, stringBytes } from '../../lib/bounded-cache';

export interface ListingCache {
  /** The page rendered for `version` (UTF-8 JSON), from `load` when none is kept for it. */
  page(key: string, version: string, load: () => Promise<string>): Promise<Buffer>;
}

export interface ListingCacheOptions {
  /** Rendered pages kept (least recently used dropped first). */
  maxPages: number;
  /** Pages larger than this are not kept (bytes). */
  maxPageBytes: number;
  /** Bytes all kept pages may take together, keys included (least recently used dropped first). */
  maxBytes?: number;
}

export const LISTING_CACHE_DEFAULTS: Required<ListingCacheOptions> = { maxPages: 200, maxPageBytes: 512 * 1024, maxBytes: 16 * 1024 * 1024 };

export function createListingCache(opts: ListingCacheOptions = LISTING_CACHE_DEFAULTS): ListingCache {
  // Kept as bytes: sending a string would encode all of it again (about 70 KB for 200 comments) for
  // every reader, which cost a full answer about a tenth of its CPU.
  const pages: LRUCache<string, { version: string; body: Buffer }> = boundedCache(
    { maxEntries: opts.maxPages, maxBytes: opts.maxBytes ?? LISTING_CACHE_DEFAULTS.maxBytes },
    (page) => page.body.length + stringBytes(page.version),
  );
  return {
    async page(key, version, load) {
      const hit = pages.get(key); // marks it most recently used
      if (hit && hit.version === version) return hit.body;
      const body = Buffer.from(await load(), 'utf8');
      if (body.length <= opts.maxPageBytes) pages.set(key, { version, body });
      return body;
    },
  };
}
