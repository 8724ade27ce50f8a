import { HTTP_URL, trailingPunctuation } from '../../moderation/link-scan';
import { escapeHtml } from '../html';

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
  for (const match of line.matchAll(HTTP_URL)) {
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
