import { isIP } from 'node:net';
import { z } from 'zod';
import { isStorableDate } from '../../db/review-repository';
import { BadRequestError, ValidationError } from '../../errors';
import { LIMITS } from '../../moderation/comment-schema';
import { REQUEST_LIMITS } from '../../moderation/pipeline';
import { COMMENT_STATUSES } from '../../moderation/review-actions';
import type { CommentStatus } from '../../moderation/types';

/** Parses with `schema`, or throws 422 `validation_failed` listing every bad field. */
export function parseBody<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
}

/**
 * Parses a query string with `schema`, or throws 400 `invalid_query` listing every bad parameter
 * (a query string is the request's address, not a document to correct: 400, as for a bad cursor).
 */
export function parseQuery<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestError(
    'invalid_query',
    'Some query parameters are not valid.',
    parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })),
  );
}

const status = z.enum(COMMENT_STATUSES as [CommentStatus, ...CommentStatus[]]);
const note = z.string().trim().max(2000).optional();
const uuid = z.uuid({ message: 'Must be a comment id.' });

/** An IP address or a subnet in CIDR notation (203.0.113.0/24). */
const ipOrSubnet = z
  .string()
  .trim()
  .refine((v) => {
    const [addr, bits, extra] = v.split('/');
    // No IPv6 zone (fe80::1%eth0): Node accepts one, Postgres's inet does not.
    if (extra !== undefined || !isIP(addr) || addr.includes('%')) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n <= (isIP(addr) === 4 ? 32 : 128);
  }, 'Must be an IP address or a subnet such as 203.0.113.0/24.');

/** A date or time the queue can filter on (years 1–9999, what Postgres and ISO 8601 both hold). */
const queueDate = z.coerce
  .date({ message: 'Must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z.' })
  .refine(isStorableDate, 'Must be a date between the years 1 and 9999.');

export const queueQuery = z.object({
  status: status.default('pending'),
  /** The readers' queues (docs/articles.md): published comments with open reports, or that no person has seen. */
  queue: z.enum(['reported', 'unmoderated']).optional(),
  article: z.string().trim().min(1).max(500).optional(),
  email: z.string().trim().min(1).max(254).optional(),
  ip: ipOrSubnet.optional(),
  q: z.string().trim().min(1).max(500).optional(),
  /** Only what one check held: `civility` ("held for civility"). */
  held: z.enum(['civility'], { error: 'Must be civility.' }).optional(),
  since: queueDate.optional(),
  until: queueDate.optional(),
  sort: z.enum(['oldest', 'newest', 'score']).default('oldest'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

/** Body of a single action: the status the moderator saw, and an optional note for the trail. */
export const actionBody = z.object({ expectedStatus: status.optional(), note });

export const editBody = z.object({ body: z.string().trim().min(1, 'The text cannot be empty.').max(65525), expectedStatus: status.optional(), note });

export const bulkBody = z
  .object({
    action: z.enum(['approve', 'unapprove', 'spam', 'not-spam', 'trash', 'restore', 'delete']),
    ids: z.array(uuid).min(1).max(500).optional(),
    /** "Everything from this author": every comment with this email or IP. */
    authorEmail: z.string().trim().min(1).max(254).optional(),
    authorIp: z.string().trim().refine((v) => isIP(v) !== 0, 'Must be an IP address.').optional(),
    expectedStatus: status.optional(),
    note,
  })
  .refine((b) => [b.ids, b.authorEmail, b.authorIp].filter((x) => x !== undefined).length === 1, {
    message: 'Give exactly one of ids, authorEmail or authorIp.',
    path: ['ids'],
  });

/**
 * A sample for the rule tester. Text fields are held to the submit form's limits (LIMITS), so no
 * check ever reads more than a real comment can hold; the pipeline checks them again.
 */
export const ruleTestBody = z.object({
  comment: z.object({
    articleId: z.string().trim().min(1).max(LIMITS.articleId).default('rule-test'),
    parentId: uuid.nullable().default(null),
    authorName: z.string().max(LIMITS.authorName).default(''),
    authorEmail: z.string().max(LIMITS.authorEmail).default(''),
    authorUrl: z.string().max(LIMITS.authorUrl).nullable().default(null),
    body: z.string().max(LIMITS.body).default(''),
  }),
  request: z
    .object({ ip: z.string().max(REQUEST_LIMITS.ip).nullable().default(null), userAgent: z.string().max(REQUEST_LIMITS.userAgent).nullable().default(null) })
    .default({ ip: null, userAgent: null }),
  /** Unsaved changes to try: merged over the stored settings for this run only. */
  settings: z.record(z.string(), z.unknown()).default({}),
});

export const privacyEmail = z.object({ email: z.string().trim().min(3).max(254) });
export const eraseBody = privacyEmail.extend({ bodies: z.enum(['keep', 'delete']), note });

export const createModeratorBody = z.object({
  email: z.email().max(254),
  name: z.string().trim().max(200).default(''),
  role: z.enum(['admin', 'moderator']),
  password: z.string().min(12, 'Use at least 12 characters.').max(1024),
});

export const updateModeratorBody = z.object({
  role: z.enum(['admin', 'moderator']).optional(),
  name: z.string().trim().max(200).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(12, 'Use at least 12 characters.').max(1024).optional(),
});

export const tokenBody = z.object({ name: z.string().trim().min(1, 'Name the token (what script uses it).').max(200) });
