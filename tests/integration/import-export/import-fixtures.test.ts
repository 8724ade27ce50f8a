import { DEFAULT_FIXTURES_DIR } from '../../../scripts/lib/shared-data';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createPool, type Pool } from '../../../src/db/pool';
import { DEFAULT_ARTICLE_RULE, parseArticleRule } from '../../../src/import-export/article-id';
import { importComments } from '../../../src/import-export/import-comments';
import { ImportFileError, type ImportSource } from '../../../src/import-export/types';
import { silentLog, testConfig } from '../../helpers/env';

/** The shared fixtures (../shared/fixtures/README.md): listed and read in place, never copied. */
const FIXTURES = DEFAULT_FIXTURES_DIR;

function fixtures(source: ImportSource) {
  const dir = path.join(FIXTURES, source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ name: f, file: path.join(dir, f), expected: JSON.parse(readFileSync(path.join(dir, f.replace(/\.xml$/, '.expected.json')), 'utf8')) }));
}

interface StoredRow {
  id: string;
  article_id: string;
  parent_id: string | null;
  author_name: string;
  author_email: string;
  author_url: string | null;
  ip: string | null;
  body: string;
  status: string;
  submitted_at: Date;
  origin_id: string;
  article_key: string | null;
  article_title: string | null;
  comment_type: string;
  parent_origin_id: string | null;
  events: { actor: string; to_status: string }[];
}

let pool: Pool;
const rule = parseArticleRule(DEFAULT_ARTICLE_RULE);

beforeAll(() => {
  pool = createPool(testConfig().DATABASE_URL, 3, silentLog);
});
afterAll(async () => {
  await pool.end();
});

/** Every comment imported under `site` (each test imports under a site of its own: the database is shared). */
async function stored(source: ImportSource, site: string): Promise<StoredRow[]> {
  const { rows } = await pool.query<StoredRow>(
    `SELECT c.id, c.article_id, c.parent_id, c.author_name, c.author_email, c.author_url, host(c.ip) AS ip, c.body, c.status,
            c.submitted_at, o.origin_id, o.article_key, o.article_title, o.comment_type, o.parent_origin_id,
            (SELECT json_agg(json_build_object('actor', e.actor, 'to_status', e.to_status)) FROM moderation_events e WHERE e.comment_id = c.id) AS events
     FROM comments c JOIN comment_origins o ON o.comment_id = c.id WHERE o.source = $1 AND o.site = $2`,
    [source, site],
  );
  return rows;
}

describe.each(['wordpress', 'disqus'] as const)('npm run import -- %s', (source) => {
  const files = fixtures(source);

  it.each(files.filter((f) => !f.expected.error).map((f) => [f.name, f] as const))(
    '%s: every comment stored as its expected.json says, threads and all; a re-run stores nothing',
    async (_name, { file, expected }) => {
      const site = `test-${randomUUID()}`;
      const summary = await importComments(pool, { source, file, articleRule: rule, site });
      expect(summary.read).toBe(expected.counts.total);
      expect(summary.imported).toBe(expected.counts.total);
      for (const status of ['approved', 'pending', 'spam', 'trash'] as const) expect(summary.byStatus.imported[status]).toBe(expected.counts[status]);

      const rows = await stored(source, site);
      expect(rows).toHaveLength(expected.counts.total);
      const byOrigin = new Map(rows.map((r) => [`${r.article_key}\u0000${r.origin_id}`, r]));
      for (const want of expected.comments) {
        const got = byOrigin.get(`${want.articleKey}\u0000${want.originId}`);
        expect(got).toBeDefined();
        const parent = want.parentOriginId === null ? null : byOrigin.get(`${source === 'wordpress' ? want.articleKey : [...byOrigin.values()].find((r) => r.origin_id === want.parentOriginId)?.article_key}\u0000${want.parentOriginId}`);
        expect({
          articleTitle: got!.article_title,
          parentOriginId: got!.parent_origin_id,
          parentStored: got!.parent_id,
          authorName: got!.author_name,
          authorEmail: got!.author_email || null,
          authorUrl: got!.author_url,
          authorIp: got!.ip,
          createdAtGmt: `${got!.submitted_at.toISOString().slice(0, 19)}Z`,
          body: got!.body,
          status: got!.status,
          type: got!.comment_type,
        }).toEqual({
          articleTitle: want.articleTitle,
          parentOriginId: want.parentOriginId,
          parentStored: parent ? parent.id : null,
          authorName: want.authorName,
          authorEmail: want.authorEmail,
          authorUrl: want.authorUrl,
          authorIp: want.authorIp,
          createdAtGmt: want.createdAtGmt,
          body: want.body,
          status: want.status,
          type: want.type,
        });
        // Stored as decided, by the import: one first event, no queue.
        expect(got!.events).toEqual([{ actor: `import:${source}`, to_status: want.status }]);
        expect(got!.article_id).toEqual(want.articleKey ?? expect.stringMatching(/^disqus-thread-|^wordpress-post:/));
      }

      const again = await importComments(pool, { source, file, articleRule: rule, site });
      expect(again).toMatchObject({ read: expected.counts.total, imported: 0, skipped: expected.counts.total });
      expect(await stored(source, site)).toHaveLength(expected.counts.total);
    },
  );

  it.each(files.filter((f) => f.expected.error).map((f) => [f.name, f] as const))('%s is refused with its line, and nothing is stored', async (_name, { file, expected }) => {
    const site = `test-${randomUUID()}`;
    const err = await importComments(pool, { source, file, articleRule: rule, site }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).message).toMatch(new RegExp(`line ${(err as ImportFileError).line}\\b`));
    expect((err as ImportFileError).line).toBeGreaterThanOrEqual(expected.errorLine);
    expect(await stored(source, site)).toHaveLength(0);
  });
});
