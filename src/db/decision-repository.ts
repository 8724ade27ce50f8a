import { withTransaction, type Pool, type PoolClient } from './pool';
import { toStoredComment, type StoredComment } from './comment-repository';
import { ConflictError, NotFoundError } from '../errors';
import { resolveReports } from './report-repository';
import type { CommentStatus } from '../moderation/types';

/** A moderator's change, as recorded: who, from which status to which. */
export interface ReviewChange {
  comment: StoredComment;
  from: CommentStatus;
  to: CommentStatus | 'deleted';
}

interface Who {
  actor: string;
  note?: string | null;
}

/** The status before the comment entered its current one (for restore); a worker's first decision counts as pending. */
const PREVIOUS_STATUS = `COALESCE((SELECT e.from_status FROM moderation_events e
   WHERE e.comment_id = old.id AND e.to_status = old.status AND e.from_status IS DISTINCT FROM e.to_status
   ORDER BY e.id DESC LIMIT 1), 'pending')`;

/**
 * Changes a comment's status to `to` (`previous`: the status before it entered its current one) if —
 * and only if — it is still in one of `from`: one conditional
 * UPDATE (the row is locked first, so of two moderators racing exactly one matches), plus the
 * event, in one transaction. Otherwise `409 already_decided` with the current status.
 */
export async function changeStatus(pool: Pool, id: string, to: CommentStatus | 'previous', from: readonly CommentStatus[], who: Who): Promise<ReviewChange> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `WITH old AS (SELECT id, status FROM comments WHERE id = $1 FOR UPDATE)
       UPDATE comments c SET status = ${to === 'previous' ? PREVIOUS_STATUS : '$3'}, decided_at = now(), updated_at = now()
       FROM old WHERE c.id = old.id AND old.status = ANY($2::text[])
       RETURNING old.status AS from_status, c.*`,
      to === 'previous' ? [id, from] : [id, from, to],
    );
    if (!rows[0]) throw await notChanged(client, id);
    const change = { comment: toStoredComment(rows[0]), from: rows[0].from_status as CommentStatus, to: rows[0].status as CommentStatus };
    await recordEvent(client, id, change.from, change.to, who);
    // A person's decision settles readers' reports: approving dismisses them, anything else upholds them.
    if (who.actor !== 'system') await resolveReports(client, id, change.to === 'approved' ? 'dismissed' : 'upheld', who.actor);
    return change;
  });
}

/** Deletes a comment for good (its replies move up to its parent), if it is still in one of `from`. */
export async function deleteComment(pool: Pool, id: string, from: readonly CommentStatus[], who: Who): Promise<ReviewChange> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `WITH old AS (SELECT id FROM comments WHERE id = $1 FOR UPDATE)
       DELETE FROM comments c USING old WHERE c.id = old.id AND c.status = ANY($2::text[]) RETURNING c.*`,
      [id, from],
    );
    if (!rows[0]) throw await notChanged(client, id);
    const comment = toStoredComment(rows[0]);
    await client.query('UPDATE comments SET parent_id = $2, updated_at = now() WHERE parent_id = $1', [id, comment.parentId]);
    await recordEvent(client, id, comment.status, 'deleted', who);
    return { comment, from: comment.status, to: 'deleted' };
  });
}

/** Replaces a comment's text; the old text is kept in comment_revisions and the edit is an event. */
export async function editCommentBody(pool: Pool, id: string, body: string, from: readonly CommentStatus[], who: Who): Promise<ReviewChange> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `WITH old AS (SELECT id, body FROM comments WHERE id = $1 FOR UPDATE)
       UPDATE comments c SET body = $3, updated_at = now() FROM old
       WHERE c.id = old.id AND c.status = ANY($2::text[]) RETURNING old.body AS old_body, c.*`,
      [id, from, body],
    );
    if (!rows[0]) throw await notChanged(client, id);
    const comment = toStoredComment(rows[0]);
    await client.query('INSERT INTO comment_revisions (comment_id, body, edited_by) VALUES ($1, $2, $3)', [id, rows[0].old_body, who.actor]);
    await recordEvent(client, id, comment.status, comment.status, who, [{ code: 'body_edited', message: 'A moderator edited the text; the earlier text is kept.' }]);
    return { comment, from: comment.status, to: comment.status };
  });
}

export async function recordEvent(client: PoolClient, commentId: string, from: string | null, to: string, who: Who, reasons: unknown[] = []): Promise<void> {
  await client.query(
    'INSERT INTO moderation_events (comment_id, from_status, to_status, actor, reasons, note) VALUES ($1, $2, $3, $4, $5, $6)',
    [commentId, from, to, who.actor, JSON.stringify(reasons), who.note ?? null],
  );
}

/** Why nothing changed: the comment is gone (404) or someone else moved it first (409). */
async function notChanged(client: PoolClient, id: string): Promise<Error> {
  const { rows } = await client.query<{ status: CommentStatus }>('SELECT status FROM comments WHERE id = $1', [id]);
  if (!rows[0]) return new NotFoundError('No comment with this id.');
  return new ConflictError('already_decided', `This comment is ${rows[0].status} now; another moderator may have decided it first.`, {
    currentStatus: rows[0].status,
  });
}
