import type { Pool, PoolClient } from './pool';
import { decisiveReasons } from './comment-repository';
import type { BodyFingerprint, CommentInput, Decision, RequestContext } from '../moderation/types';

/** One decided comment to store, with its body's fingerprint (computed once by the caller). */
export interface DecidedComment {
  comment: CommentInput;
  request: RequestContext;
  decision: Decision;
  fingerprint: BodyFingerprint;
}

/**
 * Stores many decided comments and their first moderation events in ONE statement (so one
 * implicit transaction and one round trip): a multi-row INSERT … ON CONFLICT (id) DO NOTHING, and,
 * in the same statement, a first event for exactly the rows it inserted. The same guarantees as
 * insertDecidedComment, for a batch: a comment already stored (a re-run job) writes nothing, a
 * failure writes nothing at all, and the unique first-event index keeps one first event per comment.
 * The rows travel as one JSON document (jsonb_to_recordset): one JSON.stringify instead of escaping
 * eighteen text arrays element by element, which cost the worker more than the insert itself.
 * Returns the ids that were inserted now. Ids must be unique within `items` (the caller dedupes).
 */
export async function insertDecidedComments(db: Pool | PoolClient, items: readonly DecidedComment[]): Promise<Set<string>> {
  if (!items.length) return new Set();
  const rows = items.map(({ comment, request, decision, fingerprint }) => ({
    id: comment.id,
    article_id: comment.articleId,
    parent_id: comment.parentId,
    author_name: comment.authorName,
    author_email: comment.authorEmail,
    author_url: comment.authorUrl,
    body: comment.body,
    status: decision.status,
    score: decision.score,
    reasons: decision.verdicts,
    ip: request.ip,
    user_agent: request.userAgent,
    referrer: request.referrer,
    submitted_at: request.receivedAt,
    body_hash: fingerprint.hash,
    body_minhash: fingerprint.minhash,
    body_lsh: fingerprint.bands,
    event_reasons: decisiveReasons(decision.verdicts),
  }));
  const { rows: inserted } = await db.query<{ id: string }>({
    name: 'insert-decided-comments',
    text: `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS t(id uuid, article_id text, parent_id uuid, author_name text, author_email text, author_url text, body text,
              status text, score float8, reasons jsonb, ip inet, user_agent text, referrer text, submitted_at timestamptz,
              body_hash text, body_minhash int[], body_lsh int[], event_reasons jsonb)
     ),
     inserted AS (
       INSERT INTO comments (id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons,
                             ip, user_agent, referrer, submitted_at, decided_at, body_hash, body_minhash, body_lsh)
       SELECT id, article_id, parent_id, author_name, author_email, author_url, body, status, score, reasons,
              ip, user_agent, referrer, submitted_at, now(), decode(body_hash, 'hex'), body_minhash, body_lsh
       FROM input
       ON CONFLICT (id) DO NOTHING
       RETURNING id, status
     ),
     events AS (
       INSERT INTO moderation_events (comment_id, from_status, to_status, actor, reasons)
       SELECT i.id, NULL, i.status, 'system', input.event_reasons FROM inserted i JOIN input ON input.id = i.id
     )
     SELECT id FROM inserted`,
    values: [JSON.stringify(rows)],
  });
  return new Set(inserted.map((r) => r.id));
}
