import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eraseByEmail } from '../../../src/db/privacy-repository';
import { createPool, type Pool } from '../../../src/db/pool';
import { parseArticleRule } from '../../../src/import-export/article-id';
import { importComments } from '../../../src/import-export/import-comments';
import { teachImported } from '../../../src/import-export/teach-imported';
import { ImportFileError } from '../../../src/import-export/types';
import { erasureScrubber } from '../../../src/moderation/erase-identity';
import { spamModelStore } from '../../../src/models/model-store';
import { loadSharedClassifier } from '../../../src/models/shared-model';
import { writeWxr } from '../../../bench/lib/generate-export';
import { silentLog, testConfig } from '../../helpers/env';

let pool: Pool;
let dir: string;
const rule = parseArticleRule('{key}');

beforeAll(() => {
  pool = createPool(testConfig().DATABASE_URL, 3, silentLog);
  dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

interface WpComment {
  id: number;
  parent?: number;
  approved: string;
  body?: string;
  email?: string;
  ip?: string;
  type?: string;
}

/** A small WXR file (one post per guid) written for one test. */
function wxr(posts: { guid: string; comments: WpComment[] }[]): string {
  const file = path.join(dir, `${randomUUID()}.xml`);
  const items = posts.map(
    (p) => `<item><title>T ${p.guid}</title><link>${p.guid}</link><guid>${p.guid}</guid><wp:post_id>1</wp:post_id>
${p.comments
  .map(
    (c) => `<wp:comment><wp:comment_id>${c.id}</wp:comment_id><wp:comment_author>A ${c.id}</wp:comment_author>
<wp:comment_author_email>${c.email ?? `a${c.id}@example.org`}</wp:comment_author_email><wp:comment_author_IP>${c.ip ?? '198.51.100.7'}</wp:comment_author_IP>
<wp:comment_date_gmt>2021-05-0${1 + (c.id % 8)} 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[${c.body ?? `body ${c.id}`}]]></wp:comment_content>
<wp:comment_approved>${c.approved}</wp:comment_approved><wp:comment_type>${c.type ?? ''}</wp:comment_type><wp:comment_parent>${c.parent ?? 0}</wp:comment_parent></wp:comment>`,
  )
  .join('\n')}</item>`,
  );
  writeFileSync(file, `<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n${items.join('\n')}\n</channel></rss>\n`);
  return file;
}

async function rows(site: string) {
  const { rows: list } = await pool.query(
    `SELECT c.id, c.status, c.parent_id, c.article_id, c.author_email, host(c.ip) AS ip, c.body, o.origin_id, o.comment_type
     FROM comments c JOIN comment_origins o ON o.comment_id = c.id WHERE o.site = $1 ORDER BY o.origin_id::int`,
    [site],
  );
  return list;
}

describe('importing WordPress statuses and threads', () => {
  it('maps 1, 0, spam, trash, post-trashed and unknown values, in any case, and unknown types to comments', async () => {
    const site = `test-${randomUUID()}`;
    const guid = `https://news.example.org/${site}/`;
    const file = wxr([
      {
        guid,
        comments: [
          { id: 1, approved: '1' },
          { id: 2, approved: '0' },
          { id: 3, approved: 'SPAM' },
          { id: 4, approved: 'trash' },
          { id: 5, approved: 'post-trashed' },
          { id: 6, approved: 'held-for-review', type: 'pingback' },
          { id: 7, approved: '1', type: 'webmention' },
        ],
      },
    ]);
    const summary = await importComments(pool, { source: 'wordpress', file, articleRule: rule, site });
    expect(summary.byStatus.imported).toEqual({ approved: 2, pending: 2, spam: 1, trash: 2 });
    expect(summary.byType).toEqual({ comment: 6, pingback: 1, trackback: 0 });
    expect(summary.notes.join('\n')).toMatch(/post-trashed/);
    const stored = await rows(site);
    expect(stored.map((r) => [r.origin_id, r.status, r.comment_type])).toEqual([
      ['1', 'approved', 'comment'],
      ['2', 'pending', 'comment'],
      ['3', 'spam', 'comment'],
      ['4', 'trash', 'comment'],
      ['5', 'trash', 'comment'],
      ['6', 'pending', 'pingback'],
      ['7', 'approved', 'comment'],
    ]);
  });

  it('links a reply that comes before its parent, keeps ids apart per post, and detaches replies to missing parents', async () => {
    const site = `test-${randomUUID()}`;
    const a = `https://news.example.org/${site}/a`;
    const b = `https://news.example.org/${site}/b`;
    const file = wxr([
      { guid: a, comments: [{ id: 12, parent: 11, approved: '1' }, { id: 11, approved: '1' }, { id: 13, parent: 99, approved: '1' }] },
      { guid: b, comments: [{ id: 11, approved: '0' }, { id: 14, parent: 11, approved: '1' }] },
    ]);
    const summary = await importComments(pool, { source: 'wordpress', file, articleRule: parseArticleRule('x-{slug}'), site });
    expect(summary).toMatchObject({ read: 5, imported: 5, orphanReplies: 1 });
    const stored = await rows(site);
    const find = (article: string, id: string) => stored.find((r) => r.article_id === article && r.origin_id === id);
    expect(find('x-a', '12')!.parent_id).toBe(find('x-a', '11')!.id);
    expect(find('x-b', '14')!.parent_id).toBe(find('x-b', '11')!.id);
    expect(find('x-a', '11')!.id).not.toBe(find('x-b', '11')!.id);
    expect(find('x-a', '13')!.parent_id).toBeNull();
  });

  it('stores nothing when the file breaks after thousands of good comments (a truncated export)', async () => {
    const site = `test-${randomUUID()}`;
    const file = path.join(dir, 'truncated.xml');
    // About 2,600 comments' worth, cut mid-element: several batches are stored before the error.
    await writeWxr(file, { comments: 5000, perPost: 40, bodyChars: 300, truncateAt: 2_000_000 });
    const err = await importComments(pool, { source: 'wordpress', file, articleRule: rule, site }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).line).toBeGreaterThan(20_000);
    expect((err as Error).message).toContain(`line ${(err as ImportFileError).line}`);
    expect(await rows(site)).toHaveLength(0);
  });

  it('refuses a DOCTYPE (no entity expansion) and a file of the other format', async () => {
    const site = `test-${randomUUID()}`;
    const doctype = path.join(dir, 'doctype.xml');
    writeFileSync(doctype, '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss><channel></channel></rss>\n');
    await expect(importComments(pool, { source: 'wordpress', file: doctype, articleRule: rule, site })).rejects.toThrow(/DOCTYPE/);
    const wp = wxr([{ guid: 'https://news.example.org/other', comments: [{ id: 1, approved: '1' }] }]);
    await expect(importComments(pool, { source: 'disqus', file: wp, articleRule: rule, site })).rejects.toThrow(/line 2.*not a Disqus export/);
  });
});

