import type { ArticleModeration, ModerationSettings } from './types';

/** The article fields the policy reads (src/db/article-repository.ts ArticleRow has them). */
export interface ArticleSettingsInput {
  closed: boolean;
  premoderate: 'off' | 'all' | 'links';
  closeAfterDays: number | null;
  message: string | null;
  publishedAt: string | null;
  createdAt: string;
  surgeUntil: string | null;
}

/** What readers are told about an article's comments. */
export interface ArticleReaderState {
  closed: boolean;
  /** Why: a moderator closed it, or it is older than closeAfterDays. */
  closedBy: 'moderator' | 'age' | null;
  /** When comments close by age (null: never, or already closed). */
  closesAt: string | null;
  /** The newsroom's message above the form (or instead of it). */
  message: string | null;
}

export const CLOSED_MESSAGE = 'Comments are closed.';

/**
 * Whether an article takes comments at `now`: closed by a moderator, or past its closeAfterDays
 * (the article's own, else the site's; counted from its publication, or from when the service first
 * saw it when the CMS never said). An article the service does not know is open.
 */
export function readerState(article: ArticleSettingsInput | null, settings: Pick<ModerationSettings, 'closeAfterDays'>, now: Date): ArticleReaderState {
  if (!article) return { closed: false, closedBy: null, closesAt: null, message: null };
  if (article.closed) return { closed: true, closedBy: 'moderator', closesAt: null, message: article.message };
  const days = article.closeAfterDays ?? settings.closeAfterDays;
  if (days === null) return { closed: false, closedBy: null, closesAt: null, message: article.message };
  const from = Date.parse(article.publishedAt ?? article.createdAt);
  const closesAt = from + days * 24 * 3600 * 1000;
  if (now.getTime() >= closesAt) return { closed: true, closedBy: 'age', closesAt: null, message: article.message };
  return { closed: false, closedBy: null, closesAt: new Date(closesAt).toISOString(), message: article.message };
}

/** What the worker's article check reads (types.ts ArticleModeration). */
export function articleModeration(article: ArticleSettingsInput | null, settings: Pick<ModerationSettings, 'closeAfterDays'>, now: Date): ArticleModeration | undefined {
  if (!article) return undefined;
  const surgeUntil = article.surgeUntil && Date.parse(article.surgeUntil) > now.getTime() ? new Date(article.surgeUntil) : null;
  return { closed: readerState(article, settings, now).closed, premoderate: article.premoderate, surgeUntil };
}
