import { withTransaction, type Pool, type PoolClient } from './pool';
import { toStoredComment, type StoredComment } from './comment-repository';
import { recordEvent } from './decision-repository';
import type { ErasedIdentity, ErasureScrubber } from '../moderation/erase-identity';
import { CIVILITY_MODEL_TABLES, forgetModelFeatures, SPAM_MODEL_TABLES } from './text-model-repository';

/** Everything stored about one email address, for a data-access request. */
export interface PersonalDataExport {
  email: string;
  exportedAt: string;
  comments: (StoredComment & { revisions: { body: string; editedAt: string }[]; events: { from: string | null; to: string; at: string; note: string | null }[] })[];
}

export async function exportByEmail(pool: Pool, email: string): Promise<PersonalDataExport> {
  const { rows } = await pool.query('SELECT * FROM comments WHERE lower(author_email) = lower($1) ORDER BY submitted_at, id', [email]);
  const ids = rows.map((r) => r.id as string);
  const [revisions, events] = await Promise.all([
    pool.query('SELECT comment_id, body, edited_at FROM comment_revisions WHERE comment_id = ANY($1::uuid[]) ORDER BY id', [ids]),
    pool.query('SELECT comment_id, from_status, to_status, note, created_at FROM moderation_events WHERE comment_id = ANY($1::uuid[]) ORDER BY id', [ids]),
  ]);
  return {
    email,
    exportedAt: new Date().toISOString(),
    comments: rows.map((row) => ({
      ...toStoredComment(row),
      revisions: revisions.rows.filter((r) => r.comment_id === row.id).map((r) => ({ body: r.body, editedAt: r.edited_at.toISOString() })),
      events: events.rows
        .filter((e) => e.comment_id === row.id)
        .map((e) => ({ from: e.from_status, to: e.to_status, at: e.created_at.toISOString(), note: e.note })),
    })),
  };
}

/** What the erased author becomes: no name, no email, no link, no request details. */
export const ERASED_NAME = 'Anonymous';

/**
 * Erases one email's personal data from every table that can quote it. `keep`: the comments stay
 * (under "Anonymous") with name, email, link, IP, user agent and referrer removed, and those details
 * scrubbed from their text, earlier versions and check reasons; `delete`: the comments and their
 * earlier versions go. Either way the moderation trail keeps who did what and when, but its reasons and
 * notes lose the author's details (a deleted comment's quoted text too), and other comments' reasons
 * and notes that quote the email, IP address or website are scrubbed as well. Each comment gets an
 * event (the trail holds no personal data). Spam-model lessons are keyed by comment id and hold none.
 * What is replaced, and how, is `scrubberFor`'s (src/moderation/erase-identity.ts): this only applies it to rows.
 */
export async function eraseByEmail(
  pool: Pool,
  email: string,
  bodies: 'keep' | 'delete',
  who: { actor: string; note?: string | null },
  scrubberFor: (identity: ErasedIdentity) => ErasureScrubber,
): Promise<{ ids: string[] }> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      'SELECT *, host(ip) AS ip_text FROM comments WHERE lower(author_email) = lower($1) ORDER BY submitted_at FOR UPDATE',
      [email],
    );
    const ids = rows.map((r) => r.id as string);
    const identity: ErasedIdentity = {
      emails: [email, ...rows.map((r) => r.author_email as string)],
      names: rows.map((r) => r.author_name as string),
      urls: rows.map((r) => r.author_url as string | null).filter((u): u is string => !!u),
      ips: rows.map((r) => r.ip_text as string | null).filter((u): u is string => !!u),
      userAgents: rows.map((r) => r.user_agent as string | null).filter((u): u is string => !!u),
      referrers: rows.map((r) => r.referrer as string | null).filter((u): u is string => !!u),
    };
    const scrub = scrubberFor(identity);

    for (const row of rows) {
      const c = toStoredComment(row);
      if (bodies === 'delete') {
        await client.query('DELETE FROM comments WHERE id = $1', [c.id]);
        await client.query('UPDATE comments SET parent_id = $2, updated_at = now() WHERE parent_id = $1', [c.id, c.parentId]);
      } else {
        await client.query(
          `UPDATE comments SET author_name = $2, author_email = '', author_url = NULL, ip = NULL, user_agent = NULL, referrer = NULL,
             body = $3, reasons = $4, updated_at = now() WHERE id = $1`,
          [c.id, ERASED_NAME, scrub.text(c.body, 'own'), JSON.stringify(scrub.json(c.verdicts, 'own'))],
        );
        const revisions = await client.query('SELECT id, body FROM comment_revisions WHERE comment_id = $1', [c.id]);
        for (const r of revisions.rows) await client.query('UPDATE comment_revisions SET body = $2 WHERE id = $1', [r.id, scrub.text(r.body, 'own')]);
      }
    }

    // The trail: this author's events lose the details (and, for deleted comments, every quoted match).
    await client.query(`SELECT set_config('moderation.erasing', 'on', true)`);
    const ownEvents = await client.query('SELECT id, reasons, note FROM moderation_events WHERE comment_id = ANY($1::uuid[])', [ids]);
    for (const e of ownEvents.rows) {
      await client.query('UPDATE moderation_events SET reasons = $2, note = $3 WHERE id = $1', [
        e.id,
        JSON.stringify(scrub.json(e.reasons, 'own', { allMatches: bodies === 'delete' })),
        e.note === null ? null : scrub.text(e.note, 'own'),
      ]);
    }
    await scrubElsewhere(client, ids, scrub);
    await forgetModelFeatures(client, SPAM_MODEL_TABLES, scrub.modelFeatures);
    await forgetModelFeatures(client, CIVILITY_MODEL_TABLES, scrub.civilityModelFeatures ?? []);

    const message = bodies === 'delete' ? 'Erased on request, text deleted.' : 'Author details erased on request, text kept.';
    // The request's own note may name the author too.
    const trail = { actor: who.actor, note: who.note ? scrub.text(who.note, 'own') : who.note };
    for (const row of rows) {
      await recordEvent(client, row.id, row.status, bodies === 'delete' ? 'deleted' : row.status, trail, [{ code: 'personal_data_erased', message }]);
    }
    return { ids };
  });
}

