import { isIP } from 'node:net';
import type { Pool } from './pool';
import { findCommentById, toStoredComment, type StoredComment } from './comment-repository';
import type { CommentStatus } from '../moderation/types';
import { isUuid } from '../lib/uuid';

export type StatusCounts = Record<CommentStatus, number>;

/** Comments per status, every one of `statuses` present (zero when none). */
export async function countByStatus(pool: Pool, statuses: readonly CommentStatus[]): Promise<StatusCounts> {
  const { rows } = await pool.query<{ status: CommentStatus; n: number }>('SELECT status, count(*)::int AS n FROM comments GROUP BY status');
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as StatusCounts;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export type QueueSort = 'oldest' | 'newest' | 'score';

export interface QueueFilter {
  status: CommentStatus;
  /** The beginning of an article id. */
  articleId?: string;
  /** Part of an email or an author's name, any case. */
  email?: string;
  /** An address, or a subnet in CIDR form. */
  ip?: string;
  /** Text searched in the body and the author's name. */
  text?: string;
  /** Only comments this check held (a `review` verdict of the check named, e.g. `civility`). */
  heldBy?: string;
  since?: Date;
  until?: Date;
  sort: QueueSort;
  limit: number;
  cursor?: string;
}

export interface QueuePage {
  items: StoredComment[];
  nextCursor: string | null;
}

/** The position after the last row of a page: its sort keys. */
export interface QueueCursor {
  s: number;
  t: string;
  id: string;
}

/**
 * The cursor a page handed out, or null when `raw` is not one (hand-edited, truncated, from another
 * version). Every key is checked to the type and range the query casts it to, so a bad cursor is the
 * client's 400, never a database error.
 */
export function decodeQueueCursor(raw: string): QueueCursor | null {
  try {
    const c: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (typeof c !== 'object' || c === null) return null;
    const { s, t, id } = c as Record<string, unknown>;
    if (typeof s !== 'number' || !Number.isFinite(s) || typeof t !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
    const at = new Date(t);
    if (!isStorableDate(at)) return null;
    // Canonical ISO form: Postgres parses it, whatever spelling Date.parse accepted.
    return { s, t: at.toISOString(), id };
  } catch {
    return null;
  }
}

/** A date Postgres's timestamptz holds and ISO 8601 writes plainly (years 1–9999). */
export function isStorableDate(d: Date): boolean {
  const year = d.getUTCFullYear();
  return !Number.isNaN(d.getTime()) && year >= 1 && year <= 9999;
}

/**
 * Each order's ORDER BY and the "after this cursor" condition. `keys` lists which cursor fields the
 * condition uses: only those are sent as parameters (an unused one has no type Postgres can infer).
 */
const ORDER: Record<QueueSort, { by: string; after: string; keys: (keyof QueueCursor)[] }> = {
  oldest: { by: 'submitted_at, id', after: '(submitted_at, id) > ($t::timestamptz, $id::uuid)', keys: ['t', 'id'] },
  newest: { by: 'submitted_at DESC, id DESC', after: '(submitted_at, id) < ($t::timestamptz, $id::uuid)', keys: ['t', 'id'] },
  // Highest score first, then oldest first among equals.
  score: {
    by: 'score DESC, submitted_at, id',
    after: '(score < $s::float8 OR (score = $s::float8 AND (submitted_at, id) > ($t::timestamptz, $id::uuid)))',
    keys: ['s', 't', 'id'],
  },
};

/** A LIKE pattern's literal part: %, _ and \ match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of one status's queue, filtered and ordered, with a cursor for the next page. */
export async function listQueue(pool: Pool, f: QueueFilter, cursor: QueueCursor | null): Promise<QueuePage> {
  const params: unknown[] = [f.status];
  const where = ['status = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('$?', `$${params.length}`));
  };
  // Article by prefix, email or name by any part in any case (indexes: migration 0016).
  if (f.articleId) add(`article_id LIKE $? ESCAPE '\\'`, `${escapeLike(f.articleId)}%`);
  if (f.email) add(`(author_email ILIKE $? ESCAPE '\\' OR author_name ILIKE $? ESCAPE '\\')`, `%${escapeLike(f.email)}%`);
  // inet, not cidr: `127.0.0.1/8` (host bits set) is a valid inet whose network is 127/8.
  if (f.ip) add(isIP(f.ip) ? 'ip = $?::inet' : 'ip <<= $?::inet', f.ip);
  if (f.text) add(`(body ILIKE $? ESCAPE '\\' OR author_name ILIKE $? ESCAPE '\\')`, `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.heldBy) add('reasons @> $?::jsonb', JSON.stringify([{ check: f.heldBy, verdict: 'review' }]));
  if (f.since) add('submitted_at >= $?', f.since);
  if (f.until) add('submitted_at < $?', f.until);
  const order = ORDER[f.sort];
  if (cursor) {
    let after = order.after;
    for (const key of order.keys) {
      params.push(cursor[key]);
      after = after.replaceAll(`$${key}:`, `$${params.length}:`);
    }
    where.push(after);
  }
  params.push(f.limit + 1);
  const { rows } = await pool.query(`SELECT * FROM comments WHERE ${where.join(' AND ')} ORDER BY ${order.by} LIMIT $${params.length}`, params);
  const items = rows.slice(0, f.limit).map(toStoredComment);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > f.limit && last ? Buffer.from(JSON.stringify({ s: last.score, t: last.submittedAt, id: last.id })).toString('base64url') : null;
  return { items, nextCursor };
}

/** What an author did before: decisions per status for the same email and the same IP, and recent comments. */
export interface AuthorRecord {
  byEmail: StatusCounts;
  byIp: StatusCounts | null;
  recent: { id: string; articleId: string; status: CommentStatus; body: string; submittedAt: string }[];
}

export interface CommentDetail {
  comment: StoredComment;
  parent: StoredComment | null;
  author: AuthorRecord;
  /** `actor` as recorded (`moderator:<id>`, `token:<id>`, `system`, …); `actorName` as a person reads it. */
  events: { id: number; from: string | null; to: string; actor: string; actorName: string; reasons: unknown[]; note: string | null; at: string }[];
  revisions: { body: string; editedBy: string; editedAt: string }[];
}

/** Everything a moderator needs to decide one comment. */
export async function findCommentDetail(pool: Pool, id: string, statuses: readonly CommentStatus[]): Promise<CommentDetail | null> {
  const comment = await findCommentById(pool, id);
  if (!comment) return null;
  const [parent, author, events, revisions] = await Promise.all([
    comment.parentId ? findCommentById(pool, comment.parentId) : Promise.resolve(null),
    authorRecord(pool, comment, statuses),
    // Who acted, by display name: a moderator's name (never the email), or the account behind an API token.
    pool.query(
      `SELECT e.*, m.name AS moderator_name, t.name AS token_name, tm.name AS token_owner_name
       FROM moderation_events e
       LEFT JOIN moderators m ON e.actor = 'moderator:' || m.id::text
       LEFT JOIN api_tokens t ON e.actor = 'token:' || t.id::text
       LEFT JOIN moderators tm ON tm.id = t.moderator_id
       WHERE e.comment_id = $1 ORDER BY e.id`,
      [id],
    ),
    pool.query('SELECT * FROM comment_revisions WHERE comment_id = $1 ORDER BY id', [id]),
  ]);
  return {
    comment,
    parent,
    author,
    events: events.rows.map((e) => ({
      id: Number(e.id),
      from: e.from_status,
      to: e.to_status,
      actor: e.actor,
      actorName: actorName(e),
      reasons: e.reasons,
      note: e.note,
      at: e.created_at.toISOString(),
    })),
    revisions: revisions.rows.map((r) => ({ body: r.body, editedBy: r.edited_by, editedAt: r.edited_at.toISOString() })),
  };
}

/** A trail entry's actor for people: a moderator's name, an API token's owner and name, or what the system is. */
function actorName(e: { actor: string; moderator_name: string | null; token_name: string | null; token_owner_name: string | null }): string {
  if (e.actor.startsWith('moderator:')) return e.moderator_name === null ? 'a removed moderator account' : e.moderator_name.trim() || 'a moderator';
  if (e.actor.startsWith('token:')) return e.token_name === null ? 'a removed API token' : `${e.token_owner_name?.trim() || 'a moderator'} (API token “${e.token_name}”)`;
  if (e.actor === 'system') return 'the automatic checks';
  return e.actor;
}

async function authorRecord(pool: Pool, c: StoredComment, statuses: readonly CommentStatus[]): Promise<AuthorRecord> {
  const counts = async (sql: string, value: string) => {
    const { rows } = await pool.query<{ status: CommentStatus; n: number }>(`SELECT status, count(*)::int AS n FROM comments WHERE ${sql} GROUP BY status`, [value]);
    const out = Object.fromEntries(statuses.map((s) => [s, 0])) as StatusCounts;
    for (const r of rows) out[r.status] = r.n;
    return out;
  };
  const [byEmail, byIp, recent] = await Promise.all([
    counts('lower(author_email) = lower($1)', c.authorEmail),
    c.ip ? counts('ip = $1::inet', c.ip) : Promise.resolve(null),
    pool.query(
      `SELECT id, article_id, status, body, submitted_at FROM comments
       WHERE (lower(author_email) = lower($1) OR ($2::inet IS NOT NULL AND ip = $2::inet)) AND id <> $3
       ORDER BY submitted_at DESC LIMIT 10`,
      [c.authorEmail, c.ip, c.id],
    ),
  ]);
  return {
    byEmail,
    byIp,
    recent: recent.rows.map((r) => ({ id: r.id, articleId: r.article_id, status: r.status, body: r.body, submittedAt: r.submitted_at.toISOString() })),
  };
}

/** Ids and statuses of every comment from one email or IP not already in `except` (for "spam everything from this author"). */
export async function findAuthorComments(pool: Pool, q: { email?: string; ip?: string }, except: CommentStatus): Promise<{ id: string; status: CommentStatus }[]> {
  const { rows } = await pool.query<{ id: string; status: CommentStatus }>(
    `SELECT id, status FROM comments
     WHERE (($1::text IS NOT NULL AND lower(author_email) = lower($1)) OR ($2::inet IS NOT NULL AND ip = $2::inet)) AND status <> $3
     ORDER BY submitted_at LIMIT 1000`,
    [q.email ?? null, q.ip ?? null, except],
  );
  return rows;
}
