/**
 * Where a no-JavaScript form post goes back to: the form's `redirect_to` when it is on an allowed
 * origin, else the Referer when it is, else the article URL from the configured template. Never an
 * origin outside the allow-list (no open redirect). The comment id rides in the query (so the
 * article can show "awaiting moderation" without JavaScript) and in the fragment.
 */
export function backToArticle(opts: {
  redirectTo: unknown;
  referer: string | undefined;
  articleId: string;
  commentId: string;
  allowedOrigins: readonly string[];
  articleUrlTemplate: string;
}): string {
  const candidates = [typeof opts.redirectTo === 'string' ? opts.redirectTo : undefined, opts.referer];
  let target: URL | null = null;
  for (const candidate of candidates) {
    const url = parseAllowed(candidate, opts.allowedOrigins);
    if (url) {
      target = url;
      break;
    }
  }
  target ??= new URL(opts.articleUrlTemplate.replaceAll('{articleId}', encodeURIComponent(opts.articleId)));
  target.searchParams.set('unapproved', opts.commentId);
  target.hash = `comment-${opts.commentId}`;
  return target.href;
}

function parseAllowed(raw: string | undefined, allowed: readonly string[]): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return allowed.includes(url.origin) ? url : null;
  } catch {
    return null;
  }
}
