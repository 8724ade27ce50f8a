/**
 * Finds links in comment text, including the disguised ones spammers type to dodge link filters
 * ("mysite . com", "mysite(dot)com", "you[tube]"), and turns each into host features. Spam lives
 * in its links: the host is a far better clue than the words around it.
 */
import { isSourceHost } from './source-hosts';

/** Top-level domains a bare "name.tld" is recognised with (a dotted word alone is not a link). */
const TLDS = [
  'com', 'net', 'org', 'info', 'biz', 'co', 'io', 'me', 'ly', 'tk', 'tv', 'us', 'uk', 'de', 'ru', 'be',
  'gl', 'to', 'cc', 'ws', 'xyz', 'online', 'site', 'club', 'fm', 'gg', 'in', 'br', 'fr', 'es', 'it',
  'pl', 'nl', 'eu', 'ca', 'au', 'top', 'shop', 'store', 'live', 'app', 'link', 'click', 'blog', 'pro',
].join('|');

const SCHEME_URL = /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+/gi;
/**
 * A bare "name.tld" is `\b(?:label\.)+(?:TLD)\b(?:/path)?` (a label: 1–63 letters, digits and
 * hyphens, no hyphen at either end), found by `bareUrls` below: as one pattern it retried every
 * label of a long dotted run from every start (quadratic on "a.a.a.…").
 */
