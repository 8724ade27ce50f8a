import { DEFAULT_FIXTURES_DIR } from '../../../scripts/lib/shared-data';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readExportFully } from '../../../src/import-export/read-export';
import { ImportFileError, type ImportSource } from '../../../src/import-export/types';

/** The shared fixtures (../shared/fixtures/README.md): read in place, never copied. */
export const FIXTURES = DEFAULT_FIXTURES_DIR;

function fixtures(source: ImportSource): { name: string; file: string; expected: Record<string, any> }[] {
  const dir = path.join(FIXTURES, source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ name: f, file: path.join(dir, f), expected: JSON.parse(readFileSync(path.join(dir, f.replace(/\.xml$/, '.expected.json')), 'utf8')) }));
}

const FIELDS = ['originId', 'articleKey', 'articleTitle', 'parentOriginId', 'authorName', 'authorEmail', 'authorUrl', 'authorIp', 'createdAtGmt', 'body', 'status', 'type'] as const;

describe.each(['wordpress', 'disqus'] as const)('reading %s exports', (source) => {
  const files = fixtures(source);
  it('finds fixtures to read', () => {
    expect(files.length).toBeGreaterThan(1);
  });
  it.each(files.map((f) => [f.name, f] as const))('%s reads as its expected.json says', async (_name, { file, expected }) => {
    if (expected.error) {
      const err = await readExportFully(source, file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ImportFileError);
      const e = err as ImportFileError;
      expect(e.message).toContain(`line ${e.line}`);
      // expat's position is a hint: another parser may notice the damage a little later.
      expect(e.line).toBeGreaterThanOrEqual(expected.errorLine);
      expect(e.line).toBeLessThanOrEqual(expected.errorLine + 40);
      return;
    }
    const { comments } = await readExportFully(source, file);
    const got = comments.map((c) => Object.fromEntries(FIELDS.map((k) => [k, c[k]])));
    const want = (expected.comments as Record<string, unknown>[]).map((c) => Object.fromEntries(FIELDS.map((k) => [k, c[k]])));
    expect(got).toEqual(want);
    const counts = { total: comments.length, approved: 0, pending: 0, spam: 0, trash: 0 };
    for (const c of comments) counts[c.status] += 1;
    expect(counts).toEqual(expected.counts);
  });
});
