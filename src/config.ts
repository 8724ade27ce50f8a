import { isIP } from 'node:net';
import { sharedDataDir } from './lib/shared-data-dir';
import { z } from 'zod';
import { hasHashTag } from './queue/redis-connection';

/** Booleans from the environment: only these spellings, so a typo is an error, not a silent false. */
const envBool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Names proxy-addr (Express's trust proxy) accepts for its own address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One trusted-proxy entry: a range name, an address, or a subnet in CIDR form. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * Express's trust-proxy setting: a hop count (proxies in front of the service), or a list of the
 * proxies' addresses/subnets. `true` is refused: it trusts every X-Forwarded-For entry, so Express
 * takes the leftmost one, which the client writes, and anyone could choose the IP address flood
 * control, sign-in limits, author history and moderators see.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): number | string | false => {
    if (v === '' || v === 'false' || v === '0') return false;
    if (v === 'true' || v === 'yes') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would trust any X-Forwarded-For a client sends, so clients could choose their own IP address. ' +
          'Set the number of proxies in front of this service (e.g. 1 behind one load balancer), ' +
          'or their addresses/subnets (e.g. loopback, or 10.0.0.0/8,fd00::/8).',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isProxyEntry(e));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `not a hop count, address or subnet: ${bad.join(', ')} (use e.g. 1, loopback, or 10.0.0.0/8)`,
      });
      return z.NEVER;
    }
    return entries.join(',');
  });

const origins = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)));

/** Every setting the service reads from the environment, with its default. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/comments'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /**
   * Redis Cluster: seed nodes as host:port, comma-separated (REDIS_URL then gives only user, password
   * and TLS). QUEUE_PREFIX must hold a hash tag, e.g. {moderation}: checked below.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((v, ctx) => {
      const nodes = v.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
        const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
        const port = m ? Number(m[2]) : 0;
        if (!m || port < 1 || port > 65535) {
          ctx.addIssue({ code: 'custom', message: `not host:port: ${entry.slice(0, 100)} (e.g. 10.0.0.5:7000,10.0.0.6:7000)` });
          return null;
        }
        return { host: m[1].replace(/^\[|\]$/g, ''), port };
      });
      if (!nodes.length) ctx.addIssue({ code: 'custom', message: 'name at least one node as host:port' });
      return nodes.filter((n): n is { host: string; port: number } => n !== null);
    })
    .optional(),
  /** Replicas that must hold a submit before it is acknowledged (Redis WAIT); 0: the master's answer is enough. */
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  QUEUE_PREFIX: z.string().min(1).default('bull'),
  QUEUE_NAME: z.string().min(1).default('comments'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Default: this service's own origins (the demo page) on PORT. */
  ALLOWED_ORIGINS: origins.optional(),
  TRUST_PROXY: trustProxy.default(false),
  /** Default: http://localhost:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ARTICLE_URL_TEMPLATE: z
    .string()
    .refine((v) => v.includes('{articleId}'), 'must contain {articleId}')
    .optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(14),
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).default(1000),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30000),
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(50).max(10000).default(1500),
  FORM_TOKEN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MIGRATE_ON_START: envBool.default(true),
  /** At start, how long to wait for Postgres and Redis to answer (they may still be starting) before giving up. */
  STARTUP_WAIT_MS: z.coerce.number().int().min(0).max(600000).default(10000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25000),
  /** How often each process re-reads the moderation settings (ms); 0 reads them for every use. */
  SETTINGS_REFRESH_MS: z.coerce.number().int().min(0).max(600000).default(2000),
  /** Folder holding smokedetector-lists/ (curated spam sites and numbers); missing: the check has no opinion. */
  SPAM_LISTS_DIR: z.string().min(1).default(sharedDataDir),
  /** First start: creates this admin when no admin exists yet (both or neither). */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** How long a moderator's sign-in lasts. */
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  /** Failed sign-ins in a row for one account from one address before each further attempt waits. */
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Sign-in attempts per IP address per 15 minutes (any account, right or wrong). */
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(10000).default(30),
  /** Failed sign-ins per IP address per day (any account). */
  LOGIN_FAILURES_PER_IP_PER_DAY: z.coerce.number().int().min(1).max(100000).default(100),
  /** The first wait after too many failures (seconds); each further failure doubles it, up to the max. */
  LOGIN_BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  /** Commenters' IP addresses are truncated (IPv4 /24, IPv6 /48) after this many days; 0 keeps them. */
  IP_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** When set, GET /metrics (and the worker's metrics port) answer only `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Days a comment-check's record (guid, status, score: no text or author) is kept for submit-spam / submit-ham. */
  AKISMET_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Webhook deliveries: attempts in all, the first retry's delay (doubling each time), and one attempt's time limit. */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(100).max(3600000).default(5000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  /** Moderator e-mail about held comments over SMTP (smtp:// or smtps://, credentials in the URL); unset: no e-mail. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587' }).optional(),
  /** The From address of moderator e-mail; default: moderation@ the PUBLIC_URL's host. */
  MAIL_FROM: z.string().trim().max(300).regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an e-mail address, optionally with a name: "Moderation <moderation@example.org>"').optional(),
  /** ROLE=worker only: serve the worker's /metrics on this port (unset: no listener). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Reader listings behind a CDN (docs/cdn.md): how long a shared cache (CDN, nginx proxy_cache) may
   * serve a listing without asking (seconds; 0 keeps CDNs revalidating every view), how long past
   * that it may serve it while fetching a fresh one, and how long while this service answers errors.
   */
  LISTING_CDN_MAX_AGE: z.coerce.number().int().min(0).max(3600).default(1),
  LISTING_CDN_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).max(86400).default(30),
  LISTING_CDN_STALE_IF_ERROR: z.coerce.number().int().min(0).max(7 * 86400).default(86400),
  /**
   * When set, POSTed when an article's approved comments change, `{key}` replaced by the article's
   * surrogate key (a CDN's purge-by-tag API). CDN_PURGE_HEADER: one `Name: value` header sent with it.
   */
  CDN_PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CDN_PURGE_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}: ?[\x21-\x7e][\x20-\x7e]{0,2047}$/, 'must be one header as "Name: value" (e.g. "Fastly-Key: …")')
    .optional(),
  /** Perspective-compatible API (docs/perspective.md): requests per minute per API key. */
  PERSPECTIVE_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Perspective-compatible API: suggested scores (civility lessons) per hour per API key. */
  PERSPECTIVE_LESSONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(200),
});

