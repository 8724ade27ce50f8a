import { createHash } from 'node:crypto';
import { LIMITS } from '../moderation/comment-schema';
import type { ImportSource } from './types';

/** What a comment's article is known by in an export. */
export interface ArticleRef {
  source: ImportSource;
  /** WordPress: the item's guid, else its link; Disqus: the thread's link. */
  articleKey: string | null;
  articleTitle: string | null;
  /** WordPress: the id scope (`post:<id>` when the item has no guid or link). */
  scope: string;
  /** Disqus: the post's thread id. */
  threadId?: string | null;
}

/**
 * An `--article-id` rule: a template whose placeholders are filled from the article's key (the
 * WordPress guid/link or the Disqus thread link). `{a|b}` takes the first that is not empty.
 *   {key}   the key as written (the default rule: `{key}`)
 *   {host}  its host name                    news.example.org
 *   {path}  its path and query, no slashes around   2026/03/budget  or  ?p=12
 *   {slug}  the last segment of its path     budget
 * Anything outside braces is kept: `wp-{slug}` → `wp-budget`.
 */
export type ArticleRule = { literal: string } | { alternatives: Placeholder[] };
type Placeholder = 'key' | 'host' | 'path' | 'slug';
const PLACEHOLDERS = new Set<string>(['key', 'host', 'path', 'slug']);

export const DEFAULT_ARTICLE_RULE = '{key}';

/** Parses a rule; throws with a message naming the bad part. */
export function parseArticleRule(rule: string): ArticleRule[] {
  if (rule.length > 200) throw new Error('--article-id: the rule is longer than 200 characters');
  const parts: ArticleRule[] = [];
  let at = 0;
  while (at < rule.length) {
    const open = rule.indexOf('{', at);
    if (open === -1) {
      parts.push({ literal: rule.slice(at) });
      break;
    }
    if (open > at) parts.push({ literal: rule.slice(at, open) });
    const close = rule.indexOf('}', open);
    if (close === -1) throw new Error(`--article-id: "{" at ${open + 1} is never closed`);
    const names = rule.slice(open + 1, close).split('|');
    for (const name of names) {
      if (!PLACEHOLDERS.has(name)) throw new Error(`--article-id: unknown placeholder {${name}} (use {key}, {host}, {path} or {slug})`);
    }
    parts.push({ alternatives: names as Placeholder[] });
    at = close + 1;
  }
  if (!parts.some((p) => 'alternatives' in p)) throw new Error('--article-id: the rule needs a placeholder ({key}, {host}, {path} or {slug})');
  return parts;
}

function placeholderValue(name: Placeholder, key: string): string {
  if (name === 'key') return key;
  let url: URL;
  try {
    url = new URL(key);
  } catch {
    // Not a URL (a Disqus identifier, a bare guid): only {key} and {slug} mean something.
    return name === 'slug' ? (key.split('/').filter(Boolean).pop() ?? '') : '';
  }
  if (name === 'host') return url.hostname;
  const path = url.pathname.split('/').filter(Boolean);
  if (name === 'slug') return path.pop() ?? '';
  return `${path.join('/')}${url.search}`;
}

/**
 * THE mapping of an imported comment to the service's article id: one function, so a table of
 * articles can take over here. A comment whose export names no article (a Disqus post whose thread
 * is not in the file, a WordPress item with neither guid nor link) gets a placeholder article of its
 * own thread or post (`disqus-thread-<id>`, `wordpress-post:<id>`), so those comments stay together
 * and are never dropped. Ids longer than the API's 200 characters are cut and suffixed with a hash.
 */
export function articleIdFor(ref: ArticleRef, rule: readonly ArticleRule[]): string {
  let id = '';
  if (ref.articleKey) {
    for (const part of rule) {
      if ('literal' in part) id += part.literal;
      else id += part.alternatives.map((name) => placeholderValue(name, ref.articleKey!)).find((v) => v !== '') ?? '';
    }
    if (!rule.some((p) => 'alternatives' in p && p.alternatives.some((n) => placeholderValue(n, ref.articleKey!) !== ''))) id = '';
  }
  if (!id) id = placeholderArticleId(ref);
  if (id.length <= LIMITS.articleId) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return `${id.slice(0, LIMITS.articleId - 13)}~${hash}`;
}

/** The article of comments whose export names none. */
export function placeholderArticleId(ref: Pick<ArticleRef, 'source' | 'scope' | 'threadId'>): string {
  return ref.source === 'disqus' ? `disqus-thread-${ref.threadId ?? 'none'}` : `wordpress-${ref.scope}`;
}