describe('importing Disqus', () => {
  it('maps isSpam (over isDeleted) and isDeleted, and places posts read before their thread', async () => {
    const site = `test-${randomUUID()}`;
    const file = path.join(dir, 'disqus.xml');
    const post = (id: number, spam: string, deleted: string, parent?: number) =>
      `<post dsq:id="${id}"><id/><message><![CDATA[m ${id}]]></message><createdAt>2020-02-02T10:00:0${id % 10}Z</createdAt>
<isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam><author><email>d${id}@example.org</email><name>D ${id}</name></author>
<ipAddress>not-an-ip</ipAddress><thread dsq:id="t1"/>${parent ? `<parent dsq:id="${parent}"/>` : ''}</post>`;
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
${post(1, 'true', 'true')}
${post(2, 'false', 'true')}
${post(3, 'False', 'false', 2)}
${post(4, 'TRUE', 'false')}
<thread dsq:id="t1"><link>https://news.example.org/${site}/late</link><title>Late</title></thread>
</disqus>\n`,
    );
    const summary = await importComments(pool, { source: 'disqus', file, articleRule: parseArticleRule('{slug}'), site });
    expect(summary).toMatchObject({ imported: 4, withoutArticle: 0, droppedIps: 4 });
    const stored = await pool.query(
      `SELECT o.origin_id, c.status, c.article_id, o.article_key, o.article_title, c.ip, c.parent_id, (SELECT id FROM comments p WHERE p.id = c.parent_id) AS parent
       FROM comments c JOIN comment_origins o ON o.comment_id = c.id WHERE o.site = $1 ORDER BY o.origin_id`,
      [site],
    );
    expect(stored.rows.map((r) => [r.origin_id, r.status, r.article_id, r.article_title, r.ip])).toEqual([
      ['1', 'spam', 'late', 'Late', null],
      ['2', 'trash', 'late', 'Late', null],
      ['3', 'approved', 'late', 'Late', null],
      ['4', 'spam', 'late', 'Late', null],
    ]);
    expect(stored.rows[2].parent).not.toBeNull();
  });
});

describe('imported personal data', () => {
  it('is reached by erasure, and re-running the import does not bring an erased comment back', async () => {
    const site = `test-${randomUUID()}`;
    const email = `erase-${randomUUID()}@example.org`;
    const file = wxr([
      {
        guid: `https://news.example.org/${site}/`,
        comments: [
          { id: 1, approved: '1', email, ip: '192.0.2.44', body: 'kept text' },
          { id: 2, approved: '1', email, ip: '192.0.2.44', body: 'also kept' },
        ],
      },
    ]);
    await importComments(pool, { source: 'wordpress', file, articleRule: rule, site });
    await eraseByEmail(pool, email, 'keep', { actor: 'test' }, erasureScrubber);
    const kept = await rows(site);
    expect(kept.map((r) => [r.author_email, r.ip])).toEqual([
      ['', null],
      ['', null],
    ]);
    // The origin rows hold nothing personal: nothing of the author is left anywhere for this site.
    const origins = await pool.query('SELECT row_to_json(o)::text AS row FROM comment_origins o WHERE site = $1', [site]);
    for (const r of origins.rows) expect(r.row).not.toMatch(/erase-|192\.0\.2\.44/);

    const again = await importComments(pool, { source: 'wordpress', file, articleRule: rule, site });
    expect(again.imported).toBe(0);
    expect((await rows(site)).map((r) => r.author_email)).toEqual(['', '']);

    const site2 = `test-${randomUUID()}`;
    const email2 = `erase-${randomUUID()}@example.org`;
    const file2 = wxr([{ guid: `https://news.example.org/${site2}/`, comments: [{ id: 1, approved: '1', email: email2 }] }]);
    await importComments(pool, { source: 'wordpress', file: file2, articleRule: rule, site: site2 });
    await eraseByEmail(pool, email2, 'delete', { actor: 'test' }, erasureScrubber);
    expect(await rows(site2)).toHaveLength(0);
    const rerun = await importComments(pool, { source: 'wordpress', file: file2, articleRule: rule, site: site2 });
    expect(rerun).toMatchObject({ imported: 0, skipped: 1 });
    expect(await rows(site2)).toHaveLength(0);
  });
});

