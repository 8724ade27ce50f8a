import type { Request, RequestHandler, Response } from 'express';
import { hashSecretToken } from '../../accounts/secret-token';
import { findApiToken, findSession, type ModeratorRole, type Principal } from '../../db/moderator-repository';
import type { Pool } from '../../db/pool';
import { AppError } from '../../errors';

/** The session cookie's name. HttpOnly, SameSite=Strict, Secure over HTTPS. */
export const SESSION_COOKIE = 'cm_session';

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in first, or send an API token as Authorization: Bearer ….') {
    super(401, 'authentication_required', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'Your role may not do this.') {
    super(403, code, message);
  }
}

/** The signed-in moderator (or token holder) of this request; set by `authenticate`. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new UnauthorizedError();
  return p;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sets (or, with `expires` in the past, clears) the session cookie. */
export function setSessionCookie(req: Request, res: Response, token: string, expires: Date): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', expires });
}

/** Finds who is calling: an API token (Authorization: Bearer) first, else the session cookie. */
export async function resolvePrincipal(pool: Pool, req: Request): Promise<Principal | null> {
  const auth = req.get('authorization');
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    return match ? findApiToken(pool, hashSecretToken(match[1])) : null;
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  return cookie ? findSession(pool, hashSecretToken(cookie)) : null;
}

/** 401 unless the request carries a live session or token. */
export function authenticate(pool: Pool): RequestHandler {
  return async (req, res, next) => {
    if (res.locals.principal) return next();
    const principal = await resolvePrincipal(pool, req);
    if (!principal) throw new UnauthorizedError();
    res.locals.principal = principal;
    next();
  };
}

/** 403 unless the caller has one of `roles`. */
export function requireRole(...roles: ModeratorRole[]): RequestHandler {
  return (_req, res, next) => {
    if (!roles.includes(principalOf(res).moderator.role)) throw new ForbiddenError();
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This service's own origins: the public URL's, and the one the request was addressed to. */
function ownOrigins(req: Request, publicUrl: string): string[] {
  return [new URL(publicUrl).origin, `${req.protocol}://${req.get('host')}`];
}

/**
 * True when a browser tells us the request comes from another site. Browsers send Origin with every
 * POST/PUT/PATCH/DELETE and Sec-Fetch-Site with every request; `strict` also refuses a request
 * that has neither (for cookie-authenticated writes, where only a browser carries the cookie).
 */
export function isCrossSite(req: Request, publicUrl: string, strict: boolean): boolean {
  const origin = req.get('origin');
  if (origin) return !ownOrigins(req, publicUrl).includes(origin);
  const site = req.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  return strict;
}

/**
 * Refuses cookie-authenticated writes from other sites (CSRF): the cookie is SameSite=Strict
 * already, and this checks Origin too, for older browsers and same-site subdomains. Token-authenticated
 * calls carry no ambient credential and are not checked.
 */
export function refuseCrossSiteWrites(publicUrl: string): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || principalOf(res).via === 'token') return next();
    if (isCrossSite(req, publicUrl, true)) throw new ForbiddenError('cross_site_request', 'This request came from another site and was refused.');
    next();
  };
}
