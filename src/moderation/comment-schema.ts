import { z } from 'zod';
import type { FieldError } from '../errors';
import { wellFormed } from './well-formed';

/**
 * The one definition of a comment's shape, used by the API before enqueueing and by the worker's
 * required-field check (so jobs from any producer are held to the same rules).
 * Limits are WordPress's (wp_get_comment_fields_max_lengths), messages are the reader's words.
 */
export const LIMITS = { authorName: 245, authorEmail: 100, authorUrl: 200, body: 65525, articleId: 200 } as const;

export const MESSAGES = {
  body: 'Please enter your comment!',
  authorName: 'Please enter your name here',
  authorEmail: 'You have entered an incorrect email address!',
  authorUrl: 'Please enter a valid website address (http or https).',
  articleId: 'The comment form is missing its article.',
  parentId: 'The comment you are replying to is not valid.',
} as const;

const text = (max: number, message: string, tooLong: string) =>
  z.string({ error: message }).trim().min(1, message).max(max, tooLong).transform(wellFormed);

/** An optional string that may arrive empty (an untouched form field). */
const optionalText = (max: number, message: string) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return v.trim() === '' ? null : wellFormed(v.trim());
    })
    .pipe(z.string().max(max, message).nullable());

/** Website: optional; `example.com` is read as `http://example.com`, as WordPress does. */
const authorUrl = optionalText(LIMITS.authorUrl, MESSAGES.authorUrl).transform((v, ctx) => {
  if (v === null) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `http://${v}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) return url.href.slice(0, LIMITS.authorUrl);
  } catch {
    /* fall through to the issue below */
  }
  ctx.addIssue({ code: 'custom', message: MESSAGES.authorUrl });
  return z.NEVER;
});

/** Parent: none when absent, empty or WordPress's "0"; otherwise a comment id. */
const parentId = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' && typeof v !== 'number') {
      ctx.addIssue({ code: 'custom', message: MESSAGES.parentId });
      return z.NEVER;
    }
    const s = String(v).trim().toLowerCase();
    return s === '' || s === '0' ? null : s;
  })
  .pipe(z.uuid({ error: MESSAGES.parentId }).nullable());

/** Anti-spam form fields: kept when they are text, dropped otherwise (they never fail a submission). */
const formExtra = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? wellFormed(v.slice(0, 1000)) : v === undefined ? undefined : null));

const articleId = z
  .union([z.string(), z.number()], { error: MESSAGES.articleId })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, MESSAGES.articleId).max(LIMITS.articleId, 'The article id is too long.').regex(/^[\p{L}\p{N}._:\/-]+$/u, 'The article id may hold letters, digits and . _ : / - only.'));

export const commentSubmissionSchema = z.object({
  articleId,
  parentId,
  authorName: text(LIMITS.authorName, MESSAGES.authorName, `Your name may be at most ${LIMITS.authorName} characters.`),
  authorEmail: z
    .string({ error: MESSAGES.authorEmail })
    .trim()
    .max(LIMITS.authorEmail, `Your email address may be at most ${LIMITS.authorEmail} characters.`)
    .pipe(z.email({ error: MESSAGES.authorEmail })),
  authorUrl,
  body: text(LIMITS.body, MESSAGES.body, `Your comment may be at most ${LIMITS.body} characters.`),
  honeypot: formExtra,
  formToken: formExtra.transform((v) => v ?? null),
});

export type CommentSubmission = z.infer<typeof commentSubmissionSchema>;

/** WordPress's comment form field names → ours, so an existing wp-comments-post form works unchanged. */
const WORDPRESS_FIELDS: Record<string, string> = {
  comment: 'body',
  author: 'authorName',
  email: 'authorEmail',
  url: 'authorUrl',
  comment_post_ID: 'articleId',
  comment_parent: 'parentId',
  hp_url: 'honeypot',
  form_token: 'formToken',
};

/** Maps a form post's fields to the JSON names; keys that are already ours pass through. */
export function fromFormFields(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const mapped = Object.hasOwn(WORDPRESS_FIELDS, key) ? WORDPRESS_FIELDS[key] : undefined;
    const name = mapped ?? key;
    if (!Object.hasOwn(out, name) || mapped) out[name] = value;
  }
  return out;
}

export type ParseResult = { ok: true; value: CommentSubmission } | { ok: false; fields: FieldError[] };

/** Checks a submission's shape; on failure lists every bad field with its message (first per field). */
export function parseSubmission(input: unknown): ParseResult {
  const parsed = commentSubmissionSchema.safeParse(input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'body';
    if (seen.has(field)) continue;
    seen.add(field);
    const known = (MESSAGES as Record<string, string>)[field];
    // Type errors ("expected string, received number") are shown in the reader's words instead.
    fields.push({ field, message: issue.code === 'invalid_type' && known ? known : issue.message });
  }
  return { ok: false, fields };
}