describe('--teach', () => {
  it('teaches approved comments as ham and spam as spam, keyed like moderators’ decisions, once', async () => {
    const site = `test-${randomUUID()}`;
    // Words no other test uses, so these lessons cannot move another test's comments (and they are taken back below).
    const file = wxr([
      {
        guid: `https://news.example.org/${site}/`,
        comments: [
          { id: 1, approved: '1', body: 'zorblat quinnifer harbour meeting notes' },
          { id: 2, approved: 'spam', body: 'zorblat quinnifer cheap pills' },
          { id: 3, approved: '0', body: 'zorblat pending thing' },
          { id: 4, approved: 'trash', body: 'zorblat trashed thing' },
        ],
      },
    ]);
    await importComments(pool, { source: 'wordpress', file, articleRule: rule, site });
    const stored = await rows(site);
    const keys = stored.map((r) => `review:${r.id}`);
    // The model a process loads (seeded from the shipped model when none is stored), as the import command does.
    const shared = await loadSharedClassifier(pool, silentLog, 0);
    if (!shared) throw new Error('no spam model: the shipped model should seed one');
    const teach = (input: Parameters<typeof shared.learn>[0], label: 'spam' | 'ham', opts: { key: string }) => shared.learn(input, label, opts);
    const before = await pool.query('SELECT version FROM spam_model');
    try {
      const taught = await teachImported(pool, 'wordpress', site, teach, 100_000);
      expect(taught).toEqual({ ham: 1, spam: 1 });
      const lessons = await pool.query('SELECT key, label FROM spam_model_lessons WHERE key = ANY($1) ORDER BY key', [keys]);
      const byKey = Object.fromEntries(lessons.rows.map((l) => [l.key, l.label]));
      expect(stored.map((r) => [r.status, byKey[`review:${r.id}`] ?? null])).toEqual([
        ['approved', 'ham'],
        ['spam', 'spam'],
        ['pending', null],
        ['trash', null],
      ]);
      expect(Number((await pool.query('SELECT version FROM spam_model')).rows[0].version)).toBeGreaterThan(Number(before.rows[0].version));
      expect(await teachImported(pool, 'wordpress', site, teach, 100_000)).toEqual({ ham: 0, spam: 0 });
    } finally {
      for (const key of keys) await spamModelStore.forget(pool, key);
      shared.close();
    }
  });
});
