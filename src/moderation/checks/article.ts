import { findLinks } from '../link-scan';
import type { Check, CheckResult } from '../types';

const time = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

/**
 * The article's own settings (docs/articles.md): pre-moderation of every comment or of comments with
 * links, a surge (every comment held until it ends), and a comment that reached a closed article
 * (the API refuses those; one accepted just before the article closed is held, not published).
 * No article settings in the context: no opinion.
 */
export const articleCheck: Check = {
  name: 'article',
  run({ comment, article, now }): CheckResult {
    const pass: CheckResult = { check: 'article', verdict: 'pass', score: 0, reasons: [] };
    if (!article) return pass;
    const reasons: CheckResult['reasons'] = [];
    if (article.closed) reasons.push({ code: 'article:closed', message: 'The article was closed to comments when this one arrived.' });
    if (article.surgeUntil && article.surgeUntil > now) {
      reasons.push({ code: 'article:premoderate_all', message: `A surge of comments on this article: every new comment is held until ${time(article.surgeUntil)}.` });
    } else if (article.premoderate === 'all') {
      reasons.push({ code: 'article:premoderate_all', message: 'This article is pre-moderated: every comment is held for a moderator.' });
    } else if (article.premoderate === 'links') {
      const links = findLinks(comment.body ?? '');
      if (links.length) {
        reasons.push({ code: 'article:premoderate_links', message: 'This article pre-moderates comments with links.', field: 'body', match: links[0].text.slice(0, 200) });
      }
    }
    return reasons.length ? { check: 'article', verdict: 'review', score: 0, reasons } : pass;
  },
};
