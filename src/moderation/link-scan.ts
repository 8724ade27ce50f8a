import { visibleText } from './normalize';

/**
 * An http(s) URL in running text, the one definition the links check counts and the readers' pages
 * link: one greedy run up to whitespace, a quote, an angle or square bracket or a backtick (linear).
 * Sentence punctuation at its end belongs to the text: see `trailingPunctuation`. (The model reads
 * links its own way, bare domains and disguised ones included: src/models/url-features.ts.)
 */
export const HTTP_URL = /\bhttps?:\/\/[^\s<>"'`[\]]+/gi;

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = '.,;:!?\'")]}';

/**
 * The punctuation at the end of `url`, read backwards once. (A pattern such as `/[.,…]+$/` retries
 * from every punctuation mark of a run that is not at the end: quadratic on a URL full of dots.)
 */
export function trailingPunctuation(url: string): string {
  let i = url.length;
  while (i > 0 && TRAILING.includes(url[i - 1])) i--;
  return url.slice(i);
}

/** One link found in a text. Kinds overlap in markup (`<a href="https://…">`), and count once. */
export interface FoundLink {
  kind: 'url' | 'www' | 'html' | 'bbcode';
  text: string;
  start: number;
  end: number;
}

/**
 * Each pattern runs on hostile text, so each is linear: no quantifier overlaps another one. The
 * markup kinds (`<a … href=…>`, `[url]…[/url]`) need an end that may never come, so a scanner
 * below finds them instead of a pattern that would try every start again (quadratic or worse).
 */
const PATTERNS: [FoundLink['kind'], RegExp][] = [
  ['url', HTTP_URL],
  // A bare www. host, not the one inside an http(s) URL or an email address.
  ['www', /(?<![\w.\/@-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'[\]]*/gi],
];

const A_TAG_OPEN = /<a\s/gi;
const HREF_ATTR = /\bhref\s*=/i;
const BBCODE_OPEN = /\[(?:url|link)[=\]]/gi;
const BBCODE_CLOSE = /\[\/(?:url|link)\]/gi;

/**
 * `<a href=…>`, as `/<a\s[^>]*\bhref\s*=[^>]*>/gi` would find it, in one pass: a tag runs from
 * `<a ` to the next `>`, and is a link when an `href=` lies in between. Every later `<a ` before
 * that `>` ends at the same `>` with less in between, so the scan goes on after it either way.
 */
function htmlLinks(text: string, found: FoundLink[]): void {
  A_TAG_OPEN.lastIndex = 0;
  for (let m = A_TAG_OPEN.exec(text); m; m = A_TAG_OPEN.exec(text)) {
    const close = text.indexOf('>', m.index + 3);
    if (close < 0) return;
    if (HREF_ATTR.test(text.slice(m.index + 3, close))) found.push({ kind: 'html', text: text.slice(m.index, close + 1), start: m.index, end: close + 1 });
    A_TAG_OPEN.lastIndex = close + 1;
  }
}

/**
 * `[url]…[/url]` and `[link=…]…[/link]`, as `/\[(?:url|link)(?:=[^\]]*)?\][\s\S]*?\[\/(?:url|link)\]/gi`
 * would find them: each opening tag (its `=…` option runs to the first `]`) with the first closing
 * tag after it. The closing tag found is reused for the openings before it, so the text is read
 * once, not once per opening tag; with no `]` or no closing tag left, no later opening can match.
 */
function bbcodeLinks(text: string, found: FoundLink[]): void {
  BBCODE_OPEN.lastIndex = 0;
  let close: { start: number; end: number } | null = null;
  for (let m = BBCODE_OPEN.exec(text); m; m = BBCODE_OPEN.exec(text)) {
    const bracket = m[0].endsWith(']') ? m.index + m[0].length - 1 : text.indexOf(']', m.index + m[0].length);
    if (bracket < 0) return;
    const from = bracket + 1;
    if (!close || close.start < from) {
      BBCODE_CLOSE.lastIndex = from;
      const c = BBCODE_CLOSE.exec(text);
      if (!c) return;
      close = { start: c.index, end: c.index + c[0].length };
    }
    found.push({ kind: 'bbcode', text: text.slice(m.index, close.end), start: m.index, end: close.end });
    BBCODE_OPEN.lastIndex = close.end;
  }
}

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
  htmlLinks(text, found);
  bbcodeLinks(text, found);
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
