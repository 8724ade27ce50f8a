import { articleModeration, readerState, type ArticleSettingsInput } from '../../../src/moderation/article-policy';
import { articleCheck } from '../../../src/moderation/checks/article';
import { newReaderToken, readerIdOf, reportHash, reportWeight } from '../../../src/moderation/reader-token';
import { surgeReason } from '../../../src/moderation/surge';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import type { CheckResult } from '../../../src/moderation/types';
import { checkContext, TEST_SECRET } from '../../helpers/check-context';

const DAY = 24 * 3600 * 1000;
const article = (over: Partial<ArticleSettingsInput> = {}): ArticleSettingsInput => ({
  closed: false,
  premoderate: 'off',
  closeAfterDays: null,
  message: null,
  publishedAt: '2026-05-01T00:00:00.000Z',
  createdAt: '2026-05-02T00:00:00.000Z',
  surgeUntil: null,
  ...over,
});

describe('readerState', () => {
  const at = (days: number) => new Date(Date.parse('2026-05-01T00:00:00.000Z') + days * DAY);
  it('is open for an unknown article and closed when a moderator closed it', () => {
    expect(readerState(null, { closeAfterDays: 1 }, at(100))).toMatchObject({ closed: false });
    expect(readerState(article({ closed: true, message: 'Legal reasons.' }), { closeAfterDays: null }, at(0))).toEqual({ closed: true, closedBy: 'moderator', closesAt: null, message: 'Legal reasons.' });
  });
  it('closes closeAfterDays after publication: the article’s own setting over the site’s', () => {
    expect(readerState(article({ closeAfterDays: 14 }), { closeAfterDays: 3 }, at(13.9))).toMatchObject({ closed: false, closesAt: at(14).toISOString() });
    expect(readerState(article({ closeAfterDays: 14 }), { closeAfterDays: 3 }, at(14))).toMatchObject({ closed: true, closedBy: 'age' });
    expect(readerState(article(), { closeAfterDays: 3 }, at(3))).toMatchObject({ closed: true, closedBy: 'age' });
    expect(readerState(article(), { closeAfterDays: null }, at(3000))).toMatchObject({ closed: false, closesAt: null });
    // Without a publication time, from when the service first saw the article.
    expect(readerState(article({ publishedAt: null }), { closeAfterDays: 3 }, at(3.5))).toMatchObject({ closed: false });
  });
});

describe('articleCheck', () => {
  const codes = (r: CheckResult) => r.reasons.map((x) => x.code);
  const run = (over: Partial<ArticleSettingsInput>, body = 'A plain remark about the budget.') => {
    const ctx = checkContext({ comment: { body } });
    return articleCheck.run({ ...ctx, article: articleModeration(article(over), DEFAULT_SETTINGS, ctx.now) }) as CheckResult;
  };
  it('passes an article without pre-moderation, and has no opinion without article settings', () => {
    expect(run({}).verdict).toBe('pass');
    expect((articleCheck.run(checkContext()) as CheckResult).verdict).toBe('pass');
  });
  it('holds every comment with article:premoderate_all', () => {
    expect(run({ premoderate: 'all' })).toMatchObject({ verdict: 'review' });
    expect(codes(run({ premoderate: 'all' }))).toEqual(['article:premoderate_all']);
  });
  it('holds only comments with links with article:premoderate_links', () => {
    expect(run({ premoderate: 'links' }).verdict).toBe('pass');
    const linked = run({ premoderate: 'links' }, 'Read https://example.org/x first.');
    expect(linked.verdict).toBe('review');
    expect(codes(linked)).toEqual(['article:premoderate_links']);
  });
  it('holds during a surge, saying until when, and not after it', () => {
    const during = run({ surgeUntil: '2026-05-01T12:30:00.000Z' });
    expect(codes(during)).toEqual(['article:premoderate_all']);
    expect(during.reasons[0].message).toContain('12:30 UTC');
    expect(run({ surgeUntil: '2026-05-01T12:00:00.000Z' }).verdict).toBe('pass');
  });
  it('holds a comment that reached a closed article', () => {
    expect(codes(run({ closed: true }))).toEqual(['article:closed']);
  });
});

describe('surgeReason', () => {
  const s = { surgeCount: 60, surgeWindowSeconds: 300, surgeFactor: 5, surgeMinCount: 20 };
  it('starts at surgeCount in the window, and never when surges are off', () => {
    expect(surgeReason({ window: 59, previousHour: 1000 }, s)).toBeNull();
    expect(surgeReason({ window: 60, previousHour: 1000 }, s)).toBe('60 comments in 5 minutes (the limit is 60).');
    expect(surgeReason({ window: 600, previousHour: 0 }, { ...s, surgeCount: 0 })).toBeNull();
  });
  it('starts at surgeFactor times the previous hour’s rate, once surgeMinCount arrived', () => {
    // 120 in the hour: 10 per 5 minutes; 5× is 50.
    expect(surgeReason({ window: 49, previousHour: 120 }, s)).toBeNull();
    expect(surgeReason({ window: 50, previousHour: 120 }, s)).toMatch(/^50 comments in 5 minutes, 5× the previous hour's rate/);
    expect(surgeReason({ window: 19, previousHour: 0 }, s)).toBeNull();
    expect(surgeReason({ window: 20, previousHour: 0 }, s)).toMatch(/far above/);
  });
});

describe('reader tokens and report weights', () => {
  it('verifies its own tokens only, and hashes with the secret', () => {
    const token = newReaderToken(TEST_SECRET);
    const id = readerIdOf(TEST_SECRET, token);
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(readerIdOf('another-secret-0123456789', token)).toBeNull();
    expect(readerIdOf(TEST_SECRET, `${token.slice(0, -1)}x`)).toBeNull();
    expect(readerIdOf(TEST_SECRET, 'x'.repeat(1000))).toBeNull();
    expect(reportHash(TEST_SECRET, 'ip', '203.0.113.7')).not.toBe(reportHash('another-secret-0123456789', 'ip', '203.0.113.7'));
    expect(reportHash(TEST_SECRET, 'ip', '203.0.113.7')).not.toContain('203');
  });
  it('counts a report fully until two were dismissed, then by the share upheld, at least 0.1', () => {
    expect(reportWeight({ upheld: 0, dismissed: 1 })).toBe(1);
    expect(reportWeight({ upheld: 0, dismissed: 2 })).toBeCloseTo(0.33, 2);
    expect(reportWeight({ upheld: 6, dismissed: 2 })).toBeCloseTo(0.78, 2);
    expect(reportWeight({ upheld: 0, dismissed: 50 })).toBe(0.1);
  });
});
