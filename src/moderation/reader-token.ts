import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A reader's identity for reports (docs/articles.md): `rt1.<random id>.<HMAC>`, handed to the widget
 * (kept in localStorage, sent back as `readerToken`) and to browsers without JavaScript as an HttpOnly
 * cookie. Only keyed hashes of the id (and of the reader's IP address) are stored, never the id or
 * the address: a stolen database cannot tell who reported what.
 */
const VERSION = 'rt1';

const mac = (secret: string, id: string) => createHmac('sha256', secret).update(`reader-token\n${id}`).digest('base64url').slice(0, 22);

export function newReaderToken(secret: string): string {
  const id = randomBytes(16).toString('base64url');
  return `${VERSION}.${id}.${mac(secret, id)}`;
}

/** The token's id when the signature holds; null for anything else (at most 100 characters are read). */
export function readerIdOf(secret: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const [v, id, sig] = token.split('.');
  if (v !== VERSION || !id || !sig || !/^[\w-]{16,40}$/.test(id)) return null;
  const want = Buffer.from(mac(secret, id));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want) ? id : null;
}

/** What is stored for a reader id or an IP address: a keyed hash (the salt is the server's secret). */
export function reportHash(secret: string, kind: 'reader' | 'ip', value: string): string {
  return createHmac('sha256', secret).update(`report-${kind}\n${value.toLowerCase()}`).digest('hex').slice(0, 32);
}

/**
 * How much a new report counts, from what moderators did with this reader's earlier reports
 * (docs/articles.md): 1 until two of them were dismissed; then the share of their resolved reports
 * that were upheld, plus one, over the resolved reports plus one; never below 0.1. A reader whose
 * reports moderators keep dismissing soon counts for a tenth of one who is usually right.
 */
export function reportWeight(history: { upheld: number; dismissed: number }): number {
  if (history.dismissed < 2) return 1;
  const w = (history.upheld + 1) / (history.upheld + history.dismissed + 1);
  return Math.max(0.1, Math.round(w * 100) / 100);
}
