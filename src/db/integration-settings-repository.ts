import type { Pool, PoolClient } from './pool';

/** Settings of the outgoing integrations, changed by admins (one row). */
export interface IntegrationSettings {
  /** Webhooks may reach private, loopback and link-local addresses (off: refused). */
  webhooksAllowPrivate: boolean;
  /** 0: e-mail moderators as soon as comments are held; N: at most one digest every N minutes. */
  mailDigestMinutes: number;
}

export async function readIntegrationSettings(pool: Pool): Promise<IntegrationSettings> {
  const { rows } = await pool.query<{ webhooks_allow_private: boolean; mail_digest_minutes: number }>(
    'SELECT webhooks_allow_private, mail_digest_minutes FROM integration_settings WHERE id',
  );
  return { webhooksAllowPrivate: rows[0]?.webhooks_allow_private ?? false, mailDigestMinutes: rows[0]?.mail_digest_minutes ?? 0 };
}

export async function updateIntegrationSettings(pool: Pool, patch: Partial<IntegrationSettings>): Promise<IntegrationSettings> {
  await pool.query(
    `UPDATE integration_settings SET webhooks_allow_private = COALESCE($1, webhooks_allow_private),
       mail_digest_minutes = COALESCE($2, mail_digest_minutes), updated_at = now() WHERE id`,
    [patch.webhooksAllowPrivate ?? null, patch.mailDigestMinutes ?? null],
  );
  return readIntegrationSettings(pool);
}

/** Locks the "held comments announced until" mark (mail jobs run one at a time, in a transaction). */
export async function lockMailMark(client: PoolClient): Promise<{ since: Date; until: Date }> {
  const { rows } = await client.query<{ since: Date; until: Date }>('SELECT mail_notified_until AS since, now() AS until FROM integration_settings WHERE id FOR UPDATE');
  return rows[0];
}

export async function advanceMailMark(client: PoolClient, until: Date): Promise<void> {
  await client.query('UPDATE integration_settings SET mail_notified_until = $1 WHERE id', [until]);
}

/** Comments held for a moderator in (since, until]: how many, and the first few (oldest first). */
export async function findHeldSince(client: PoolClient, since: Date, until: Date, first: number): Promise<{ count: number; comments: { id: string; articleId: string; authorName: string; body: string; decidedAt: Date }[] }> {
  const count = await client.query<{ n: string }>("SELECT count(*) AS n FROM comments WHERE status = 'pending' AND decided_at > $1 AND decided_at <= $2", [since, until]);
  const { rows } = await client.query(
    "SELECT id, article_id, author_name, left(body, 400) AS body, decided_at FROM comments WHERE status = 'pending' AND decided_at > $1 AND decided_at <= $2 ORDER BY decided_at, id LIMIT $3",
    [since, until, first],
  );
  return { count: Number(count.rows[0].n), comments: rows.map((r) => ({ id: r.id, articleId: r.article_id, authorName: r.author_name, body: r.body, decidedAt: r.decided_at })) };
}

/** Moderators who opted in to e-mail about held comments (enabled accounts only). */
export async function listHeldRecipients(pool: Pool | PoolClient): Promise<string[]> {
  const { rows } = await pool.query<{ email: string }>('SELECT email FROM moderators WHERE notify_held AND disabled_at IS NULL ORDER BY email');
  return rows.map((r) => r.email);
}

export async function setNotifyHeld(pool: Pool, moderatorId: string, on: boolean): Promise<void> {
  await pool.query('UPDATE moderators SET notify_held = $2 WHERE id = $1', [moderatorId, on]);
}

export async function readNotifyHeld(pool: Pool, moderatorId: string): Promise<boolean> {
  const { rows } = await pool.query<{ notify_held: boolean }>('SELECT notify_held FROM moderators WHERE id = $1', [moderatorId]);
  return rows[0]?.notify_held ?? false;
}
