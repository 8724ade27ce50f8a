import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors';

/** Postgres text cannot hold U+0000: a value carrying it would fail its query, or a comment's job forever. */
const NUL = '\u0000';

/** True when any string or key in `value` holds a NUL. Iterative: bodies may nest thousands deep. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(NUL)) return true;
    } else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k.includes(NUL)) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/**
 * Refuses requests whose URL, query or body carries a NUL character (`400 invalid_characters`), so no
 * handler ever sends one to Postgres: there it would be a 500, or a comment accepted (202) that the
 * worker can never store. Mount after the body parsers.
 */
export function refuseNulCharacters(): RequestHandler {
  return (req, _res, next) => {
    if (/%00/i.test(req.originalUrl) || containsNul(req.query) || containsNul(req.body)) {
      throw new BadRequestError('invalid_characters', 'The request contains a NUL character, which is not allowed.');
    }
    next();
  };
}