/**
 * Rows that are not the author's but quote them: other comments' reasons and any event's reasons or
 * note that quote the email, IP address or website (a word-list match, a moderator's note "same
 * person as victoria@…"), and other comments' text and earlier versions that quote the email or IP.
 * A substring search in Postgres finds the candidates; the finders decide what is replaced.
 */
async function scrubElsewhere(client: PoolClient, ownIds: string[], scrub: ErasureScrubber): Promise<void> {
  const details = scrub.details;
  if (!details.length) return;
  const quotes = (expr: string) => `EXISTS (SELECT 1 FROM unnest($1::text[]) AS d WHERE strpos(lower(${expr}), d) > 0)`;
  const notOwn = 'NOT (id = ANY($2::uuid[]))';

  const comments = await client.query(`SELECT id, body, reasons FROM comments WHERE ${notOwn} AND (${quotes('reasons::text')} OR ${quotes('body')})`, [details, ownIds]);
  for (const c of comments.rows) {
    await client.query(
      // Readers' caches key on updated_at: a changed text must move it (see README, reader listing).
      'UPDATE comments SET body = $2, reasons = $3, updated_at = CASE WHEN body = $2 THEN updated_at ELSE now() END WHERE id = $1',
      [c.id, scrub.text(c.body, 'text'), JSON.stringify(scrub.json(c.reasons, 'quoted'))],
    );
  }
  const revisions = await client.query(`SELECT id, body FROM comment_revisions WHERE NOT (comment_id = ANY($2::uuid[])) AND ${quotes('body')}`, [details, ownIds]);
  for (const r of revisions.rows) await client.query('UPDATE comment_revisions SET body = $2 WHERE id = $1', [r.id, scrub.text(r.body, 'text')]);
  const events = await client.query(
    `SELECT id, reasons, note FROM moderation_events WHERE NOT (comment_id = ANY($2::uuid[])) AND (${quotes('reasons::text')} OR ${quotes("coalesce(note, '')")})`,
    [details, ownIds],
  );
  for (const e of events.rows) {
    await client.query('UPDATE moderation_events SET reasons = $2, note = $3 WHERE id = $1', [
      e.id,
      JSON.stringify(scrub.json(e.reasons, 'quoted')),
      e.note === null ? null : scrub.text(e.note, 'quoted'),
    ]);
  }
}

/**
 * Truncates the IP addresses of comments older than `days`: IPv4 to /24, IPv6 to /48, enough for
 * "same network" look-ups and no longer one person's address. Idempotent; returns rows changed.
 */
export async function truncateOldIps(pool: Pool, days: number, now = new Date()): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH t AS (
       SELECT id, host(network(set_masklen(ip, CASE WHEN family(ip) = 4 THEN 24 ELSE 48 END)))::inet AS short
       FROM comments WHERE ip IS NOT NULL AND submitted_at < $1::timestamptz - make_interval(days => $2)
     )
     UPDATE comments c SET ip = t.short FROM t WHERE c.id = t.id AND c.ip IS DISTINCT FROM t.short`,
    [now, days],
  );
  return rowCount ?? 0;
}
