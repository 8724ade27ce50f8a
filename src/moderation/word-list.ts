import { foldDigitLookalikes, normalizeText, stripHtml, wordTokens, type Token } from './normalize';
import type { CheckContext, Reason, WordListEntry } from './types';
import { compileUserRegex, firstMatch, type UserRegex } from './user-regex';

/**
 * Word lists (WordPress's moderation_keys and disallowed_keys) compiled for fast matching.
 *
 * - `word` entries (the default) match whole words: "cialis" does not match "specialist". An entry
 *   of several words or with punctuation ("buy now", "example.com", "203.0.113.") matches that
 *   sequence of whole words with the same separators. Looked up through a map keyed by the first
 *   word, so a list of thousands costs one hash look-up per word of the comment.
 * - `substring` entries match anywhere, as WordPress does for every entry.
 * - `regex` entries are regular expressions in JavaScript syntax, run case-insensitively on the
 *   normalized text by RE2, in time linear in the text whatever the pattern (user-regex.ts). An
 *   invalid entry, or one RE2 cannot run (backreferences, lookaround), is skipped and reported
 *   (never a crash, never the backtracking engine).
 * Entries and texts are normalized alike (normalize.ts), so look-alike letters and invisible
 * characters make no difference, and words that mix digits and letters are also read with the
 * digits as letters ("v1agra").
 */

interface Phrase {
  entry: WordListEntry;
  words: string[];
  /** Separators between the words, whitespace collapsed to one space. */
  separators: string[];
  prefix: string;
  suffix: string;
}

