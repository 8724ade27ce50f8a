import { findLinks, hasBbcodeLink } from '../link-scan';
import type { Check, CheckResult, Reason } from '../types';

/** BBCode in a news site's comment form comes from spam tools written for forums (Antispam Bee). */
export const BBCODE_SCORE = 8;

/**
 * Links: `commentMaxLinks` or more (WordPress's default 2; 0 turns the rule off) hold the comment
 * for a moderator; BBCode links add points towards spam.
 */
export const linksCheck: Check = {
  name: 'links',
  run({ comment, settings }): CheckResult {
    const links = findLinks(comment.body ?? '');
    const reasons: Reason[] = [];
    let verdict: CheckResult['verdict'] = 'pass';
    let score = 0;
    if (settings.commentMaxLinks > 0 && links.length >= settings.commentMaxLinks) {
      verdict = 'review';
      reasons.push({
        code: 'too_many_links',
        message: `Contains ${links.length} links; comments with ${settings.commentMaxLinks} or more are held for a moderator.`,
        field: 'body',
        match: links[0].text.slice(0, 200),
      });
    }
    if (hasBbcodeLink(links)) {
      score += BBCODE_SCORE;
      reasons.push({ code: 'bbcode_link', message: 'Contains BBCode links ([url]), which spam tools write.', field: 'body', match: links.find((l) => l.kind === 'bbcode')!.text.slice(0, 200) });
    }
    // The number of links is weak evidence (readers cite sources); BBCode links are spam tools' work.
    return { check: 'links', verdict, score, reasons, ...(score === 0 && verdict !== 'pass' ? { weak: true } : {}) };
  },
};
