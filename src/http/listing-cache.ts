/**
 * Rendered reader-listing pages, kept by the exact listing version they were rendered for.
 *
 * The version (the ETag's source, approvedListingVersion) is still read from Postgres for every
 * request, so nothing here can make a reader see an old page: a page is only ever served for the
 * version it was rendered from, and the version changes the moment an approved comment does (the
 * `updated_at` invariant). A page is read after its version, so it is never older than that
 * version; at worst it is newer, which the next version read then confirms. What the cache saves
 * is the three listing queries and the JSON rendering of up to 200 threaded comments.
 *
 * (A cache of the versions themselves, dropped through the review feed, was tried and removed:
 * writers that keep the `updated_at` invariant but publish nothing would have had readers wait for
 * its expiry.)
 */
export interface ListingCache {
  page(key: string, version: string, load: () => Promise<string>): Promise<string>;
}

export interface ListingCacheOptions {
  /** Rendered pages kept (least recently used dropped first). */
  maxPages: number;
  /** Pages larger than this are not kept (string length). */
  maxPageChars: number;
}

export const LISTING_CACHE_DEFAULTS: ListingCacheOptions = { maxPages: 200, maxPageChars: 512 * 1024 };

export function createListingCache(opts: ListingCacheOptions = LISTING_CACHE_DEFAULTS): ListingCache {
  const pages = new Map<string, { version: string; body: string }>();
  return {
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
  };
}
