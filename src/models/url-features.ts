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
const BARE_URL = new RegExp(`\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})\\b(?:/[^\\s<>"']*)?`, 'gi');
/**
 * "site . com", "site (dot) com", "site dot com", "site[.]com". Only TLDs that are not English
 * words, so a sentence ending before "It …" or "Me …" is not taken for a link.
 */
const DISGUISED_TLDS = 'com|net|org|info|biz|ru|tk|xyz';
const DISGUISED_URL = new RegExp(
  `\\b([a-z0-9][a-z0-9-]{1,62})\\s*(?:\\s\\.\\s*|\\.\\s+|[([]\\s*(?:dot|\\.)\\s*[)\\]]|\\s+dot\\s+)(${DISGUISED_TLDS})\\b`,
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
  if (/:\s*(?:https?:\/\/|www\.)\S+\s*$/i.test(text)) features.push('link:share_format');
  let rest = cut(text, SCHEME_URL, ([url = '']) => features.push(...urlFeatures(url)));
  if (BARE_HINT.test(rest)) rest = cut(rest, BARE_URL, ([url = '']) => features.push(...urlFeatures(url)));
  if (DISGUISED_HINT.test(rest)) {
    rest = cut(rest, DISGUISED_URL, ([, name = '', tld = '']) => {
      features.push('link:disguised', ...hostFeatures(`${name}.${tld}`.toLowerCase()));
    });
  }
  rest = cut(rest, YOUTUBE_PATH, ([ref = '']) => {
    features.push(ref.toLowerCase().startsWith('watch') ? 'link:video_ref' : 'link:channel_ref');
  });
  return { features, linkCount, rest };
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
