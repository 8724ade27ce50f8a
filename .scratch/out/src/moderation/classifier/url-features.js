"use strict";
/**
 * Finds links in comment text, including the disguised ones spammers type to dodge link filters
 * ("mysite . com", "mysite(dot)com", "you[tube]"), and turns each into host features. Spam lives
 * in its links: the host is a far better clue than the words around it.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.scanLinks = scanLinks;
exports.urlFeatures = urlFeatures;
exports.hostFeatures = hostFeatures;
/** Top-level domains a bare "name.tld" is recognised with (a dotted word alone is not a link). */
const TLDS = [
    'com', 'net', 'org', 'info', 'biz', 'co', 'io', 'me', 'ly', 'tk', 'tv', 'us', 'uk', 'de', 'ru', 'be',
    'gl', 'to', 'cc', 'ws', 'xyz', 'online', 'site', 'club', 'fm', 'gg', 'in', 'br', 'fr', 'es', 'it',
    'pl', 'nl', 'eu', 'ca', 'au', 'top', 'shop', 'store', 'live', 'app', 'link', 'click', 'blog', 'pro',
].join('|');
const SCHEME_URL = /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+/gi;
const BARE_URL = new RegExp(`\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})\\b(?:/[^\\s<>"']*)?`, 'gi');
/** "site . com", "site (dot) com", "site dot com", "site[.]com". */
const DISGUISED_URL = new RegExp(`\\b([a-z0-9][a-z0-9-]{1,62})\\s*(?:\\s\\.\\s*|\\.\\s+|[([]\\s*(?:dot|\\.)\\s*[)\\]]|\\s+dot\\s+)(${TLDS})\\b`, 'gi');
/** A YouTube video or channel reference without a host: "watch?v=abc", "/user/name". */
const YOUTUBE_PATH = /(?:\bwatch\?v=[\w-]+|\/(?:user|channel|c)\/[\w-]+)/gi;
/** Extracts links and returns their features (`host:`, `domain:`, `tld:`, `link:` prefixes). */
function scanLinks(text) {
    const features = [];
    let linkCount = 0;
    // Each pass cuts its links out of the text, so a later, looser pattern cannot count them again.
    const cut = (input, pattern, onMatch) => input.replace(pattern, (...args) => {
        // replace() passes the match and its groups, then the offset (the first number).
        onMatch(args.slice(0, args.findIndex((a) => typeof a === 'number')));
        linkCount += 1;
        return ' ';
    });
    let rest = cut(text, SCHEME_URL, ([url = '']) => features.push(...urlFeatures(url)));
    rest = cut(rest, BARE_URL, ([url = '']) => features.push(...urlFeatures(url)));
    rest = cut(rest, DISGUISED_URL, ([, name = '', tld = '']) => {
        features.push('link:disguised', ...hostFeatures(`${name}.${tld}`.toLowerCase()));
    });
    rest = cut(rest, YOUTUBE_PATH, ([ref = '']) => {
        features.push(ref.toLowerCase().startsWith('watch') ? 'link:video_ref' : 'link:channel_ref');
    });
    return { features, linkCount, rest };
}
/** Features of one written URL: its host and, for video sites, whether it points at a video or a channel. */
function urlFeatures(raw) {
    const withScheme = /^https?:\/\//i.test(raw) ? raw : `http://${raw}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        return ['link:malformed'];
    }
    const host = url.hostname.toLowerCase().replace(/^(?:www\d?|m)\./, '');
    const features = hostFeatures(host);
    const path = url.pathname.toLowerCase();
    if (url.searchParams.has('v') || /^\/(?:watch|embed|shorts)\b/.test(path))
        features.push('link:video_ref');
    if (/^\/(?:user|channel|c)\//.test(path) || path.startsWith('/@'))
        features.push('link:channel_ref');
    if (url.search.length > 1 && /(?:^|[?&])(?:ref|r|aff|affiliate|referral|friend)=/i.test(url.search + url.hash)) {
        features.push('link:referral');
    }
    if (path.length > 1)
        features.push('link:has_path');
    return features;
}
/**
 * `domain:` (the registrable part, so "m.facebook.com" and "facebook.com" share evidence), `tld:`,
 * and `host:` with the full host when it has a subdomain beyond "www.".
 */
function hostFeatures(host) {
    const labels = host.split('.').filter(Boolean);
    if (labels.length < 2)
        return ['link:malformed'];
    const tld = labels[labels.length - 1] ?? '';
    // Second-level registries such as "co.uk" keep three labels in the registrable domain.
    const keep = labels.length > 2 && /^(?:co|com|net|org|ac|gov)$/.test(labels[labels.length - 2] ?? '') ? 3 : 2;
    const domain = labels.slice(-keep).join('.');
    const full = labels.join('.');
    const features = [`domain:${domain}`, `tld:${tld}`];
    if (full !== domain)
        features.push(`host:${full}`);
    return features;
}
