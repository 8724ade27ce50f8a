import { z } from 'zod';

/** Booleans from the environment: only these spellings, so a typo is an error, not a silent false. */
const envBool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Express's trust-proxy setting: a boolean, a hop count, or a list of addresses/subnets. */
const trustProxy = z
  .string()
  .trim()
  .transform((v): boolean | number | string => {
    if (v === '' || v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
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
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25000),
  /** How often each process re-reads the moderation settings (ms); 0 reads them for every use. */
  SETTINGS_REFRESH_MS: z.coerce.number().int().min(0).max(600000).default(2000),
  /** Folder holding smokedetector-lists/ (curated spam sites and numbers); missing: the check has no opinion. */
  SPAM_LISTS_DIR: z.string().min(1).default('../shared/data'),
  /** First start: creates this admin when no admin exists yet (both or neither). */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** How long a moderator's sign-in lasts. */
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  /** Sign-in attempts per 15 minutes, per account and per IP address. */
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(10000).default(30),
  /** Commenters' IP addresses are truncated (IPv4 /24, IPv6 /48) after this many days; 0 keeps them. */
  IP_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** When set, GET /metrics (and the worker's metrics port) answer only `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** ROLE=worker only: serve the worker's /metrics on this port (unset: no listener). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

type Parsed = z.infer<typeof schema>;
export type Config = Readonly<
  Omit<Parsed, 'FORM_TOKEN_SECRET' | 'ALLOWED_ORIGINS' | 'PUBLIC_URL' | 'ARTICLE_URL_TEMPLATE'> & {
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