type Parsed = z.infer<typeof schema>;
export type Config = Readonly<
  Omit<Parsed, 'FORM_TOKEN_SECRET' | 'ALLOWED_ORIGINS' | 'PUBLIC_URL' | 'ARTICLE_URL_TEMPLATE' | 'MAIL_FROM'> & {
    MAIL_FROM: string;
    FORM_TOKEN_SECRET: string;
    ALLOWED_ORIGINS: string[];
    PUBLIC_URL: string;
    ARTICLE_URL_TEMPLATE: string;
  }
>;

/** A configuration problem; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates the environment once, at start, before any connection opens.
 * Empty strings count as unset, so `.env` files may leave a key blank to take the default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const cfg = parsed.data;
  if (!cfg.ADMIN_EMAIL !== !cfg.ADMIN_PASSWORD) {
    throw new ConfigError([`${cfg.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'}: set ADMIN_EMAIL and ADMIN_PASSWORD together (or neither)`]);
  }
  if (cfg.REDIS_CLUSTER_NODES && !hasHashTag(cfg.QUEUE_PREFIX)) {
    throw new ConfigError([
      `QUEUE_PREFIX: on a Redis Cluster (REDIS_CLUSTER_NODES) it must hold a hash tag, e.g. {moderation}, so every key of the queue is in one slot (got ${cfg.QUEUE_PREFIX.slice(0, 100)})`,
    ]);
  }
  if (cfg.NODE_ENV === 'production' && !cfg.FORM_TOKEN_SECRET) {
    throw new ConfigError(['FORM_TOKEN_SECRET: required in production (at least 16 characters)']);
  }
  // Outside production a fixed development secret keeps `npm start` a one-liner; tokens signed with
  // it are worthless anywhere else.
  const publicUrl = (cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    ...cfg,
    FORM_TOKEN_SECRET: cfg.FORM_TOKEN_SECRET ?? 'development-only-form-token-secret',
    PUBLIC_URL: publicUrl,
    ALLOWED_ORIGINS: cfg.ALLOWED_ORIGINS ?? [...new Set([new URL(publicUrl).origin, `http://localhost:${cfg.PORT}`, `http://127.0.0.1:${cfg.PORT}`])],
    ARTICLE_URL_TEMPLATE: cfg.ARTICLE_URL_TEMPLATE ?? `${publicUrl}/?article={articleId}`,
    MAIL_FROM: cfg.MAIL_FROM ?? `moderation@${new URL(publicUrl).hostname}`,
  });
}

/** Loads `.env` from the working directory when present (Node's own loader, no dependency). */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
