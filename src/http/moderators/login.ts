import { Router, type Request } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import { z } from 'zod';
import { emailKey } from '../../accounts/email-key';
import { decoyHash, verifyPassword } from '../../accounts/password';
import { hashSecretToken, newSecretToken, SESSION_PREFIX } from '../../accounts/secret-token';
import { createSession, findCredentials, recordLogin, revokeAllFor, revokeSession } from '../../db/moderator-repository';
import type { Pool } from '../../db/pool';
import { AppError } from '../../errors';
import { createLoginLimits } from './login-limits';
import { authenticate, ForbiddenError, isCrossSite, principalOf, refuseCrossSiteWrites, SESSION_COOKIE, setSessionCookie } from './auth';
import { parseBody } from './schemas';

export interface LoginDeps {
  pool: Pool;
  redis: Redis;
  /** Redis key prefix for the attempt counters (the queue prefix: one namespace per deployment). */
  keyPrefix: string;
  publicUrl: string;
  sessionTtlHours: number;
  /** Failures in a row from one address before each further attempt from there must wait. */
  attemptsPerAccount: number;
  /** Attempts per address per 15 minutes. */
  attemptsPerIp: number;
  failuresPerIpPerDay: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** The clock the waits are measured on (tests move it instead of sleeping). */
  now?: () => number;
}

const loginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

/**
 * Sign-in, sign-out and "who am I". Attempts are limited in Redis (shared by every API process) by
 * account and address with growing waits, and by address (see login-limits.ts). The account is
 * counted and looked up under one key (`emailKey`), so no spelling of an address has a counter of
 * its own and still signs in to the account.
 */
export function moderationLoginRoutes(deps: LoginDeps): Router {
  const router = Router();
  const limits = createLoginLimits({
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    freeFailures: deps.attemptsPerAccount,
    attemptsPerIp: deps.attemptsPerIp,
    failuresPerIpPerDay: deps.failuresPerIpPerDay,
    backoffBaseSeconds: deps.backoffBaseSeconds,
    backoffMaxSeconds: deps.backoffMaxSeconds,
    now: deps.now,
  });

  router.post('/api/moderation/login', async (req, res) => {
    if (isCrossSite(req, deps.publicUrl, false)) throw new ForbiddenError('cross_site_request', 'Sign in from this site’s own page.');
    const { email, password } = parseBody(loginSchema, req.body);
    const account = emailKey(email);
    const ip = clientAddress(req);
    await limits.beforeAttempt(account, ip);

    const found = await findCredentials(deps.pool, account);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok || found.moderator.disabled) {
      await limits.failed(account, ip);
      res.locals.log?.info?.({ outcome: 'failed' }, 'moderator sign-in');
      throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
    }
    await limits.succeeded(account, ip);
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

  return router;
}

/** The client's address as Express sees it (through TRUST_PROXY's hops). */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
