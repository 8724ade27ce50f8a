import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { LIMITS } from '../../moderation/comment-schema';
import type { ClassifierInput, CommentInput, RequestContext } from '../../moderation/types';

/** A form-encoded Akismet call's parameters (every value a string; repeated names take the first). */
export type AkismetParams = Record<string, unknown>;

/** A parameter as a string: the first of repeated values, '' when absent. */
export function param(p: AkismetParams, name: string): string {
  const v = p[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** Akismet's truthy spellings for flags such as is_test. */
export function flag(p: AkismetParams, name: string): boolean {
  return ['1', 'true', 'yes'].includes(param(p, name).trim().toLowerCase());
}

/**
 * The comment Akismet's parameters describe, in this service's shape. The caller's CMS enforces its
 * own required fields and lengths; each field is cut to this service's limits (LIMITS), so an
 * oversized comment is still judged on what fits instead of being refused unread.
 * WordPress's comment_parent is a CMS number, not one of our ids: it is not looked up.
 */
export function akismetComment(p: AkismetParams, guid: string = randomUUID()): { comment: CommentInput; request: RequestContext } {
  const honeypotField = param(p, 'honeypot_field_name');
  // The honeypot field named by honeypot_field_name; a name that is itself an Akismet parameter is ignored.
  const honeypot = honeypotField && !KNOWN.has(honeypotField) ? param(p, honeypotField) : undefined;
  const ip = param(p, 'user_ip').trim();
  const permalink = param(p, 'permalink').trim();
  return {
    comment: {
      id: guid,
      articleId: (permalink || param(p, 'blog').trim() || 'akismet').slice(0, LIMITS.articleId),
      parentId: null,
      authorName: param(p, 'comment_author').slice(0, LIMITS.authorName),
      authorEmail: param(p, 'comment_author_email').slice(0, LIMITS.authorEmail),
      authorUrl: param(p, 'comment_author_url').slice(0, LIMITS.authorUrl) || null,
      body: param(p, 'comment_content').slice(0, LIMITS.body),
      honeypot: honeypot ?? null,
      formToken: null,
    },
    request: {
      ip: isIP(ip) ? ip : null,
      userAgent: param(p, 'user_agent') || null,
      referrer: param(p, 'referrer') || param(p, 'referer') || null,
      receivedAt: new Date().toISOString(),
    },
  };
}

/** What the spam model reads of an Akismet comment (submit-spam / submit-ham teach from this). */
export function classifierInput(comment: CommentInput): ClassifierInput {
  return { body: comment.body, authorName: comment.authorName, authorEmail: comment.authorEmail, authorUrl: comment.authorUrl };
}

/** Akismet's own parameter names (a honeypot field cannot be one of them). */
const KNOWN = new Set([
  'api_key', 'key', 'blog', 'user_ip', 'user_agent', 'referrer', 'referer', 'permalink', 'comment_type', 'comment_author',
  'comment_author_email', 'comment_author_url', 'comment_content', 'comment_parent', 'comment_date_gmt',
  'comment_post_modified_gmt', 'blog_lang', 'blog_charset', 'user_role', 'is_test', 'recheck_reason',
  'honeypot_field_name', 'guid', 'comment_context',
]);
