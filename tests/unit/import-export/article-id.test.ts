import { articleIdFor, parseArticleRule } from '../../../src/import-export/article-id';
import { isoGmt, wordpressGmt } from '../../../src/import-export/dates';

const ref = (articleKey: string | null) => ({ source: 'wordpress' as const, articleKey, articleTitle: null, scope: articleKey ?? 'post:7' });

describe('articleIdFor', () => {
  const key = 'https://news.example.org/2026/03/budget-vote/?ref=x';
  it.each([
    ['{key}', key],
    ['{host}', 'news.example.org'],
    ['{path}', '2026/03/budget-vote?ref=x'],
    ['{slug}', 'budget-vote'],
    ['news-{slug}', 'news-budget-vote'],
  ])('%s → %s', (rule, want) => {
    expect(articleIdFor(ref(key), parseArticleRule(rule))).toBe(want);
  });

  it('takes the first alternative that is not empty', () => {
    expect(articleIdFor(ref('https://news.example.org/?p=12'), parseArticleRule('{slug|path}'))).toBe('?p=12');
    expect(articleIdFor(ref('budget-2026'), parseArticleRule('{host|key}'))).toBe('budget-2026');
  });

  it('gives comments without an article a placeholder of their own post or thread', () => {
    expect(articleIdFor(ref(null), parseArticleRule('{key}'))).toBe('wordpress-post:7');
    expect(articleIdFor({ source: 'disqus', articleKey: null, articleTitle: null, scope: '', threadId: '42' }, parseArticleRule('{key}'))).toBe('disqus-thread-42');
    expect(articleIdFor(ref('https://news.example.org/'), parseArticleRule('{slug}'))).toBe('wordpress-https://news.example.org/');
  });

  it('keeps ids within the API’s 200 characters, distinct per key', () => {
    const a = articleIdFor(ref(`https://news.example.org/${'a'.repeat(300)}`), parseArticleRule('{key}'));
    const b = articleIdFor(ref(`https://news.example.org/${'a'.repeat(299)}b`), parseArticleRule('{key}'));
    expect(a.length).toBe(200);
    expect(a).not.toBe(b);
  });

  it.each(['{nope}', '{key', 'plain', `{key}${'x'.repeat(200)}`])('refuses the rule %s with a message', (rule) => {
    expect(() => parseArticleRule(rule)).toThrow(/--article-id/);
  });
});

describe('export dates', () => {
  it('reads WordPress GMT dates and refuses zeros and nonsense', () => {
    expect(wordpressGmt('2013-03-14 15:01:21')).toBe('2013-03-14T15:01:21Z');
    expect(wordpressGmt('0000-00-00 00:00:00')).toBeNull();
    expect(wordpressGmt('2013-02-31 10:00:00')).toBeNull();
    expect(wordpressGmt('yesterday')).toBeNull();
  });
  it('reads Disqus ISO times: fractions dropped, offsets applied, no zone read as UTC', () => {
    expect(isoGmt('2013-10-10T19:20:29Z')).toEqual({ value: '2013-10-10T19:20:29Z', zoneless: false });
    expect(isoGmt('2013-10-10T19:20:29.123456Z').value).toBe('2013-10-10T19:20:29Z');
    expect(isoGmt('2013-10-10T21:20:29+02:00').value).toBe('2013-10-10T19:20:29Z');
    expect(isoGmt('2013-10-10T19:20:29')).toEqual({ value: '2013-10-10T19:20:29Z', zoneless: true });
    expect(isoGmt('not a date').value).toBeNull();
  });
});