const TLD_SET = new Set(TLDS.split('|'));
const LONGEST_TLD = Math.max(...[...TLD_SET].map((t) => t.length));
const URL_PATH_AT = /\/[^\s<>"']*/y;
/**
 * "site . com", "site (dot) com", "site dot com", "site[.]com". Only TLDs that are not English
 * words, so a sentence ending before "It …" or "Me …" is not taken for a link.
 */
const DISGUISED_TLDS = 'com|net|org|info|biz|ru|tk|xyz';
// The name is taken whole, at once (a lookahead and its backreference: the name can only end
// where a separator starts, so giving characters back never helped); the separator is spelled
// so that no two quantifiers can take the same spaces: " . ", ". ", " .", " dot ", "(dot)", "[.]".
// The text's whitespace runs are collapsed first (see scanLinks).
const DISGUISED_URL = new RegExp(
  `\\b(?=([a-z0-9][a-z0-9-]{1,62}))\\1(?:\\s+(?:\\.\\s*|dot\\s+)|\\.\\s+|\\s*[([]\\s*(?:dot|\\.)\\s*[)\\]])(${DISGUISED_TLDS})\\b`,
  'gi',
);
/** Cheap tests that say whether the costlier patterns above can match at all. */
const BARE_HINT = new RegExp(`\\.(?:${TLDS})\\b`, 'i');
const DISGUISED_HINT = new RegExp(`\\b(?:${DISGUISED_TLDS})\\b`, 'i');
/** A YouTube video or channel reference without a host: "watch?v=abc", "/user/name". */
const YOUTUBE_PATH = /(?:\bwatch\?v=[\w-]+|\/(?:user|channel|c)\/[\w-]+)/gi;

/** What was found: host features, a shape summary, and the text with the links cut out. */
export interface LinkScan {
  features: string[];
  linkCount: number;
  /** The text with every link replaced by a space, so the words left are what the person wrote. */
  rest: string;
}

/** Extracts links and returns their features (`host:`, `domain:`, `tld:`, `link:` prefixes). */
export function scanLinks(text: string): LinkScan {
  const features: string[] = [];
  let linkCount = 0;
  // Each pass cuts its links out of the text, so a later, looser pattern cannot count them again.
  const cut = (input: string, pattern: RegExp, onMatch: (groups: (string | undefined)[]) => void) =>
    input.replace(pattern, (...args: unknown[]) => {
      // replace() passes the match and its groups, then the offset (the first number).
      onMatch(args.slice(0, args.findIndex((a) => typeof a === 'number')) as (string | undefined)[]);
      linkCount += 1;
      return ' ';
    });

  // "Title: https://…" is what a site's share button writes.
  if (isShareFormat(text)) features.push('link:share_format');
  let rest = cut(text, SCHEME_URL, ([url = '']) => features.push(...urlFeatures(url)));
  if (BARE_HINT.test(rest)) {
    rest = cutSpans(rest, bareUrls(rest), (url) => {
      features.push(...urlFeatures(url));
      linkCount += 1;
    });
  }
  if (DISGUISED_HINT.test(rest)) {
    // Only the words of `rest` are read later, so its whitespace runs may shrink to one space:
    // each separator below then takes one space, however long the run.
    rest = cut(rest.replace(/\s+/g, ' '), DISGUISED_URL, ([, name = '', tld = '']) => {
      features.push('link:disguised', ...hostFeatures(`${name}.${tld}`.toLowerCase()));
    });
  }
  rest = cut(rest, YOUTUBE_PATH, ([ref = '']) => {
    features.push(ref.toLowerCase().startsWith('watch') ? 'link:video_ref' : 'link:channel_ref');
  });
  return { features, linkCount, rest };
}

/**
 * "Title: https://…" at the end of the text, as `/:\s*(?:https?:\/\/|www\.)\S+\s*$/i` means it: the
 * last word is the link, and a colon opens it (inside that word, or at the end of the one before).
 * Read from the end once; the pattern retried every colon of a long word (quadratic).
 */
function isShareFormat(text: string): boolean {
  const end = text.trimEnd(); // trimEnd removes exactly the characters \s matches
  let i = end.length;
  while (i > 0 && !WHITESPACE.test(end[i - 1])) i -= 1;
  const last = end.slice(i);
  if (COLON_LINK.test(last)) return true;
  return LINK_START.test(last) && end.slice(0, i).trimEnd().endsWith(':');
}
const WHITESPACE = /\s/;
const COLON_LINK = /:(?:https?:\/\/|www\.)\S/i;
const LINK_START = /^(?:https?:\/\/|www\.)\S/i;

/** The text with each span cut out and replaced by a space (as `cut` does for a pattern). */
function cutSpans(text: string, spans: readonly { start: number; end: number }[], onSpan: (found: string) => void): string {
  if (!spans.length) return text;
  let out = '';
  let last = 0;
  for (const { start, end } of spans) {
    onSpan(text.slice(start, end));
    out += `${text.slice(last, start)} `;
    last = end;
  }
  return out + text.slice(last);
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWordChar = (c: number) => isAlnum(c) || c === 95;
const isLabelChar = (c: number) => isAlnum(c) || c === 45;

/**
 * Every bare "label.label.tld[/path]" as the pattern `\b(?:label\.)+(?:TLD)\b(?:/path)?` (global,
 * case-insensitive) finds it, in linear time. From a start, the pattern takes every label it can,
 * then backs off label by label until a TLD follows: the farthest TLD along the chain of labels
 * wins. That answer is the same for every start that reaches a given label, so it is worked out
 * once per label (`farthestTld`) instead of once per start.
 */
function bareUrls(text: string): { start: number; end: number }[] {
  const n = text.length;
  // runEnd[i]: where the run of label characters that holds i ends (i itself when text[i] is not one).
  const runEnd = new Int32Array(n + 1);
  runEnd[n] = n;
  for (let i = n - 1; i >= 0; i--) runEnd[i] = isLabelChar(text.charCodeAt(i)) ? runEnd[i + 1] : i;
  /** Where the next label starts when a label "x." starts at p, else -1. */
  const nextLabel = (p: number): number => {
    if (p >= n || !isAlnum(text.charCodeAt(p))) return -1;
    const q = runEnd[p];
    return q - p <= 63 && text.charCodeAt(q) === 46 && text.charCodeAt(q - 1) !== 45 ? q + 1 : -1;
  };
  /** Where a TLD at p ends: `(?:TLD)\b` takes a whole word, so the word must be one of them. */
  const tldEnd = (p: number): number => {
    let q = p;
    while (q < n && q - p <= LONGEST_TLD && isWordChar(text.charCodeAt(q))) q++;
    return q > p && q - p <= LONGEST_TLD && TLD_SET.has(text.slice(p, q).toLowerCase()) ? q : -1;
  };
  const UNKNOWN = -2;
  const memo = new Int32Array(n + 1).fill(UNKNOWN);
  /** Where the farthest TLD reached through the labels from p ends, or -1. */
  const farthestTld = (from: number): number => {
    const chain: number[] = [];
    let p = from;
    for (let next = nextLabel(p); memo[p] === UNKNOWN && next >= 0; next = nextLabel(p)) {
      chain.push(p);
      p = next;
    }
    let end = memo[p] === UNKNOWN ? tldEnd(p) : memo[p];
    memo[p] = end;
    for (let i = chain.length - 1; i >= 0; i--) {
      if (end < 0) end = tldEnd(chain[i]);
      memo[chain[i]] = end;
    }
    return end;
  };

  const found: { start: number; end: number }[] = [];
  for (let s = 0; s < n; s++) {
    if (!isAlnum(text.charCodeAt(s)) || (s > 0 && isWordChar(text.charCodeAt(s - 1)))) continue;
    const next = nextLabel(s);
    if (next < 0) continue;
    let end = farthestTld(next);
    if (end < 0) continue;
    URL_PATH_AT.lastIndex = end;
    if (URL_PATH_AT.test(text)) end = URL_PATH_AT.lastIndex;
    found.push({ start: s, end });
    s = end - 1;
  }
  return found;
}

/** Features of one written URL: its host and, for video sites, whether it points at a video or a channel. */
export function urlFeatures(raw: string): string[] {
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return ['link:malformed'];
  }
  const host = url.hostname.toLowerCase().replace(/^(?:www\d?|m)\./, '');
  // A news, government or reference site is how readers back a claim (./source-hosts.ts): it is
  // read as a cited source and its site, not as a link's shape, TLD or path.
  if (isSourceHost(host)) return ['link:source', ...hostFeatures(host).filter((f) => f.startsWith('domain:'))];
  const features = hostFeatures(host);
  const path = url.pathname.toLowerCase();
  if (url.searchParams.has('v') || /^\/(?:watch|embed|shorts)\b/.test(path)) features.push('link:video_ref');
  if (/^\/(?:user|channel|c)\//.test(path) || path.startsWith('/@')) features.push('link:channel_ref');
  if (url.search.length > 1 && /(?:^|[?&])(?:ref|r|aff|affiliate|referral|friend)=/i.test(url.search + url.hash)) {
    features.push('link:referral');
  }
  // A link to a moment in a video ("&t=2m19s") points at the video being discussed, not at an ad.
  if (/(?:^|[?&#])t=\d/.test(url.search + url.hash)) features.push('link:timestamp');
  return features;
}

/**
 * `domain:` (the registrable part, so "m.facebook.com" and "facebook.com" share evidence), `tld:`,
 * and `host:` with the full host when it has a subdomain beyond "www.".
 */
export function hostFeatures(host: string): string[] {
  const labels = host.split('.').filter(Boolean);
  if (labels.length < 2) return ['link:malformed'];
  const tld = labels[labels.length - 1] ?? '';
  // Second-level registries such as "co.uk" keep three labels in the registrable domain.
  const keep = labels.length > 2 && /^(?:co|com|net|org|ac|gov)$/.test(labels[labels.length - 2] ?? '') ? 3 : 2;
  const domain = labels.slice(-keep).join('.');
  const full = labels.join('.');
  const features = [`domain:${domain}`, `tld:${tld}`];
  if (full !== domain) features.push(`host:${full}`);
  return features;
}
