import { CIVILITY_ATTRIBUTES } from '../models/civility-model';
import { foldForModel, modelWords } from '../models/tokenizer';

/**
 * What an erasure request removes from stored text and JSON: one author's email addresses, names,
 * websites, IP addresses, user agents and referrers, wherever they were quoted (check reasons, notes,
 * earlier bodies). Pure functions: the repository reads the rows and writes back what these return.
 */

/** What erased text is replaced with. */
export const ERASED = '[erased]';

/** The author's details as stored on their comments. */
export interface ErasedIdentity {
  emails: string[];
  names: string[];
  urls: string[];
  ips: string[];
  userAgents: string[];
  referrers: string[];
}

/** Reason fields that name an author detail: their `match` is that detail (maybe normalised), so it goes whole. */
const AUTHOR_FIELDS = new Set([
  'authorName', 'author_name', 'authorEmail', 'author_email', 'authorUrl', 'author_url', 'email', 'url', 'ip', 'userAgent', 'user_agent', 'referrer',
]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const distinct = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 2))];

/** Where details are searched for: the author's own rows, others' check reasons and notes, or others' text. */
export type ErasureScope = 'own' | 'quoted' | 'text';

/**
 * Case-insensitive finders for `identity`'s details in `scope`. Only the author's own rows lose their
 * name (as a whole word: "Ada" also belongs to others), user agent and referrer. Reasons and notes
 * anywhere lose the details that single one person out (email, IP address, website); other people's
 * comment text loses the email and IP address only (a website they cite may be anyone's).
 * Emails and IP addresses match only whole: erasing ada@example.org leaves bada@example.org alone.
 */
export function identityMatchers(identity: ErasedIdentity, scope: ErasureScope): RegExp[] {
  const matchers: RegExp[] = [];
  for (const email of distinct(identity.emails)) matchers.push(new RegExp(`(?<![\\w.+-])${escapeRegExp(email)}(?![\\w-]|\\.\\w)`, 'giu'));
  for (const ip of distinct(identity.ips)) matchers.push(new RegExp(`(?<![0-9a-z.:])${escapeRegExp(ip)}(?![0-9a-z:]|\\.\\d)`, 'giu'));
  if (scope === 'text') return matchers;
  for (const url of distinct(identity.urls)) matchers.push(new RegExp(escapeRegExp(url), 'giu'));
  if (scope === 'quoted') return matchers;
  for (const s of distinct([...identity.userAgents, ...identity.referrers])) matchers.push(new RegExp(escapeRegExp(s), 'giu'));
  for (const name of distinct(identity.names)) matchers.push(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu'));
  return matchers;
}

/** The details that single one person out, lower-cased: what a search of other rows looks for first. */
export function distinctiveDetails(identity: ErasedIdentity): string[] {
  return distinct([...identity.emails, ...identity.ips, ...identity.urls]).map((s) => s.toLowerCase());
}

/** `text` with every match of `matchers` replaced by ERASED. */
export function scrubText(text: string, matchers: RegExp[]): string {
  let out = text;
  for (const m of matchers) out = out.replace(m, ERASED);
  return out;
}

/**
 * A JSON value (reasons of a comment or an event) with the author's details gone: every string
 * scrubbed; a reason's `match` on an author field replaced whole (it may be a normalised form the
 * finders miss); the spam model's author-name clues (`name:victoria`) erased. `allMatches` erases
 * every `match` (a deleted comment's quoted text goes with it).
 */
export function scrubJson(value: unknown, matchers: RegExp[], opts: { own: boolean; allMatches?: boolean }): unknown {
  if (typeof value === 'string') {
    const scrubbed = scrubText(value, matchers);
    return opts.own ? scrubbed.replace(/\bname:[^\s,]+/gu, `name:${ERASED}`) : scrubbed;
  }
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, matchers, opts));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) out[key] = scrubJson(v, matchers, opts);
  const authorMatch = opts.own && typeof obj.field === 'string' && AUTHOR_FIELDS.has(obj.field);
  if ('match' in obj && obj.match !== undefined && (authorMatch || opts.allMatches)) out.match = ERASED;
  return out;
}

/**
 * Spam-model features that spell out the author: the word pairs of their name ("victoria victim",
 * learnt when a taught comment's text named them). Single words ("name:victoria", "victoria") are
 * shared with everyone of that name and say nothing about one person, so they stay.
 */
export function nameFeatures(identity: ErasedIdentity): string[] {
  const pairs = new Set<string>();
  for (const name of identity.names) {
    const words = modelWords(foldForModel(name));
    for (let i = 1; i < words.length; i += 1) pairs.add(`${words[i - 1]} ${words[i]}`);
  }
  return [...pairs];
}

/** What an erasure replaces, for one identity: the repository (src/db/privacy-repository.ts) applies it to rows. */
export interface ErasureScrubber {
  /** Scrubs a text: the author's own (`own`), others' reasons and notes that quote them (`quoted`), others' comment text (`text`). */
  text(text: string, scope: ErasureScope): string;
  /** Scrubs a JSON column (check reasons); `own` rows lose every quoted match when `allMatches`. */
  json(value: unknown, scope: ErasureScope, opts?: { allMatches?: boolean }): unknown;
  /** Lower-case substrings whose presence marks another row as quoting the author (found by a search in Postgres). */
  details: string[];
  /** Spam-model features that spell the author out (word pairs of their names). */
  modelFeatures: string[];
  /** The civility model's rows for the same word pairs (one per attribute head). */
  civilityModelFeatures: string[];
}

/** The scrubber for `identity`: every erased detail, matched as ./identityMatchers says for each scope. */
export function erasureScrubber(identity: ErasedIdentity): ErasureScrubber {
  const matchers = { own: identityMatchers(identity, 'own'), quoted: identityMatchers(identity, 'quoted'), text: identityMatchers(identity, 'text') };
  return {
    text: (text, scope) => scrubText(text, matchers[scope]),
    json: (value, scope, opts = {}) => scrubJson(value, matchers[scope], { own: scope === 'own', allMatches: opts.allMatches }),
    details: distinctiveDetails(identity),
    modelFeatures: nameFeatures(identity),
    civilityModelFeatures: nameFeatures(identity).flatMap((pair) => CIVILITY_ATTRIBUTES.map((attribute) => `${attribute}|${pair}`)),
  };
}
