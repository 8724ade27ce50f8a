import { withTransaction, type Pool, type PoolClient } from './pool';

export type Premoderate = 'off' | 'all' | 'links';

/** An article's row: what the CMS said about it and its moderation settings. */
export interface ArticleRow {
  id: string;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  closed: boolean;
  premoderate: Premoderate;
  /** Null: the site-wide default applies. */
  closeAfterDays: number | null;
  message: string | null;
  surgeUntil: string | null;
  surgeQuietUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields a PUT may set (absent: unchanged). */
export interface ArticlePatch {
  title?: string | null;
  url?: string | null;
  publishedAt?: Date | null;
  closed?: boolean;
  premoderate?: Premoderate;
  closeAfterDays?: number | null;
  message?: string | null;
}

interface Row {
  id: string;
  title: string | null;
  url: string | null;
  published_at: Date | null;
  closed: boolean;
  premoderate: Premoderate;
  close_after_days: number | null;
  message: string | null;
  surge_until: Date | null;
  surge_quiet_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toArticle(r: Row): ArticleRow {
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    publishedAt: iso(r.published_at),
    closed: r.closed,
    premoderate: r.premoderate,
    closeAfterDays: r.close_after_days,
    message: r.message,
    surgeUntil: iso(r.surge_until),
    surgeQuietUntil: iso(r.surge_quiet_until),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function findArticle(db: Pool | PoolClient, id: string): Promise<ArticleRow | null> {
  const { rows } = await db.query<Row>('SELECT * FROM articles WHERE id = $1', [id]);
  return rows[0] ? toArticle(rows[0]) : null;
}

/** Makes sure a row exists for `id` (first comment): the settings stay the defaults. */
export async function ensureArticle(db: Pool | PoolClient, id: string): Promise<void> {
  await db.query('INSERT INTO articles (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [id]);
}

const COLUMNS: Record<keyof ArticlePatch, string> = {
  title: 'title',
  url: 'url',
  publishedAt: 'published_at',
  closed: 'closed',
  premoderate: 'premoderate',
  closeAfterDays: 'close_after_days',
  message: 'message',
};

/** Creates the article or changes the given fields; returns the row as stored. */
export async function upsertArticle(pool: Pool, id: string, patch: ArticlePatch): Promise<ArticleRow> {
  const keys = (Object.keys(COLUMNS) as (keyof ArticlePatch)[]).filter((k) => patch[k] !== undefined);
  const cols = keys.map((k) => COLUMNS[k]);
  const values = keys.map((k) => patch[k]);
  const sets = cols.map((c) => `${c} = EXCLUDED.${c}`);
  const { rows } = await pool.query<Row>(
    `INSERT INTO articles (id${cols.map((c) => `, ${c}`).join('')}) VALUES ($1${cols.map((_, i) => `, $${i + 2}`).join('')})
     ON CONFLICT (id) DO UPDATE SET ${[...sets, 'updated_at = now()'].join(', ')} RETURNING *`,
    [id, ...values],
  );
  return toArticle(rows[0]);
}

/** An article with its comments counted by status, open reports and last activity (the articles list). */
export interface ArticleSummary extends ArticleRow {
  counts: Record<string, number>;
  openReports: number;
  lastCommentAt: string | null;
}

/** Articles whose id or title contains `text` (any case), most recent activity first. */
export async function listArticles(pool: Pool, opts: { text?: string; sort: 'recent' | 'created'; limit: number }): Promise<ArticleSummary[]> {
  const params: unknown[] = [opts.limit];
  let where = '';
  if (opts.text) {
    params.push(`%${opts.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where = `WHERE a.id ILIKE $2 ESCAPE '\\' OR a.title ILIKE $2 ESCAPE '\\'`;
  }
  const order = opts.sort === 'recent' ? 'last_comment_at DESC NULLS LAST, a.updated_at DESC' : 'a.created_at DESC';
  const { rows } = await pool.query(
    `SELECT a.*, c.counts, c.last_comment_at, r.open_reports FROM articles a
     LEFT JOIN LATERAL (
       SELECT jsonb_object_agg(status, n) AS counts, max(last_at) AS last_comment_at
       FROM (SELECT status, count(*)::int AS n, max(submitted_at) AS last_at FROM comments WHERE article_id = a.id GROUP BY status) s
     ) c ON true
     LEFT JOIN LATERAL (
       SELECT count(*)::int AS open_reports FROM comment_reports cr JOIN comments cc ON cc.id = cr.comment_id
       WHERE cc.article_id = a.id AND cr.resolved_at IS NULL
     ) r ON true
     ${where}
     ORDER BY ${order} LIMIT $1`,
    params,
  );
  return rows.map((r) => ({ ...toArticle(r), counts: r.counts ?? {}, openReports: r.open_reports ?? 0, lastCommentAt: iso(r.last_comment_at) }));
}

/** One surge as recorded. */
export interface SurgeRecord {
  id: number;
  articleId: string;
  startedAt: string;
  until: string;
  reason: string;
  endedAt: string | null;
  endedBy: string | null;
}

/**
 * Starts a surge unless one is on (or a moderator ended one and the quiet time has not passed):
 * one conditional UPDATE on the article's row, so of several workers crossing the threshold at once
 * exactly one starts it and records it. Null when it was not started here.
 */
export async function startSurge(pool: Pool, articleId: string, at: Date, until: Date, reason: string): Promise<SurgeRecord | null> {
  return withTransaction(pool, async (client) => {
    await ensureArticle(client, articleId);
    const { rows } = await client.query(
      `UPDATE articles SET surge_until = $3, updated_at = now()
       WHERE id = $1 AND (surge_until IS NULL OR surge_until <= $2) AND (surge_quiet_until IS NULL OR surge_quiet_until <= $2)
       RETURNING id`,
      [articleId, at, until],
    );
    if (!rows[0]) return null;
    const inserted = await client.query(
      'INSERT INTO article_surges (article_id, started_at, until, reason) VALUES ($1, $2, $3, $4) RETURNING *',
      [articleId, at, until, reason],
    );
    return toSurge(inserted.rows[0]);
  });
}

/** Ends a running surge now; no new surge starts before `quietUntil`. Null when none was running. */
export async function endSurge(pool: Pool, articleId: string, at: Date, quietUntil: Date, actor: string): Promise<SurgeRecord | null> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `UPDATE articles SET surge_until = $2, surge_quiet_until = $3, updated_at = now() WHERE id = $1 AND surge_until > $2 RETURNING id`,
      [articleId, at, quietUntil],
    );
    if (!rows[0]) return null;
    const ended = await client.query(
      `UPDATE article_surges SET ended_at = $2, ended_by = $3
       WHERE id = (SELECT id FROM article_surges WHERE article_id = $1 ORDER BY id DESC LIMIT 1) RETURNING *`,
      [articleId, at, actor],
    );
    return ended.rows[0] ? toSurge(ended.rows[0]) : null;
  });
}

export async function listSurges(pool: Pool, articleId: string, limit = 20): Promise<SurgeRecord[]> {
  const { rows } = await pool.query('SELECT * FROM article_surges WHERE article_id = $1 ORDER BY id DESC LIMIT $2', [articleId, limit]);
  return rows.map(toSurge);
}

function toSurge(r: { id: string; article_id: string; started_at: Date; until: Date; reason: string; ended_at: Date | null; ended_by: string | null }): SurgeRecord {
  return { id: Number(r.id), articleId: r.article_id, startedAt: r.started_at.toISOString(), until: r.until.toISOString(), reason: r.reason, endedAt: iso(r.ended_at), endedBy: r.ended_by };
}
