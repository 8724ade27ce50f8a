import { DEFAULT_FIXTURES_DIR } from '../../../scripts/lib/shared-data';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { readExportFully } from '../../../src/import-export/read-export';
import type { ParsedComment } from '../../../src/import-export/types';
import { writeWxr } from '../../../bench/lib/generate-export';

/**
 * The commands as users run them (scripts/import.ts, scripts/export.ts through tsx), each against a
 * database of this file's own (created here, migrated by the import command itself, dropped at the
 * end): an export re-imported must change nothing, and memory must not grow with the file.
 */
const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(DEFAULT_FIXTURES_DIR, 'wordpress');
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

let dir: string;
const databases: string[] = [];

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.href;
}

/** A new, empty database name (the import command creates and migrates it). */
function newDatabase(): string {
  const name = `${process.env.TEST_DATABASE_NAME ?? 'test'}_io_${randomBytes(3).toString('hex')}`;
  databases.push(name);
  return databaseUrl(name);
}

function run(script: 'import' | 'export', args: string[], dbUrl: string, nodeFlags: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(ROOT, `scripts/${script}.ts`), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', MIGRATE_ON_START: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function importJson(file: string, dbUrl: string, extra: string[] = [], nodeFlags: string[] = [], source = 'wordpress') {
  const r = await run('import', [source, file, '--no-teach', '--json', ...extra], dbUrl, nodeFlags);
  if (r.code !== 0) throw new Error(`import exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function exportTo(format: 'wordpress' | 'json', file: string, dbUrl: string): Promise<string> {
  const r = await run('export', [format, file], dbUrl);
  if (r.code !== 0) throw new Error(`export exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'import-export-'));
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

const withoutExportTime = (file: string) => {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  delete doc.exportedAt;
  return doc;
};

describe('import → export → import', () => {
  it('changes nothing: the same database stores nothing new, and a fresh one ends up identical', async () => {
    const first = newDatabase();
    const theme = path.join(FIXTURES, 'wpimporter-theme-unit-test-data.xml');
    const isso = path.join(FIXTURES, 'isso-wordpress.xml');
    const disqus = path.join(FIXTURES, '../disqus/isso-disqus.xml');
    expect((await importJson(theme, first)).imported).toBe(33);
    expect((await importJson(isso, first)).imported).toBe(8);
    expect((await importJson(disqus, first, [], [], 'disqus')).imported).toBe(6);

    const wxr = path.join(dir, 'export.xml');
    expect(await exportTo('wordpress', wxr, first)).toMatch(/exported 47 comments/);
    const json1 = path.join(dir, 'first.json');
    await exportTo('json', json1, first);

    // The same database: nothing new, whatever the comments' origin.
    expect(await importJson(wxr, first)).toMatchObject({ read: 47, imported: 0, skipped: 47 });

    // A fresh database fed the export holds the same comments, ids, threads and statuses included;
    // those that came from WordPress are the same in every field, their origin too.
    const second = newDatabase();
    expect(await importJson(wxr, second)).toMatchObject({ read: 47, imported: 47, orphanReplies: 0 });
    const json2 = path.join(dir, 'second.json');
    await exportTo('json', json2, second);
    const [a, b] = [withoutExportTime(json1).comments, withoutExportTime(json2).comments];
    expect(a).toHaveLength(47);
    const own = ({ source: _s, originId: _o, articleKey: _k, articleTitle: _t, parentOriginId: _p, ...rest }: Record<string, unknown>) => rest;
    expect(b.map(own)).toEqual(a.map(own));
    const fromWordPress = a.filter((c: { source: string }) => c.source === 'wordpress');
    const ids = new Set(fromWordPress.map((c: { id: string }) => c.id));
    expect(fromWordPress).toHaveLength(41);
    expect(b.filter((c: { id: string }) => ids.has(c.id))).toEqual(fromWordPress);

    // And the exported file says, field by field, what the original WordPress files said.
    const original = [...(await readExportFully('wordpress', theme)).comments, ...(await readExportFully('wordpress', isso)).comments];
    const exported = (await readExportFully('wordpress', wxr)).comments.filter((c) => !c.articleKey?.startsWith('http://example.org') && !c.articleKey?.startsWith('disqus-') && !c.articleKey?.startsWith('http://localhost:4000'));
    const sortKey = (c: ParsedComment) => `${c.articleKey}\u0000${c.originId.padStart(12, '0')}`;
    const ordered = (list: ParsedComment[]) =>
      list.map((c) => ({ ...c, threadId: undefined, serviceId: undefined, serviceParentId: undefined })).sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
    expect(ordered(exported)).toEqual(ordered(original));
  }, 300_000);
});

describe('memory', () => {
  it('stays flat: a file 15 times larger needs about the same peak memory', async () => {
    const small = path.join(dir, 'small.xml');
    const large = path.join(dir, 'large.xml');
    const smallBytes = await writeWxr(small, { comments: 1000, bodyChars: 900 });
    const largeBytes = await writeWxr(large, { comments: 15000, bodyChars: 900 });
    expect(largeBytes).toBeGreaterThan(14 * smallBytes);
    const db = newDatabase();
    // The heap cap `npm run import` sets: the import must fit in it whatever the file's size.
    const flags = ['--max-old-space-size=96'];
    // First a tiny file, so neither measured run carries the migrations' own memory.
    await importJson(path.join(FIXTURES, 'wpimporter-slashes.xml'), db, [], flags);
    const a = await importJson(small, db, ['--site', 'small'], flags);
    const b = await importJson(large, db, ['--site', 'large'], flags);
    expect(a.imported).toBe(1000);
    expect(b.imported).toBe(15000);
    expect(b.peakRssMb).toBeLessThan(a.peakRssMb + 40);
  }, 300_000);
});
