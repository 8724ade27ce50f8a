import fc from 'fast-check';

/** One generated HTTP request: raw bytes, so invalid UTF-8 reaches the server as sent. */
export interface FuzzRequest {
  method: string;
  path: string;
  body?: Buffer;
  headers: Record<string, string>;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
  location: string | null;
  retryAfter: string | null;
}

/** Sends one request over the shared keep-alive connections (Node's fetch). */
export async function send(baseUrl: string, req: FuzzRequest): Promise<FuzzAnswer> {
  const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, body: req.body ? new Uint8Array(req.body) : undefined, redirect: 'manual' });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text(), location: res.headers.get('location'), retryAfter: res.headers.get('retry-after') };
}

/**
 * An honest refusal: 503 `queue_unavailable` with Retry-After (the enqueue missed its deadline on a
 * busy machine). Not caused by the input, and allowed where a test enqueues; never any other 5xx.
 */
export function isHonestRefusal(res: FuzzAnswer): boolean {
  if (res.status !== 503 || !(Number(res.retryAfter) >= 1)) return false;
  if (res.contentType.startsWith('text/html')) return res.text.includes('Your comment was not posted');
  try {
    return (JSON.parse(res.text) as { error?: { code?: unknown } }).error?.code === 'queue_unavailable';
  } catch {
    return false;
  }
}

/**
 * What every answer to hostile input must be: no 5xx, and a 4xx is our JSON error shape (or the HTML
 * error page for a browser's form post). Returns a description of what is wrong, or null.
 */
export function badAnswer(req: FuzzRequest, res: FuzzAnswer, opts: { htmlAllowed: boolean }): string | null {
  const what = () => `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)} body=${req.body?.subarray(0, 200).toString('latin1')} → ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) return `5xx: ${what()}`;
  if (res.status < 400) return null;
  // Node's HTTP parser refuses an oversized URL or headers itself, before any of our code runs.
  if (res.status === 431 && res.text === '') return null;
  if (res.contentType.startsWith('text/html')) {
    return opts.htmlAllowed && res.text.includes('Your comment was not posted') ? null : `unexpected HTML error: ${what()}`;
  }
  if (!res.contentType.startsWith('application/json')) return `error is not JSON: ${what()}`;
  try {
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
    if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || typeof body.error.requestId !== 'string') return `error shape: ${what()}`;
  } catch {
    return `error body is not JSON: ${what()}`;
  }
  return null;
}

/** Strings that have broken services before: injection, markup, odd Unicode, NUL, prototype names. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d\ude00',
  '\u202etxet',
  '\ufeff',
  '\u200b',
  "'; DROP TABLE comments; --",
  "' OR '1'='1",
  '$1',
  '%s%n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'ada@example.org',
  'https://example.org',
  'javascript:alert(1)',
];

/** Text of any kind: arbitrary code points (lone surrogates included), ASCII, the nasty list, sometimes huge. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '\ud83d\ude00', 'a\u0000'), fc.integer({ min: 240, max: 70000 })).map(([c, n]) => c.repeat(n)) },
);

/** A value of the wrong type as often as the right one. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: anyText },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(anyText, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Nested arrays or objects `depth` deep around `inner`, as JSON text (too deep for JSON.stringify). */
export function nested(depth: number, inner: string, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** Header values fetch can send: visible ASCII and spaces. */
export const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

/** An object with own keys that name Object.prototype members, as JSON text. */
export function withPoisonedKeys(obj: Record<string, unknown>, poison: Record<string, unknown>): string {
  const own = Object.entries(poison).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
  const rest = JSON.stringify(obj).slice(1, -1);
  return `{${[...own, rest].filter(Boolean).join(',')}}`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** encodeURIComponent that accepts lone surrogates (as U+FFFD, what a browser would send). */
export function encodeLoosely(s: string): string {
  return encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd'));
}
