import { escapeHtml } from '../html';

/** http(s) URLs in running text (linear: one greedy run); trailing punctuation is trimmed off afterwards. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
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

/** A link's href when `raw` is an absolute http(s) URL, else null (javascript:, data:, relative…). */
export function safeHref(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** One link as readers' content gets it: escaped, and marked as user-generated. */
export function userLink(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}" rel="nofollow ugc noopener">${escapeHtml(text)}</a>`;
}

/**
 * A comment body as HTML: everything escaped, line breaks kept, http(s) URLs linked. Nothing of the
 * body is ever interpreted as markup. The widget (embed.js) renders the same way with DOM calls.
 */
export function renderCommentBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split('\n').map(linkifyLine).join('<br>')}</p>`)
    .join('');
}

function linkifyLine(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    let url = match[0];
    // Keep a closing parenthesis when the URL itself opened one (Wikipedia-style links).
    const trail = trailingPunctuation(url);
    url = url.slice(0, url.length - trail.length);
    if (trail.startsWith(')') && url.includes('(')) url += ')';
    const href = safeHref(url);
    if (!href) continue;
    html += escapeHtml(line.slice(last, start)) + userLink(href, url);
    last = start + url.length;
  }
  return html + escapeHtml(line.slice(last));
}
