import { disallowedKeysCheck } from '../../../../src/moderation/checks/word-lists';
import { decide, runChecks } from '../../../../src/moderation/pipeline';
import type { WordListEntry } from '../../../../src/moderation/types';
import { checkContext } from '../../../helpers/check-context';

const word = (pattern: string): WordListEntry => ({ pattern, kind: 'word' });
const run = (body: string, disallowedKeys: WordListEntry[], extra: Parameters<typeof checkContext>[0] = {}) =>
  disallowedKeysCheck.run(checkContext({ ...extra, comment: { body, ...extra.comment }, settings: { disallowedKeys, ...extra.settings } }));

describe('disallowedKeysCheck', () => {
  it('passes a comment that contains no listed word', async () => {
    const r = await run('A fair point about the budget.', [word('cialis')]);
    expect(r).toMatchObject({ check: 'disallowed_keys', verdict: 'pass', reasons: [] });
  });

  it('returns spam with the entry and field when a listed word appears', async () => {
    const r = await run('Cheap CIALIS here', [word('cialis')]);
    expect(r.verdict).toBe('spam');
    expect(r.reasons).toEqual([{ code: 'disallowed_key', message: 'Contains "cialis" from the disallowed list (in body).', field: 'body', match: 'cialis' }]);
  });

  it('does not match "specialist" for the entry "cialis" (whole words by default)', async () => {
    const r = await run('Ask a specialist about it.', [word('cialis')]);
    expect(r.verdict).toBe('pass');
  });

  it('matches "specialist" when the entry is marked substring', async () => {
    const r = await run('Ask a specialist about it.', [{ pattern: 'cialis', kind: 'substring' }]);
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0]).toMatchObject({ match: 'cialis', message: 'Contains substring "cialis" from the disallowed list (in body).' });
  });

  it('matches "cіalis" written with a Cyrillic і', async () => {
    const r = await run('buy cіalis today', [word('cialis')]);
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0].match).toBe('cialis');
  });

  it('matches across zero-width joiners inside the word', async () => {
    const r = await run('buy ci\u200Dal\u200Dis today', [word('cialis')]);
    expect(r.verdict).toBe('spam');
  });

  it('matches digits written for letters inside a word ("c1al1s")', async () => {
    expect((await run('buy c1al1s today', [word('cialis')])).verdict).toBe('spam');
    expect((await run('take 5 mg', [word('smg')])).verdict).toBe('pass');
  });

  it('matches words split by HTML tags', async () => {
    expect((await run('buy ci<b></b>alis', [word('cialis')])).verdict).toBe('spam');
  });

  it('matches multi-word entries and entries with punctuation on word boundaries', async () => {
    const keys = [word('buy now'), word('spam-shop.example')];
    expect((await run('Please BUY   now!', keys)).reasons.map((r) => r.match)).toEqual(['buy   now']);
    expect((await run('see spam-shop.example/x', keys)).reasons.map((r) => r.match)).toEqual(['spam-shop.example']);
    expect((await run('see myspam-shop.example', keys)).verdict).toBe('pass');
  });

  it('matches the author name, email, URL, IP and user agent, naming the field', async () => {
    const keys = [word('casino'), word('203.0.113.'), word('evilbot')];
    const r = await run('Nothing in the body.', keys, {
      comment: { authorName: 'Casino King', authorEmail: 'king@casino.example', authorUrl: 'https://casino.example/' },
      request: { ip: '203.0.113.99', userAgent: 'EvilBot/1.0' },
    });
    expect(r.reasons.map((x) => x.field).sort()).toEqual(['authorEmail', 'authorName', 'authorUrl', 'ip', 'userAgent']);
    expect(r.reasons.find((x) => x.field === 'ip')?.match).toBe('203.0.113.');
  });

  it('does not match an IP entry inside a longer number', async () => {
    const r = await run('x', [word('3.0.113.99')], { request: { ip: '203.0.113.99' } });
    expect(r.verdict).toBe('pass');
  });

  it('runs regex entries case-insensitively on the normalized text', async () => {
    const r = await run('Visit my CASIN0 now', [{ pattern: 'casin[o0]\\b', kind: 'regex' }]);
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0]).toMatchObject({ match: 'casin0', message: 'Contains regex "casin[o0]\\b" from the disallowed list (in body).' });
  });

  it('skips a malformed regex entry with a reason instead of crashing', async () => {
    const r = await run('buy cialis', [{ pattern: '(unclosed', kind: 'regex' }, word('cialis')]);
    expect(r.verdict).toBe('spam');
    expect(r.reasons.map((x) => x.code)).toEqual(['disallowed_key', 'word_list_entry_invalid']);
    const clean = await run('a fine comment', [{ pattern: '[z-a]', kind: 'regex' }]);
    expect(clean.verdict).toBe('pass');
    expect(clean.reasons[0].code).toBe('word_list_entry_invalid');
  });

  it('makes the decision trash when disallowedAction is trash', async () => {
    const ctx = checkContext({ comment: { body: 'cheap cialis' }, settings: { disallowedKeys: [word('cialis')], disallowedAction: 'trash' } });
    const decision = decide(await runChecks([disallowedKeysCheck], ctx), ctx.settings);
    expect(decision.status).toBe('trash');
  });
});
