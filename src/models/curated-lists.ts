import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Curated spam lists, read as literal look-ups only. SmokeDetector's lists (Charcoal,
 * https://github.com/Charcoal-SE/SmokeDetector, MIT licence; snapshot and licence in
 * ../shared/data/smokedetector-lists) are regexes written for Python's `regex` module: we never run
 * them. An entry is kept only when it is a literal once `\.` is read as a dot: a whole domain
 * ("kynix\.com"), a phone number, or a phrase of plain words. Everything else is skipped and
 * counted. Hosts and numbers are Set look-ups; phrases are looked up word n-gram by word n-gram,
 * so the cost is linear in the text whatever the list holds.
 */
export interface CuratedLists {
  /** Spam sites (SmokeDetector blacklisted_websites): a link to one, or a subdomain, is strong evidence. */
  hosts: ReadonlySet<string>;
  /** Fake support numbers (blacklisted_numbers), digits only. */
  numbers: ReadonlySet<string>;
  /** Spam phrases of two to six plain words (bad_keywords), lower case, single spaces. */
  phrases: ReadonlySet<string>;
  /**
   * The first word of every phrase: a text position whose word is not one of them starts no phrase,
   * so its n-grams are never built (most words of most comments). Absent: every position is tried.
   */
  phraseStarts?: ReadonlySet<string>;
  /** Entries skipped because they are not literals, per file. */
  skipped: Readonly<Record<string, number>>;
}

export const MAX_PHRASE_WORDS = 6;
const DOMAIN = /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,5}$/;
const PHRASE = /^[a-z0-9']{2,30}(?: [a-z0-9']{1,30}){1,5}$/;

/** Lines of a list: comments (#…) and blank lines dropped; TSV lists give their third field. */
function entries(text: string, tsv: boolean): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = tsv ? (raw.split('\t')[2] ?? '') : raw;
    const entry = line.trim();
    if (entry && !entry.startsWith('#')) out.push(entry);
  }
  return out;
}

/** Parses the three SmokeDetector list files' texts. */
export function parseCuratedLists(files: { websites: string; numbers: string; keywords: string }): CuratedLists {
  const hosts = new Set<string>();
  const numbers = new Set<string>();
  const phrases = new Set<string>();
  const skipped = { websites: 0, numbers: 0, keywords: 0 };
  for (const entry of entries(files.websites, false)) {
    const literal = entry.toLowerCase().replace(/\\\./g, '.');
    if (DOMAIN.test(literal)) hosts.add(literal);
    else skipped.websites += 1;
  }
  for (const entry of entries(files.numbers, false)) {
    const digits = entry.replace(/\D/g, '');
    if (digits.length >= 9 && digits.length <= 15) numbers.add(digits);
    else skipped.numbers += 1;
  }
  for (const entry of entries(files.keywords, false)) {
    const literal = entry.toLowerCase().replace(/\\s\+?|\\ /g, ' ').replace(/ +/g, ' ').trim();
    if (PHRASE.test(literal)) phrases.add(literal);
    else skipped.keywords += 1;
  }
  const phraseStarts = new Set([...phrases].map((p) => p.slice(0, p.indexOf(' '))));
  return { hosts, numbers, phrases, phraseStarts, skipped };
}

/** The shared data folder's SmokeDetector lists, or null when they are not there. */
export function loadCuratedLists(dataDir: string): CuratedLists | null {
  const dir = join(resolve(process.cwd(), dataDir), 'smokedetector-lists');
  const file = (name: string) => join(dir, name);
  if (!existsSync(file('blacklisted_websites.txt'))) return null;
  return parseCuratedLists({
    websites: readFileSync(file('blacklisted_websites.txt'), 'utf8'),
    numbers: readFileSync(file('blacklisted_numbers.txt'), 'utf8'),
    keywords: readFileSync(file('bad_keywords.txt'), 'utf8'),
  });
}

/** The listed site a host belongs to (the host or a parent domain), or null. */
export function listedHost(lists: CuratedLists, rawHost: string): string | null {
  const host = rawHost.toLowerCase().replace(/\.$/, '');
  for (let at = 0; at >= 0 && at < host.length; at = host.indexOf('.', at) + 1 || -1) {
    const candidate = host.slice(at);
    if (!candidate.includes('.')) return null;
    if (lists.hosts.has(candidate)) return candidate;
  }
  return null;
}

/** The first listed phrase in lower-case words `words`, or null (n-grams of 2..MAX_PHRASE_WORDS). */
export function listedPhrase(lists: CuratedLists, words: readonly string[]): string | null {
  const starts = lists.phraseStarts;
  for (let i = 0; i < words.length; i += 1) {
    if (starts && !starts.has(words[i])) continue;
    let gram = words[i] ?? '';
    for (let n = 2; n <= MAX_PHRASE_WORDS && i + n <= words.length; n += 1) {
      gram += ` ${words[i + n - 1]}`;
      if (lists.phrases.has(gram)) return gram;
    }
  }
  return null;
}

/**
 * The lists of `dataDir`, read on first use and kept (null → undefined when they are not there):
 * for a process that needs them rarely, such as the API's rule tester.
 */
export function lazyCuratedLists(dataDir: string, onLoad?: (lists: CuratedLists | null) => void): () => CuratedLists | undefined {
  let lists: CuratedLists | null | undefined;
  return () => {
    if (lists === undefined) {
      lists = loadCuratedLists(dataDir);
      onLoad?.(lists);
    }
    return lists ?? undefined;
  };
}
