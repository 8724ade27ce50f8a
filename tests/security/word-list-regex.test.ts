import { disallowedKeysCheck } from '../../src/moderation/checks/word-lists';
import { moderationKeysCheck } from '../../src/moderation/checks/word-lists';
import type { Check, CheckResult, WordListEntry } from '../../src/moderation/types';
import { checkContext } from '../helpers/check-context';
import { cpuMs, MAX_BODY, repeated, slowestBest } from './worst-case';

/**
 * Issue 14, finding 3: word-list regexes are typed by moderators and run on text anyone sends, so
 * they run in RE2 (linear time). The patterns of the report, on their worst bodies: 31 characters
 * (the old engine took 8 s there, doubling per character) up to the longest body (64 KB).
 */
const BOUND_MS = 50;
const regex = (pattern: string): WordListEntry => ({ pattern, kind: 'regex' });

const TIME_BOMBS: [pattern: string, worstBody: (length: number) => string][] = [
  ['(a+)+$', (n) => `${'a'.repeat(n - 1)}!`],
  ['(\\w+\\s?)+$', (n) => `${repeated('aaaa ', n - 1)}!`],
  ['[a-z0-9.]+@[a-z0-9.]+', (n) => repeated('a.', n)],
];

const LISTS: [name: string, check: Check, key: 'moderationKeys' | 'disallowedKeys'][] = [
  ['moderation list', moderationKeysCheck, 'moderationKeys'],
  ['disallowed list', disallowedKeysCheck, 'disallowedKeys'],
];

const run = (check: Check, key: 'moderationKeys' | 'disallowedKeys', entries: WordListEntry[], body: string, over: Parameters<typeof checkContext>[0] = {}) =>
  check.run(checkContext({ ...over, comment: { body, ...over.comment }, settings: { [key]: entries } })) as CheckResult;

describe.each(LISTS)('%s regex entries', (_name, check, key) => {
  it.each(TIME_BOMBS)(`%s on its worst body, 31 to ${MAX_BODY} characters: under ${BOUND_MS} ms`, (pattern, worstBody) => {
    const entries = [regex(pattern)];
    const { ms } = slowestBest((body) => run(check, key, entries, body), worstBody, [31, 4096, 16384, MAX_BODY]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('the same time bombs in the author name, email, website and user agent', () => {
    const entries = TIME_BOMBS.map(([p]) => regex(p));
    const ms = cpuMs(() => run(check, key, entries, 'fine', {
      // 31 characters each: the old engine took seconds per field (and doubled per character).
      comment: { authorName: `${'a'.repeat(30)}!`, authorEmail: repeated('a.', 99), authorUrl: `http://${repeated('a.', 190)}` },
      request: { userAgent: `${repeated('aaaa ', 30)}!` },
    }));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('keeps the old semantics: case-insensitive, on the normalized text, the match quoted', () => {
    const r = run(check, key, [regex('c[i1]al[i1]s\\b')], 'Cheap ＣＩＡＬＩＳ and C1AL1S');
    expect(r.verdict).not.toBe('pass');
    expect(r.reasons[0]).toMatchObject({ field: 'body', match: 'cialis' });
    expect(run(check, key, [regex('^\\p{L}+ ok$')], 'Ünïcode OK').verdict).not.toBe('pass');
  });

  it('skips a stored backreference or lookaround entry, reports it, and never runs it', () => {
    // Both would match this body in JavaScript's engine.
    const r = run(check, key, [regex('(a)\\1'), regex('(?<=x)y'), { pattern: 'nothing-here', kind: 'word' }], 'aa xy');
    expect(r.verdict).toBe('pass');
    expect(r.reasons.map((x) => x.code)).toEqual(['word_list_entry_unsupported', 'word_list_entry_unsupported']);
    expect(r.reasons[0].message).toMatch(/\(a\)\\1.*skipped.*backreferences/);
  });

  it('still reports an entry that is not a regular expression at all as invalid', () => {
    const r = run(check, key, [regex('(unclosed')], 'text');
    expect(r.reasons.map((x) => x.code)).toEqual(['word_list_entry_invalid']);
  });
});
