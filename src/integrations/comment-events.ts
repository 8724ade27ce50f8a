import type { CommentStatus } from '../moderation/types';

/** The events a webhook may subscribe to. */
export const COMMENT_EVENTS = ['comment.published', 'comment.unpublished', 'comment.held', 'comment.spam'] as const;
export type CommentEventName = (typeof COMMENT_EVENTS)[number];

/**
 * A comment as integrations receive it: what readers may see of it, and its status. Never the
 * author's e-mail or IP address (they stay on the moderators' side).
 */
export interface EventComment {
  id: string;
  articleId: string;
  parentId: string | null;
  authorName: string;
  authorUrl: string | null;
  body: string;
  status: CommentStatus | 'deleted';
}

/** A status change: `from` null for the worker's first decision. */
export interface StatusChange {
  from: CommentStatus | null;
  to: CommentStatus | 'deleted';
  comment: EventComment;
}

/**
 * The events a status change announces: published (now approved), unpublished (no longer approved),
 * held (now waiting for a moderator), spam (now spam). One change may announce two (approved → spam).
 */
export function eventsFor(from: CommentStatus | null, to: CommentStatus | 'deleted'): CommentEventName[] {
  if (from === to) return [];
  const events: CommentEventName[] = [];
  if (to === 'approved') events.push('comment.published');
  if (from === 'approved') events.push('comment.unpublished');
  if (to === 'pending') events.push('comment.held');
  if (to === 'spam') events.push('comment.spam');
  return events;
}
