import { visibleText } from './normalize';

/** One link found in a text. Kinds overlap in markup (`<a href="https://…">`), and count once. */
export interface FoundLink {
  kind: 'url' | 'www' | 'html' | 'bbcode';
  text: string;
  start: number;
  end: number;
}

const PATTERNS: [FoundLink['kind'], RegExp][] = [
  ['url', /\bhttps?:\/\/[^\s<>"'[\]]+/gi],
  // A bare www. host, not the one inside an http(s) URL or an email address.
  ['www', /(?<![\w.\/@-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'[\]]*/gi],
  ['html', /<a\s[^>]*\bhref\s*=[^>]*>/gi],
  ['bbcode', /\[(?:url|link)(?:=[^\]]*)?\][\s\S]*?\[\/(?:url|link)\]/gi],
];

/**
 * The links of a comment body: http(s) URLs, bare `www.` hosts, HTML `<a href>` and BBCode
 * `[url]`/`[link]`, each link counted once however it is marked up. Full-width or zero-width-split
 * URLs count too (the text is made visible first: see `visibleText`).
 */
export function findLinks(body: string): readonly FoundLink[] {
  return findLinksIn(visibleText(body));
}

/** The last text scanned: the links and content checks both scan each body. */
let memo: { text: string; links: readonly FoundLink[] } | null = null;

/**
 * As `findLinks`, on a text already passed through `visibleText`; positions are in that text.
 * The answer is shared: do not change it.
 */
export function findLinksIn(text: string): readonly FoundLink[] {
  if (memo?.text === text) return memo.links;
  const links = scan(text);
  memo = { text, links };
  return links;
}

function scan(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const [kind, re] of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) found.push({ kind, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  if (found.length < 2) return found;
  // Markup first at equal starts, then merge overlaps: `<a href="https://x">` is one link.
  const rank = { bbcode: 0, html: 1, url: 2, www: 3 } as const;
  found.sort((a, b) => a.start - b.start || rank[a.kind] - rank[b.kind]);
  const merged: FoundLink[] = [];
  for (const link of found) {
    const last = merged[merged.length - 1];
    if (last && link.start < last.end) {
      if (link.kind === 'bbcode') last.kind = 'bbcode';
      last.end = Math.max(last.end, link.end);
      continue;
    }
    merged.push({ ...link });
  }
  return merged;
}

/** Whether the body holds BBCode links, which only old forum spam tools write (Antispam Bee). */
export function hasBbcodeLink(links: readonly FoundLink[]): boolean {
  return links.some((l) => l.kind === 'bbcode');
}
