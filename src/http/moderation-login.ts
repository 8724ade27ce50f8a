import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { decoyHash, verifyPassword } from '../accounts/password';
import { hashSecretToken, newSecretToken, SESSION_PREFIX } from '../accounts/secret-token';
import { createSession, findCredentials, recordLogin, revokeAllFor, revokeSession } from '../db/moderator-repository';
import type { Pool } from '../db/pool';
import { AppError, TooManyRequestsError } from '../errors';
import { authenticate, ForbiddenError, isCrossSite, principalOf, refuseCrossSiteWrites, SESSION_COOKIE, setSessionCookie } from './moderation-auth';
import { parseBody } from './moderation-schemas';

export interface LoginDeps {
  pool: Pool;
  redis: Redis;
  /** Redis key prefix for the attempt counters (the queue prefix: one namespace per deployment). */
  keyPrefix: string;
  publicUrl: string;
  sessionTtlHours: number;
  attemptsPerAccount: number;
  attemptsPerIp: number;
}

/** Attempts are counted over this window; a locked-out account or address waits for it to pass. */
const WINDOW_SECONDS = 15 * 60;

const loginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

/**
 * Sign-in, sign-out and "who am I". Attempts are limited per account and per IP in Redis (shared
 * by every API process; an in-memory limiter stands in while Redis is away), counted before the
 * password is checked so parallel guesses are limited too. A success clears the account's count.
 */
export function moderationLoginRoutes(deps: LoginDeps): Router {
  const router = Router();
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: deps.redis,
      keyPrefix: `${deps.keyPrefix}:login-${name}`,
      points,
      duration: WINDOW_SECONDS,
      insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
    });
  const perAccount = limiter('account', deps.attemptsPerAccount);
  const perIp = limiter('ip', deps.attemptsPerIp);

  router.post('/api/moderation/login', async (req, res) => {
    if (isCrossSite(req, deps.publicUrl, false)) throw new ForbiddenError('cross_site_request', 'Sign in from this site’s own page.');
    const { email, password } = parseBody(loginSchema, req.body);
    await countAttempt(req, email.toLowerCase());

    const found = await findCredentials(deps.pool, email);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok || found.moderator.disabled) {
      res.locals.log?.info?.({ outcome: 'failed' }, 'moderator sign-in');
      throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
    }
    await perAccount.delete(email.toLowerCase()).catch(() => undefined);
    const token = newSecretToken(SESSION_PREFIX);
    const expiresAt = await createSession(deps.pool, hashSecretToken(token), found.moderator.id, deps.sessionTtlHours);
    await recordLogin(deps.pool, found.moderator.id);
    setSessionCookie(req, res, token, expiresAt);
    res.set('Cache-Control', 'no-store').json({ moderator: found.moderator, expiresAt: expiresAt.toISOString() });
  });

  const signedIn = [authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl)];

  router.post('/api/moderation/logout', ...signedIn, async (req, res) => {
    const principal = principalOf(res);
    if (principal.via === 'session') await revokeSession(deps.pool, principal.credentialId);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.status(204).end();
  });

  /** Signs this account out everywhere: every session and API token. */
  router.post('/api/moderation/logout-everywhere', ...signedIn, async (req, res) => {
    await revokeAllFor(deps.pool, principalOf(res).moderator.id);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.status(204).end();
  });

  router.get('/api/moderation/me', ...signedIn, (_req, res) => {
    const p = principalOf(res);
    res.set('Cache-Control', 'no-store').json({ moderator: p.moderator, via: p.via });
  });

  async function countAttempt(req: Request, account: string): Promise<void> {
    try {
      await Promise.all([perAccount.consume(account), perIp.consume(req.ip ?? 'unknown')]);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.ceil(err.msBeforeNext / 1000), 'Too many sign-in attempts. Wait a few minutes and try again.');
      }
      throw err;
    }
  }

  return router;
}
