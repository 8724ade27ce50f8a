import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from '../moderators/auth';

/**
 * Which held comments this browser wrote, for readers without JavaScript: after a form post the
 * service answers 303 back to the article with `?unapproved=<id>` (as WordPress does) and sets this
 * cookie, which names the comment with a signature only the service can make. The article page shows
 * a held comment only when both agree, so the `unapproved` link alone (shared, guessed, or opened in
 * another browser) shows nothing but the generic notice. HttpOnly, SameSite=Lax, a week at most.
 */
export const OWN_COMMENTS_COOKIE = 'cm_own';
const MAX_ENTRIES = 5;
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

function signature(secret: string, id: string): string {
  return createHmac('sha256', secret).update(`own-comment\n${id.toLowerCase()}`).digest('base64url').slice(0, 22);
}

/** The valid `<id>.<signature>` entries of the request's cookie. */
function entries(req: Request, secret: string): string[] {
  const raw = readCookie(req, OWN_COMMENTS_COOKIE) ?? '';
  return raw.split('~').filter((e) => {
    const [id, sig] = e.split('.');
    if (!id || !sig) return false;
    const want = Buffer.from(signature(secret, id));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

/** Remembers in this browser's cookie that it wrote comment `id` (the last few comments only). */
export function rememberOwnComment(req: Request, res: Response, secret: string, id: string): void {
  const entry = `${id.toLowerCase()}.${signature(secret, id)}`;
  const kept = entries(req, secret).filter((e) => e !== entry).slice(-(MAX_ENTRIES - 1));
  res.cookie(OWN_COMMENTS_COOKIE, [...kept, entry].join('~'), { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: MAX_AGE_MS, encode: String });
}

/** Whether this browser's cookie proves it wrote comment `id`. */
export function isOwnComment(req: Request, secret: string, id: string): boolean {
  return entries(req, secret).some((e) => e.split('.')[0] === id.toLowerCase());
}
