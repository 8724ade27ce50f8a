import { randomBytes } from 'node:crypto';
import { hashSecretToken } from '../../accounts/secret-token';
import { insertAkismetKey, type AkismetKey } from '../../db/akismet-repository';
import type { Pool } from '../../db/pool';
import { ValidationError } from '../../errors';

/**
 * A key: 32 lowercase hex characters (128 random bits). Letters and digits only, so it also works
 * where old clients put it, as the first label of the host name (`KEY.rest.akismet.com`).
 */
export const AKISMET_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** Hashed at rest like API tokens: the key is random, so SHA-256 is enough (src/accounts/secret-token.ts). */
export const hashAkismetKey = hashSecretToken;

/**
 * The site a `blog` URL names, as keys are matched: host (lower case, default port dropped) and
 * path without its trailing slash; the scheme is ignored (a site moving to https keeps its key).
 * Null when `blog` is not an http(s) URL.
 */
export function blogIdentity(blog: string): string | null {
  if (blog.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(blog.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
}

/** Creates a key for `blog`; the key itself is returned once and never stored. */
export async function createAkismetKey(pool: Pool, blog: string, createdBy: string): Promise<{ key: string; record: AkismetKey }> {
  const trimmed = blog.trim();
  if (!blogIdentity(trimmed)) throw new ValidationError([{ field: 'blog', message: 'The site URL must be an http(s) URL, e.g. https://news.example.org.' }]);
  const key = randomBytes(16).toString('hex');
  const record = await insertAkismetKey(pool, { blog: trimmed, keyHash: hashAkismetKey(key), createdBy });
  return { key, record };
}
