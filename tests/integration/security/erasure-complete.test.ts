import { randomUUID } from 'node:crypto';
import type { Pool } from '../../../src/db/pool';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis, a worker and scrypt on a small machine running files in parallel.
jest.setTimeout(90000);

/**
 * Every (schema, table, column) of the test database that can hold text: text, varchar, char,
 * json, jsonb (and inet, for the IP), whatever the migrations define now or later.
 */
async function textColumns(pool: Pool): Promise<{ schema: string; table: string; column: string }[]> {
  const { rows } = await pool.query(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'inet', 'cidr') OR c.udt_name IN ('_text', '_varchar'))`,
  );
  return rows;
}

/** `schema.table.column` of every row whose value contains `needle` (case-insensitive). */
async function findEverywhere(pool: Pool, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const { schema, table, column } of await textColumns(pool)) {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${q(schema)}.${q(table)} WHERE strpos(lower(${q(column)}::text), lower($1)) > 0`, [needle]);
    if (rows[0].n > 0) hits.push(`${schema}.${table}.${column} (${rows[0].n})`);
  }
  return hits;
}

/** Issue 14, finding 6: after an erasure request nothing in Postgres still holds the email, the name or the IP. */
describe('POST /api/moderation/privacy/erase reaches every table and JSON column', () => {
  let h: Harness;
  const tag = randomUUID().slice(0, 8);
  const email = `Victoria.Victim.${tag}@example.org`;
  const name = `Victoria Victim${tag}`;
  // An address no other test file uses (they use 198.51.100.x and 203.0.113.x), in Postgres's spelling.
  const ip = `2001:db8:${parseInt(tag.slice(0, 4), 16).toString(16)}:${parseInt(tag.slice(4, 8), 16).toString(16)}::17`;
  const url = `https://victoria-${tag}.example/blog`;
  const userAgent = `VictimBrowser/${tag}`;

  beforeAll(async () => {
    // The worker's word lists name the address (as an admin blocking a spammer would), so the first
    // decision's reasons quote it: the probe's finding. They are the worker's own, not stored settings.
    h = await startHarness({
      env: { TRUST_PROXY: '1' },
      apiSettings: { floodSeconds: 0, hourlyLimitPerIp: 0 },
      workerSettings: {
        moderationKeys: [email, email.replace('Victoria', 'Vic')].map((e) => ({ pattern: e.toLowerCase(), kind: 'substring' as const })),
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Submits as her (her address, browser and the page she came from) or, with `fromIp`, as another reader. */
  const submit = async (comment: Record<string, unknown>, fromIp?: string) => {
    const hers = { 'x-forwarded-for': ip, 'user-agent': userAgent, referer: `${url}?from=${tag}` };
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(fromIp ? { 'x-forwarded-for': fromIp } : hers) },
      body: JSON.stringify(comment),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await eventually(async () => (await h.pool.query('SELECT 1 FROM comments WHERE id = $1', [id])).rowCount);
    return id;
  };

  for (const bodies of ['keep', 'delete'] as const) {
    it(`leaves no trace of the email, name or IP in any column after erasing with bodies=${bodies}`, async () => {
      // Arrange: two comments of hers (one naming herself in the text), a reader quoting her address,
      // a moderator's spam decision (teaches the model, leaves an event) with a note naming her, an edit.
      const who = bodies === 'keep' ? email : email.replace('Victoria', 'Vic');
      const whoName = bodies === 'keep' ? name : name.replace('Victoria', 'Vic');
      const author = { authorName: whoName, authorEmail: who, authorUrl: url };
      const first = await submit(sampleComment(`erase-${tag}`, { ...author, body: `I am ${whoName}, write to me at ${who} please.` }));
      const second = await submit(sampleComment(`erase-${tag}`, author));
      const other = await submit(sampleComment(`erase-${tag}`, { body: `Someone posted from ${ip} as ${who}, it seems.` }), '203.0.113.44');
      const { api: admin } = await signedInClient(h, 'admin');
      // Spam if it was held, not spam if the filter caught it: either decision teaches the model.
      const held = (await h.pool.query('SELECT status FROM comments WHERE id = $1', [first])).rows[0].status;
      const action = held === 'spam' ? 'not-spam' : 'spam';
      expect((await admin.post(`/api/moderation/comments/${first}/${action}`, { note: `Spam from ${who} at ${ip} (${whoName})` })).status).toBe(200);
      expect((await admin.patch(`/api/moderation/comments/${second}`, { body: 'Edited by a moderator.', note: `tidied ${whoName}'s text` })).status).toBe(200);
      // Her details are really stored, in the places the probe found and more.
      expect(await findEverywhere(h.pool, who)).toEqual(expect.arrayContaining([expect.stringMatching(/^public\.moderation_events\.reasons/), expect.stringMatching(/^public\.comments\.author_email/)]));
      expect((await findEverywhere(h.pool, ip)).length).toBeGreaterThan(0);
      expect((await findEverywhere(h.pool, whoName)).length).toBeGreaterThan(0);

      // Act
      const res = await admin.post('/api/moderation/privacy/erase', { email: who.toUpperCase(), bodies, note: `request from ${who}` });
      expect(res.status).toBe(200);
      expect(res.body.comments).toBe(2);

      // Assert: every text, JSON and address column of every table, searched for each detail.
      expect(await findEverywhere(h.pool, who)).toEqual([]);
      expect(await findEverywhere(h.pool, whoName)).toEqual([]);
      expect(await findEverywhere(h.pool, ip)).toEqual([]);
      expect(await findEverywhere(h.pool, url)).toEqual([]);
      expect(await findEverywhere(h.pool, userAgent)).toEqual([]);
      // The other reader's comment stays, minus the quoted address; the trail still says who did what.
      const { rows } = await h.pool.query('SELECT body FROM comments WHERE id = $1', [other]);
      expect(rows[0].body).toBe('Someone posted from [erased] as [erased], it seems.');
      const events = await h.pool.query('SELECT to_status, actor FROM moderation_events WHERE comment_id = $1 ORDER BY id', [first]);
      expect(events.rows).toHaveLength(3);
      expect(events.rows[1].actor).toMatch(/^moderator:/);
      expect(events.rows[2].to_status).toBe(bodies === 'keep' ? events.rows[1].to_status : 'deleted');
    });
  }
});
