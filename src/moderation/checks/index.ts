import type { Check } from '../types';
import { akismetTestCheck } from './akismet-test';
import { articleCheck } from './article';
import { authorHistoryCheck } from './author-history';
import { campaignCheck } from './campaign';
import { civilityCheck } from './civility';
import { classifierCheck } from './classifier';
import { contentSignalsCheck } from './content-signals';
import { curatedListsCheck } from './curated-lists';
import { disallowedKeysCheck, moderationKeysCheck } from './word-lists';
import { disposableEmailCheck } from './disposable-email';
import { duplicateCheck } from './duplicate';
import { engagementBaitCheck } from './engagement-bait';
import { formTokenCheck } from './form-token';
import { honeypotCheck } from './honeypot';
import { linksCheck } from './links';
import { replyCheck } from './reply';
import { requiredFieldsCheck } from './required-fields';
import { spamSignalsCheck } from './spam-signals';

/**
 * The moderation policy on one page. Every check runs for every comment (no short-circuit), so a
 * moderator sees every reason; `decide` in ../pipeline.ts turns the verdicts into a status: any
 * reject → rejected; any spam verdict, or the points at or over settings.spamThreshold → spam;
 * any review, or points at or over settings.holdThreshold → pending; otherwise approved.
 * A check can be put in `observe` mode (settings.checkModes) to record its verdict without effect, or
 * turned `off` (not run). ../check-catalog.ts describes each check, in this order, for the settings page.
 */
export const ALL_CHECKS: Check[] = [
  // Rules the reader must fix: missing or malformed fields reject the comment with field messages.
  requiredFieldsCheck,
  // Threads: a reply must answer a published comment of the same article.
  replyCheck,
  // Saying the same thing twice (WordPress's duplicate rule) is refused, with WordPress's message.
  duplicateCheck,
  // The article's own settings: pre-moderation (all, or comments with links) and surges hold.
  articleCheck,

  // Integrators' switch: Akismet's test author and email are always spam.
  akismetTestCheck,
  // Bot traps in the form: the hidden field, and the signed token with its timing.
  honeypotCheck,
  formTokenCheck,

  // The site's own rules: word lists (held / spam or trash) and the number of links (held).
  moderationKeysCheck,
  disallowedKeysCheck,
  linksCheck,

  // The author's record here: earlier spam adds points, an approved history takes some off.
  authorHistoryCheck,
  // The same text from many authors or addresses in a day.
  campaignCheck,
  // Curated spam lists (SmokeDetector): a listed spam site or fake support number bins.
  curatedListsCheck,

  // Weak signals that tip a close call: throwaway addresses, shouting, repeats, bare links.
  disposableEmailCheck,
  contentSignalsCheck,
  // Asking readers for likes ("like this comment if…"): held, whatever the words around it.
  engagementBaitCheck,
  // Spam's forms across sites: support numbers, messaging handles, earnings claims, praise around
  // a link, anchor text, an advert for an author name, the website field. Weak points: they hold.
  spamSignalsCheck,

  // The trained model's opinion, as points; it also reads the author fields.
  classifierCheck,

  // Abuse (insults, threats, identity attacks, obscenity): held for a moderator, never binned.
  civilityCheck,
];

/** Checks that read stored history (they have no opinion without it). */
const NEEDS_HISTORY = new Set<Check>([replyCheck, duplicateCheck, authorHistoryCheck, campaignCheck]);

/**
 * The checks that need no stored comments, for tools that judge a comment on its own (the eval and
 * bench tools, `npm run check`). Includes the classifier, which has an opinion when the context
 * carries a model.
 */
export const STATELESS_CHECKS: Check[] = ALL_CHECKS.filter((c) => !NEEDS_HISTORY.has(c));