export interface CompiledWordList {
  size: number;
  phrases: Map<string, Phrase[]>;
  substrings: { regex: RegExp; entries: Map<string, WordListEntry> } | null;
  regexes: { entry: WordListEntry; regex: UserRegex }[];
  /** Skipped entries: not a regular expression, or (`unsupported`) one RE2 cannot run. */
  invalid: { entry: WordListEntry; error: string; unsupported: boolean }[];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ');
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Compiles a list once; use `compiledFor` to share the result across comments. */
export function compileWordList(entries: readonly WordListEntry[]): CompiledWordList {
  const phrases = new Map<string, Phrase[]>();
  const substrings = new Map<string, WordListEntry>();
  const regexes: CompiledWordList['regexes'] = [];
  const invalid: CompiledWordList['invalid'] = [];

  for (const entry of entries) {
    const pattern = entry.pattern.trim();
    if (!pattern) continue;
    if (entry.kind === 'regex') {
      const compiled = compileUserRegex(pattern);
      if (compiled.ok) regexes.push({ entry, regex: compiled.regex });
      else invalid.push({ entry, error: compiled.error, unsupported: compiled.unsupported });
      continue;
    }
    const normalized = collapse(normalizeText(pattern)).trim();
    if (!normalized) continue; // only invisible characters: it would match everywhere
    const tokens = wordTokens(normalized);
    if (entry.kind === 'substring' || tokens.length === 0) {
      if (!substrings.has(normalized)) substrings.set(normalized, entry);
      continue;
    }
    const phrase: Phrase = {
      entry,
      words: tokens.map((t) => t.value),
      separators: tokens.slice(1).map((t, i) => normalized.slice(tokens[i].end, t.start)),
      prefix: normalized.slice(0, tokens[0].start),
      suffix: normalized.slice(tokens[tokens.length - 1].end),
    };
    const bucket = phrases.get(phrase.words[0]);
    if (bucket) bucket.push(phrase);
    else phrases.set(phrase.words[0], [phrase]);
  }

  // One alternation for every substring entry, longest first so the longer entry wins a tie.
  const literals = [...substrings.keys()].sort((a, b) => b.length - a.length);
  return {
    size: entries.length,
    phrases,
    substrings: literals.length ? { regex: new RegExp(literals.map(escapeRegex).join('|'), 'gu'), entries: substrings } : null,
    regexes,
    invalid,
  };
}

export interface WordListMatch {
  entry: WordListEntry;
  /** The normalized text that matched. */
  match: string;
}

/** Words, as normalize.ts's wordTokens sees them; a regex of its own (matching is synchronous). */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Every entry that matches the (already normalized) text, each once. Single words are looked up as
 * the text is scanned; word positions are built only when a multi-word entry's first word appears.
 */
export function matchNormalized(list: CompiledWordList, normalized: string): WordListMatch[] {
  const found = new Map<WordListEntry, string>();
  const phrases = list.phrases;

  if (phrases.size) {
    let tokens: Token[] | null = null;
    WORD.lastIndex = 0;
    for (let m = WORD.exec(normalized), index = 0; m; m = WORD.exec(normalized), index++) {
      const candidates = phrases.get(m[0]);
      if (!candidates) continue;
      for (const phrase of candidates) {
        if (found.has(phrase.entry)) continue;
        if (phrase.words.length === 1 && !phrase.prefix && !phrase.suffix) {
          found.set(phrase.entry, m[0]);
          continue;
        }
        tokens ??= wordTokens(normalized);
        const hit = matchPhraseAt(phrase, normalized, tokens, index);
        if (hit !== null) found.set(phrase.entry, hit);
      }
    }
  }
  if (list.substrings) {
    const { regex, entries } = list.substrings;
    regex.lastIndex = 0;
    for (let m = regex.exec(normalized); m; m = regex.exec(normalized)) {
      const entry = entries.get(m[0]);
      if (entry && !found.has(entry)) found.set(entry, m[0]);
    }
  }
  if (list.regexes.length) {
    const bytes = Buffer.from(normalized, 'utf8');
    for (const { entry, regex } of list.regexes) {
      if (found.has(entry)) continue;
      const m = firstMatch(regex, bytes);
      if (m !== null) found.set(entry, m);
    }
  }
  if (found.size === 0) return [];
  return [...found].map(([entry, match]) => ({ entry, match }));
}

function matchPhraseAt(phrase: Phrase, text: string, tokens: Token[], i: number): string | null {
  const n = phrase.words.length;
  if (i + n > tokens.length) return null;
  for (let j = 1; j < n; j++) {
    if (tokens[i + j].value !== phrase.words[j]) return null;
    if (collapse(text.slice(tokens[i + j - 1].end, tokens[i + j].start)) !== phrase.separators[j - 1]) return null;
  }
  const start = tokens[i].start - phrase.prefix.length;
  const end = tokens[i + n - 1].end + phrase.suffix.length;
  if (start < 0 || text.slice(start, tokens[i].start) !== phrase.prefix) return null;
  if (text.slice(tokens[i + n - 1].end, end) !== phrase.suffix) return null;
  return text.slice(start, end);
}

/** The fields a word list is matched against (WordPress: author, email, URL, content, IP, user agent). */
export type MatchedField = 'authorName' | 'authorEmail' | 'authorUrl' | 'body' | 'ip' | 'userAgent';

interface PreparedText {
  field: MatchedField;
  normalized: string;
}

/**
 * The last comment's fields, normalized: both word-list checks read them, back to back (checks
 * start in order, synchronously), so one entry is enough and nothing is kept per comment.
 */
let lastPrepared: { comment: object; request: object; texts: PreparedText[] } | null = null;

/** A comment's fields in matching form, including the body as text and with digits read as letters. */
export function preparedFields(ctx: Pick<CheckContext, 'comment' | 'request'>): PreparedText[] {
  if (lastPrepared?.comment === ctx.comment && lastPrepared.request === ctx.request) return lastPrepared.texts;
  const { comment, request } = ctx;
  const raw: [MatchedField, string | null | undefined][] = [
    ['authorName', comment.authorName],
    ['authorEmail', comment.authorEmail],
    ['authorUrl', comment.authorUrl],
    ['body', comment.body],
    ['ip', request.ip],
    ['userAgent', request.userAgent],
  ];
  const texts: PreparedText[] = [];
  const add = (field: MatchedField, text: string) => {
    const normalized = normalizeText(text);
    texts.push({ field, normalized });
    const digitsAsLetters = foldDigitLookalikes(normalized);
    if (digitsAsLetters !== null) texts.push({ field, normalized: digitsAsLetters });
  };
  for (const [field, value] of raw) {
    if (typeof value !== 'string' || value === '') continue;
    add(field, value);
    // The body also as a reader sees it: tags cannot split a word ("vi<b></b>agra").
    if (field === 'body') {
      const text = stripHtml(value);
      if (text !== value) add(field, text);
    }
  }
  lastPrepared = { comment: ctx.comment, request: ctx.request, texts };
  return texts;
}

/** Every (entry, field) match of a comment against a list; each entry once per field. */
export function matchComment(list: CompiledWordList, ctx: Pick<CheckContext, 'comment' | 'request'>): (WordListMatch & { field: MatchedField })[] {
  if (list.size === 0) return [];
  const seen = new Set<string>();
  const out: (WordListMatch & { field: MatchedField })[] = [];
  const ids = new Map<WordListEntry, number>();
  for (const text of preparedFields(ctx)) {
    for (const m of matchNormalized(list, text.normalized)) {
      let id = ids.get(m.entry);
      if (id === undefined) ids.set(m.entry, (id = ids.size));
      const key = `${id}:${text.field}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...m, field: text.field });
    }
  }
  return out;
}

/**
 * Compiled lists per settings object: settings are loaded into a new object only when they change,
 * so each list is compiled once per change, not once per comment.
 */
const compiledBySettings = new WeakMap<object, Map<string, CompiledWordList>>();

export function compiledFor(settings: object, name: string, entries: readonly WordListEntry[]): CompiledWordList {
  let lists = compiledBySettings.get(settings);
  if (!lists) {
    lists = new Map();
    compiledBySettings.set(settings, lists);
  }
  let list = lists.get(name);
  if (!list) {
    list = compileWordList(entries);
    lists.set(name, list);
  }
  return list;
}

/** How an entry is named in a reason: its pattern, and how it matches when not by word. */
export function describeEntry(entry: WordListEntry): string {
  return entry.kind === 'word' ? `"${entry.pattern}"` : `${entry.kind} "${entry.pattern}"`;
}

/** The reason that reports a skipped entry of a list (named as moderators see it, e.g. "moderation"). */
export function skippedEntryReason(listName: string, bad: CompiledWordList['invalid'][number]): Reason {
  return bad.unsupported
    ? { code: 'word_list_entry_unsupported', message: `The ${listName} list entry "${bad.entry.pattern}" was skipped: ${bad.error}.` }
    : { code: 'word_list_entry_invalid', message: `The ${listName} list entry "${bad.entry.pattern}" is not a valid regular expression and was skipped: ${bad.error}` };
}
