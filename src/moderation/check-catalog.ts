import type { CheckMode } from './types';

/** A check as an admin sees it on the settings page: its name, what it does, and the modes it allows. */
export interface CheckInfo {
  name: string;
  description: string;
  modes: readonly CheckMode[];
}

const ALL_MODES: readonly CheckMode[] = ['enforce', 'observe', 'off'];

/**
 * Every check of checks/index.ts, in the same order, in plain language (a unit test keeps the two lists
 * one). Kept apart from the checks so the settings schema can name them without loading the checks.
 * `required_fields` is the API's own shape rules applied again in the worker: it cannot be relaxed.
 */
export const CHECK_CATALOG: readonly CheckInfo[] = [
  { name: 'required_fields', description: 'Refuses comments without a name, a valid email or text (the form’s own rules).', modes: ['enforce'] },
  { name: 'reply', description: 'Refuses a reply to a comment that is not published on the same article.', modes: ALL_MODES },
  { name: 'duplicate', description: 'Refuses the same comment sent twice by the same author to the same article.', modes: ALL_MODES },
  { name: 'article', description: 'Holds comments on an article set to pre-moderate all comments or those with links, or in a surge.', modes: ALL_MODES },
  { name: 'akismet_test', description: 'Akismet’s test author and email are always spam, to try the spam path.', modes: ALL_MODES },
  { name: 'honeypot', description: 'Spam when the hidden field that people never see was filled in (a bot).', modes: ALL_MODES },
  { name: 'form_token', description: 'Points for a missing, forged or expired form token, or a comment sent faster than a person writes.', modes: ALL_MODES },
  { name: 'moderation_keys', description: 'Holds comments containing a word of the “hold” list.', modes: ALL_MODES },
  { name: 'disallowed_keys', description: 'Sends comments containing a word of the “disallowed” list to spam or trash.', modes: ALL_MODES },
  { name: 'links', description: 'Holds comments with many links; forum-style [url] links add points.', modes: ALL_MODES },
  { name: 'author_history', description: 'Points for authors with earlier spam; points off for authors with approved comments.', modes: ALL_MODES },
  { name: 'campaign', description: 'Spam when the same text comes from 3 or more authors or addresses in a day.', modes: ALL_MODES },
  { name: 'curated_lists', description: 'Spam for a site or phone number on SmokeDetector’s curated spam lists; a few points for a listed spam phrase.', modes: ALL_MODES },
  { name: 'disposable_email', description: 'A few points for a throwaway email address.', modes: ALL_MODES },
  { name: 'content_signals', description: 'A few points for shouting, long runs of one character, or little more than a link.', modes: ALL_MODES },
  { name: 'engagement_bait', description: 'Holds comments that ask readers for likes (“like if you agree”).', modes: ALL_MODES },
  { name: 'spam_signals', description: 'A few points for support numbers, messaging handles, earnings claims, praise around a link, self-promotion and keyword-stuffed names.', modes: ALL_MODES },
  { name: 'classifier', description: 'The trained spam model’s opinion, as points: it holds when unsure, and bins when it is all but certain or, leaning to spam, beside self-promotion, anchor-text links or a keyword-stuffed name.', modes: ALL_MODES },
  { name: 'civility', description: 'Holds insults, threats, identity attacks and obscene abuse for a moderator, naming the words; never bins.', modes: ALL_MODES },
];

export const CHECK_NAMES: readonly string[] = CHECK_CATALOG.map((c) => c.name);
