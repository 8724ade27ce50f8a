import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** One labelled comment of the YouTube Spam Collection, with CONTENT cleaned to plain text. */
export interface LabelledComment {
  id: string;
  author: string;
  date: string;
  /** Plain text: HTML tags removed, entities decoded, U+FEFF stripped. */
  content: string;
  label: 'spam' | 'ham';
  /** The file the row came from (basename), so evaluations can group by video. */
  source: string;
  /** Columns beyond the five (scamspot's ACCOUNT, POST), by upper-cased name. */
  extra?: Record<string, string>;
}

const COLUMNS = ['COMMENT_ID', 'AUTHOR', 'DATE', 'CONTENT', 'CLASS'] as const;

/**
 * Reads a file in the YouTube Spam Collection format (`COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS`).
 * Uses a real RFC 4180 parser because CONTENT holds quoted newlines and doubled quotes; a line
 * split would cut comments in half. Columns are found by name and extra columns are ignored
 * (scamspot adds ACCOUNT and POST, kept in `extra`).
 */
export function loadYoutubeCsv(path: string): LabelledComment[] {
  return parseYoutubeCsv(readFileSync(path, 'utf8'), path.split(/[\\/]/).pop() ?? path);
}

/** Parses the CSV text itself; `source` names it in errors and in the rows. */
export function parseYoutubeCsv(text: string, source: string): LabelledComment[] {
  const records = parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  const names = (header ?? []).map((h) => h.trim().toUpperCase());
  const at = COLUMNS.map((name) => names.indexOf(name));
  if (!header || at.some((i) => i < 0)) {
    throw new Error(`${source}: expected columns ${COLUMNS.join(',')}, got ${header?.join(',') ?? 'nothing'}`);
  }
  const extraAt = names.map((name, i) => [name, i] as const).filter(([name]) => !(COLUMNS as readonly string[]).includes(name));
  return rows.map((row, i) => {
    const [id = '', author = '', date = '', content = '', cls = ''] = at.map((j) => row[j] ?? '');
    const label = cls.trim() === '1' ? 'spam' : cls.trim() === '0' ? 'ham' : null;
    // Row numbers are 1-based and count the header, as a spreadsheet shows them.
    if (!label) throw new Error(`${source}: row ${i + 2}: CLASS must be 0 or 1, got ${JSON.stringify(cls)}`);
    const extra = Object.fromEntries(extraAt.map(([name, j]) => [name, row[j] ?? '']));
    return { id, author: cleanContent(author), date, content: cleanContent(content), label, source, extra };
  });
}

/**
 * Turns the scraped CONTENT into what a commenter typed: `<br />` becomes a newline, a link keeps
 * its address (spam lives in the address), other tags go, entities are decoded, and the invisible
 * U+FEFF that ends most values is dropped.
 */
export function cleanContent(raw: string): string {
  const text = raw
    .replace(/\uFEFF/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<a\b[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a>/gi, (_m, _q: string, href: string, inner: string) =>
      linkText(href, inner),
    )
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '');
  return decodeEntities(text).trim();
}

/** A link's visible text, plus its address when the text does not already show it. */
function linkText(href: string, inner: string): string {
  const visible = inner.replace(/<[^>]*>/g, '').trim();
  const address = decodeEntities(href).trim();
  if (!visible) return address;
  return visible.includes(address.replace(/^https?:\/\//i, '')) ? visible : `${visible} ${address}`;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes numeric entities and the few named ones the scraper emitted; unknown names stay as typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}
