import { randomInt } from 'node:crypto';
import { hashSecretToken } from '../../accounts/secret-token';
import { insertAkismetKey, type AkismetKey } from '../../db/akismet-repository';
import type { Pool } from '../../db/pool';
import { ValidationError } from '../../errors';

/**
 * A key: 12 lowercase letters and digits, like Akismet's own (WordPress's plugin calls any key of
 * another length invalid without asking), about 62 random bits. Letters and digits only, so it
 * also works where old clients put it, as the first label of the host name (`KEY.rest.akismet.com`).
 */
export const AKISMET_KEY_PATTERN = /^[0-9a-z]{12}$/;
const KEY_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Hashed at rest like API tokens (src/accounts/secret-token.ts): SHA-256 of a random key, so a
 * database leak gives no usable key short of trying some 2^61 keys per key.
 */
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
  const key = Array.from({ length: 12 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('');
  const record = await insertAkismetKey(pool, { blog: trimmed, keyHash: hashAkismetKey(key), createdBy });
  return { key, record };
}
