import { createHash, randomBytes } from 'node:crypto';

/** Prefixes make a leaked token recognisable (secret scanners) and tell sessions from API tokens. */
export const SESSION_PREFIX = 'cms_';
export const API_TOKEN_PREFIX = 'cmt_';

/** A random 256-bit secret, base64url, with its prefix. */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored: SHA-256 of the token. The token has 256 random bits, so a fast hash is enough
 * (no guessing to slow down), and a database leak yields no usable session or token.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
