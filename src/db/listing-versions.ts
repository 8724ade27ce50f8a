import { Client } from 'pg';
import { boundedCache, stringBytes } from '../lib/bounded-cache';
import type { Logger } from '../logger';
import { approvedListingVersion } from './comment-repository';
import type { Pool } from './pool';

/** The channel migrations/0010_listing-notify.sql announces every change to approved comments on. */
export const LISTING_CHANNEL = 'comment_listings';

/** An article's listing version (the ETag's source), from memory while nothing has changed. */
export interface ListingVersions {
  get(articleId: string): Promise<string>;
  /** True while the process hears every change, so versions may be served from memory. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ListingVersionOptions {
  /** Versions kept (least recently used dropped first). */
  maxArticles: number;
  /** Bytes the kept versions may take, article ids included (least recently used dropped first). */
  maxBytes: number;
  /**
   * Longest a remembered version is served without asking Postgres again. Changes arrive as
   * notifications within milliseconds; this bounds the harm of one that never does (a failover to
   * a server that does not relay them, say).
   */
  maxAgeMs: number;
  /** First wait before reconnecting the listening connection; doubles up to 2 s. */
  reconnectMs: number;
  /** The listening connection's application_name (pg_stat_activity shows whose it is). */
  applicationName: string;
  /** Told of every change heard (an article id, or `*` for any), e.g. to purge a CDN. */
  onChange?: (articleId: string) => void;
}

export const LISTING_VERSION_DEFAULTS: ListingVersionOptions = { maxArticles: 10_000, maxBytes: 8 * 1024 * 1024, maxAgeMs: 30_000, reconnectMs: 100, applicationName: 'comment-listing-versions' };

/**
 * Listing versions kept in memory and dropped when Postgres says the article's approved comments
 * changed (LISTEN on LISTING_CHANNEL; the triggers send the notification at commit, for every
 * writer). A reader therefore sees a change as soon as the notification arrives (milliseconds
 * after the commit), and an unchanged listing costs no query: a revalidation (304) is answered
 * from memory, a full page from the rendered-page cache (src/http/readers/listing-cache.ts).
 *
 * What keeps it from serving a stale version:
 * - nothing is remembered unless the listening connection is up and LISTENing; when it drops,
 *   everything is forgotten, and again once it is back (notifications in between are lost);
 * - a version read from Postgres is remembered only if no notification for its article (or for
 *   every article) arrived while it was being read: it may predate the change;
 * - concurrent reads of one article share one query, and a remembered version expires after
 *   `maxAgeMs` whatever happens.
 */
export function createListingVersions(
  connectionString: string,
  pool: Pool,
  log: Logger,
  options: Partial<ListingVersionOptions> = {},
): ListingVersions {
  const opts = { ...LISTING_VERSION_DEFAULTS, ...options };
  const known = boundedCache<{ version: string; at: number }>({ maxEntries: opts.maxArticles, maxBytes: opts.maxBytes }, (v) => stringBytes(v.version) + 16);
  const reading = new Map<string, { promise: Promise<string>; stale: boolean }>();
  let listening = false;
  let closed = false;
  let client: Client | null = null;
  let retryMs = opts.reconnectMs;
  let retryTimer: NodeJS.Timeout | undefined;

  const forget = (articleId: string) => {
    if (articleId === '*') {
      known.clear();
      for (const r of reading.values()) r.stale = true;
      return;
    }
    known.delete(articleId);
    const r = reading.get(articleId);
    if (r) r.stale = true;
  };

  const connect = async () => {
    retryTimer = undefined;
    if (closed) return;
    const c = new Client({ connectionString, connectionTimeoutMillis: 5000, application_name: opts.applicationName });
    client = c;
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      listening = false;
      forget('*');
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
      if (closed) return;
      log.warn({ err: err?.message }, 'listing versions: lost the listening connection, reading versions from postgres until it is back');
      retryTimer = setTimeout(() => void connect(), retryMs).unref();
      retryMs = Math.min(retryMs * 2, 2000);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (msg) => {
      const articleId = msg.payload ?? '*';
      forget(articleId);
      opts.onChange?.(articleId);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${LISTING_CHANNEL}`);
      if (client !== c) return;
      // Anything remembered before this point may have missed a change: start afresh.
      forget('*');
      listening = true;
      retryMs = opts.reconnectMs;
    } catch (err) {
      lost(err as Error);
    }
  };
  void connect();

  const read = (articleId: string): Promise<string> => {
    const entry = { promise: approvedListingVersion(pool, articleId), stale: !listening };
    reading.set(articleId, entry);
    entry.promise.then(
      (version) => {
        if (reading.get(articleId) === entry) reading.delete(articleId);
        if (entry.stale || !listening) return;
        known.set(articleId, { version, at: Date.now() });
      },
      () => {
        if (reading.get(articleId) === entry) reading.delete(articleId);
      },
    );
    return entry.promise;
  };

  return {
    get listening() {
      return listening;
    },
    async get(articleId) {
      const hit = known.get(articleId); // marks it most recently used
      if (hit && Date.now() - hit.at <= opts.maxAgeMs) return hit.version;
      // Share a read already on its way, unless a change arrived since it started.
      const pending = reading.get(articleId);
      if (pending && !pending.stale) return pending.promise;
      return read(articleId);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      listening = false;
      known.clear();
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
