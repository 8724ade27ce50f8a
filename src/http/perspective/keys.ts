import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../../db/pool';
import { findActivePerspectiveKey } from '../../db/perspective-key-repository';
import { boundedCache } from '../../lib/bounded-cache';

/**
 * API keys for the Perspective-compatible endpoint: `pk_` and 32 characters of base64url (192 random
 * bits), shown once, stored as their SHA-256 (a key this random needs no slow hash), revocable.
 */
const PREFIX = 'pk_';
const KEY_SHAPE = /^pk_[A-Za-z0-9_-]{32}$/;

export function newPerspectiveKey(): { key: string; keyHash: string; keyHint: string } {
  const key = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  return { key, keyHash: hashPerspectiveKey(key), keyHint: key.slice(0, PREFIX.length + 6) };
}

export const hashPerspectiveKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * Finds the key a request presents. Answers are cached for `ttlMs` (found or not), so a busy client
 * costs no database read per request while a revoked key stops working within `ttlMs` everywhere.
 * The cache is keyed by the digest of well-formed keys only, and bounded in entries and bytes;
 * anything not shaped like a key is refused without a look-up.
 */
export function createKeyVerifier(pool: Pool, opts: { ttlMs: number; maxEntries?: number }) {
  const cache = boundedCache<{ id: string | null; at: number }>({ maxEntries: opts.maxEntries ?? 2000, maxBytes: 1_000_000 }, () => 100);
  return async function verify(presented: string | undefined): Promise<{ id: string } | null> {
    if (!presented || !KEY_SHAPE.test(presented)) return null;
    const hash = hashPerspectiveKey(presented);
    const hit = cache.get(hash);
    const now = Date.now();
    if (hit && now - hit.at < opts.ttlMs) return hit.id ? { id: hit.id } : null;
    const row = await findActivePerspectiveKey(pool, hash);
    cache.set(hash, { id: row?.id ?? null, at: now });
    return row;
  };
}
