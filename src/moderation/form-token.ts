import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed comment-form tokens: `GET /api/form-token?articleId=` hands one out when the form is shown,
 * the form posts it back, and the worker checks it. A token proves the form was fetched from us for
 * this article, and when; a bot that posts straight to the API has none, and one that fills a form
 * faster than a person can type shows it.
 *
 * Format: `v1.<issued at, ms since epoch>.<article id, base64url>.<HMAC-SHA256, base64url>`, the
 * HMAC over the version, the time and the article id. Tokens are not single-use: a bot may replay a
 * fetched token until it expires, so the token is one signal among several, never proof of a human.
 */

const VERSION = 'v1';

/** Clocks of different API processes may disagree a little; a token "from the future" beyond this is forged. */
const CLOCK_SKEW_MS = 60_000;

function mac(secret: string, issuedAtMs: number, articleId: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}\n${issuedAtMs}\n${articleId}`).digest();
}

/** Signs a token for `articleId` issued at `issuedAt`. */
export function signFormToken(secret: string, articleId: string, issuedAt: Date): string {
  const ms = issuedAt.getTime();
  return `${VERSION}.${ms}.${Buffer.from(articleId).toString('base64url')}.${mac(secret, ms, articleId).toString('base64url')}`;
}

export type FormTokenVerification =
  | { valid: true; articleId: string; issuedAt: Date }
  | { valid: false; problem: 'malformed' | 'bad_signature' };

/** Checks the signature (in constant time) and returns what the token says. */
export function verifyFormToken(secret: string, token: string): FormTokenVerification {
  const parts = token.trim().split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !/^\d{1,15}$/.test(parts[1])) return { valid: false, problem: 'malformed' };
  const issuedAtMs = Number(parts[1]);
  const articleId = Buffer.from(parts[2], 'base64url').toString();
  const given = Buffer.from(parts[3], 'base64url');
  const expected = mac(secret, issuedAtMs, articleId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, problem: 'bad_signature' };
  return { valid: true, articleId, issuedAt: new Date(issuedAtMs) };
}

/** What a submitted token says about the submission. */
export type FormTokenAssessment =
  | { status: 'ok'; elapsedSeconds: number }
  | { status: 'too_soon'; elapsedSeconds: number }
  | { status: 'expired'; elapsedSeconds: number }
  | { status: 'other_article'; tokenArticleId: string }
  | { status: 'forged'; problem: 'malformed' | 'bad_signature' | 'from_future' };

/**
 * Judges a token against the comment it came with: signed by us, for this article, not expired,
 * and not submitted sooner than a person could. Times are the API's: `receivedAt` is when the API
 * took the comment, not when a worker got round to it.
 */
export function assessFormToken(
  secret: string,
  token: string,
  expect: { articleId: string; receivedAt: Date; minSubmitSeconds: number; maxAgeSeconds: number },
): FormTokenAssessment {
  const verified = verifyFormToken(secret, token);
  if (!verified.valid) return { status: 'forged', problem: verified.problem };
  const elapsedMs = expect.receivedAt.getTime() - verified.issuedAt.getTime();
  if (elapsedMs < -CLOCK_SKEW_MS) return { status: 'forged', problem: 'from_future' };
  if (verified.articleId !== expect.articleId) return { status: 'other_article', tokenArticleId: verified.articleId };
  const elapsedSeconds = Math.max(0, elapsedMs) / 1000;
  if (elapsedSeconds > expect.maxAgeSeconds) return { status: 'expired', elapsedSeconds };
  if (elapsedSeconds < expect.minSubmitSeconds) return { status: 'too_soon', elapsedSeconds };
  return { status: 'ok', elapsedSeconds };
}
