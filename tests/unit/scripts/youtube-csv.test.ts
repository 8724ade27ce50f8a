import { resolve } from 'node:path';
import { cleanContent, decodeEntities, loadYoutubeCsv, parseYoutubeCsv } from '../../../scripts/lib/youtube-csv';

describe('loadYoutubeCsv', () => {
  const rows = loadYoutubeCsv(resolve(process.cwd(), 'tests/fixtures/youtube-quirks.csv'));
  const content = (id: string) => rows.find((r) => r.id === id)?.content;

  it('reads every record despite a BOM, CRLF endings and newlines inside quotes', () => {
    expect(rows.map((r) => r.id)).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7']);
    expect(rows.map((r) => r.label)).toEqual(['spam', 'ham', 'ham', 'spam', 'spam', 'ham', 'ham']);
    expect(rows[0]?.source).toBe('youtube-quirks.csv');
  });

  it('keeps quoted commas, newlines and doubled quotes in a field', () => {
    expect(rows[2]?.author).toBe('Smith, Anna');
    expect(content('id-3')).toBe('line one\nline two with "quotes"');
  });

  it('strips the trailing U+FEFF', () => {
    expect(content('id-2')).toBe('i just wanted to check the  views...');
  });

  it('turns <br /> into newlines and decodes entities', () => {
    expect(content('id-4')).toBe('Subscribe\n\nnow & win "free" stuff, don\'t wait <3');
  });

  it('keeps a link address once when the anchor text already shows it', () => {
    expect(content('id-5')).toBe('http://www.example.com/promo great deal');
  });

  it('keeps a link address after anchor text that does not show it', () => {
    expect(content('id-6')).toBe('2:19 http://www.youtube.com/watch?v=abc&t=2m19s best part');
  });

  it('drops other tags, decodes hex entities and leaves unknown entities as typed', () => {
    expect(content('id-7')).toBe('so good 😀 &unknown; done');
  });
});

describe('parseYoutubeCsv', () => {
  it('rejects a file without the five columns', () => {
    expect(() => parseYoutubeCsv('ID,TEXT\n1,hello\n', 'other.csv')).toThrow(/expected columns COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS/);
  });

  it('finds the columns by name and ignores extra ones (scamspot adds ACCOUNT and POST)', () => {
    const rows = parseYoutubeCsv('CLASS,ACCOUNT,CONTENT,COMMENT_ID,AUTHOR,DATE\n1,wsj,dm me on telegram,s1,Reader 1,\n', 'extra.csv');
    expect(rows).toEqual([expect.objectContaining({ id: 's1', author: 'Reader 1', content: 'dm me on telegram', label: 'spam', extra: { ACCOUNT: 'wsj' } })]);
  });

  it('reads a stray quote inside an unquoted field as a character, as spreadsheets do', () => {
    // An author typed `Jose "Pepe" Diaz` without the field being quoted: strict RFC 4180 refuses it.
    const rows = parseYoutubeCsv('COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\nz1,Jose "Pepe" Diaz,2015-01-01,"hi, all",0\n', 'stray.csv');
    expect(rows).toEqual([expect.objectContaining({ id: 'z1', author: 'Jose "Pepe" Diaz', content: 'hi, all', label: 'ham' })]);
  });

  it('names the row of an invalid CLASS', () => {
    expect(() => parseYoutubeCsv('COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\na,b,c,d,1\na,b,c,d,yes\n', 'bad.csv')).toThrow('bad.csv: row 3: CLASS must be 0 or 1, got "yes"');
  });
});

describe('cleanContent', () => {
  it('does not decode twice (&amp;lt; stays &lt;)', () => {
    expect(cleanContent('a &amp;lt; b')).toBe('a &lt; b');
  });

  it('keeps a lone "<" that is not a tag', () => {
    expect(cleanContent('I <3 this & a < b')).toBe('I <3 this & a < b');
  });
});

describe('decodeEntities', () => {
  it('decodes decimal, hex and the named entities the scraper used', () => {
    expect(decodeEntities('&#39;&#x27;&quot;&amp;&lt;&gt;&nbsp;')).toBe('\'\'"&<>\u00a0');
  });
});
