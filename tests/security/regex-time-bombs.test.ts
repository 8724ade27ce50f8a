import { renderCommentBody } from '../../src/http/readers/render-text';
import { contentSignalsCheck } from '../../src/moderation/checks/content-signals';
import { engagementBaitCheck } from '../../src/moderation/checks/engagement-bait';
import { scanLinks } from '../../src/models/url-features';
import { shapeFeatures, modelFeatures } from '../../src/models/tokenizer';
import { findLinks } from '../../src/moderation/link-scan';
import { foldDigitLookalikes, normalizeText, stripHtml } from '../../src/moderation/normalize';
import { ALL_CHECKS } from '../../src/moderation/checks';
import { REQUEST_LIMITS, runChecks } from '../../src/moderation/pipeline';
import type { CheckContext, CheckResult } from '../../src/moderation/types';
import { checkContext } from '../helpers/check-context';
import { loadEmbed, MAX_BODY, repeated, slowestBest, WORST_CASES } from './worst-case';

/**
 * Issue 14, finding 1: no pattern that runs on comment text may take more than linear time. Each
 * function that reads a body, on each worst case, at up to the longest body the API accepts
 * (64 KB): under 50 ms of CPU time (a linear scan takes a few milliseconds; the old patterns took
 * from seconds to hours on these bodies). CPU time, not a wall clock: see worst-case.ts's cpuMs.
 */
const BOUND_MS = 50;

const asComment = (body: string) => ({ comment: { body } }) as unknown as CheckContext;
const embed = loadEmbed();

const READERS: Record<string, (body: string) => unknown> = {
  'link-scan findLinks': findLinks,
  'render-text renderCommentBody': renderCommentBody,
  'embed.js renderBody': embed.renderBody,
  'embed.js looksLikeEmail': embed.looksLikeEmail,
  'normalize stripHtml': stripHtml,
  'normalize normalizeText + foldDigitLookalikes': (b) => foldDigitLookalikes(normalizeText(b)),
  'url-features scanLinks': scanLinks,
  'tokenizer shapeFeatures': (b) => shapeFeatures(b, 10, 1),
  'tokenizer modelFeatures': (b) => modelFeatures({ body: b, authorName: 'Reader' } as never),
  'engagement_bait check': (b) => engagementBaitCheck.run(asComment(b)),
  'content_signals check': (b) => contentSignalsCheck.run(asComment(b)),
};

describe('patterns on comment text stay linear on worst-case bodies', () => {
  describe.each(Object.entries(READERS))('%s', (_name, read) => {
    it.each(Object.keys(WORST_CASES))(`%s: under ${BOUND_MS} ms at ${MAX_BODY} characters`, (worstCase) => {
      const { ms } = slowestBest(read, WORST_CASES[worstCase]);
      expect(ms).toBeLessThan(BOUND_MS);
    });
  });
});

describe('the linear scanners find what the old patterns found', () => {
  it('link-scan: markup links, each once, and nothing in unclosed markup', () => {
    expect(findLinks('see <a href="https://x.example/a">here</a> and [url=http://y.example]y[/url]').map((l) => l.kind)).toEqual(['html', 'bbcode']);
    expect(findLinks('<a title=x href = "/p">p</a>').map((l) => l.text)).toEqual(['<a title=x href = "/p">']);
    expect(findLinks('<a <a href=x').length).toBe(0);
    expect(findLinks('[url]a[url]b[/url]').map((l) => l.text)).toEqual(['[url]a[url]b[/url]']);
    expect(findLinks('[url=x no close').length).toBe(0);
  });

  it('render-text and embed.js trim trailing punctuation alike, keeping a parenthesis the URL opened', () => {
    const body = 'See https://en.wikipedia.org/wiki/Bridge_(structure)). Or https://x.example/a...!';
    expect(renderCommentBody(body)).toContain('href="https://en.wikipedia.org/wiki/Bridge_(structure)"');
    expect(renderCommentBody(body)).toContain('>https://x.example/a</a>...!');
    expect(embed.renderBody(body).text()).toBe(
      'See [https://en.wikipedia.org/wiki/Bridge_(structure)](https://en.wikipedia.org/wiki/Bridge_(structure))). Or [https://x.example/a](https://x.example/a)...!\n\n',
    );
  });

  it('the links check, render-text and embed.js read the same URL (it ends at a square bracket or a backtick)', () => {
    const body = 'Sources: [https://a.example/x] and `https://b.example/y` end';
    expect(findLinks(body).map((l) => l.text)).toEqual(['https://a.example/x', 'https://b.example/y']);
    expect(renderCommentBody(body)).toContain('[<a href="https://a.example/x" rel="nofollow ugc noopener">https://a.example/x</a>]');
    expect(renderCommentBody(body)).toContain('`<a href="https://b.example/y" rel="nofollow ugc noopener">https://b.example/y</a>`');
    expect(embed.renderBody(body).text()).toBe('Sources: [[https://a.example/x](https://a.example/x)] and `[https://b.example/y](https://b.example/y)` end\n\n');
  });

  it("embed.js's e-mail check: one @, no spaces, a dot inside the host", () => {
    expect(['a@b.c', 'a.b@c.d.e', 'x@y..z'].map(embed.looksLikeEmail)).toEqual([true, true, true]);
    expect(['a@b', 'a@.b', 'a@b.', 'a b@c.d', 'a@b@c.d', '@b.c'].map(embed.looksLikeEmail)).toEqual([false, false, false, false, false, false]);
  });

  it('stripHtml, url-features and engagement bait on ordinary text', () => {
    expect(stripHtml('vi<b></b>agra <!-- x --> &amp; <i>now</i>')).toBe('viagra  & now');
    expect(scanLinks('Visit my-shop . com or shop.example.co.uk/deals today').features).toEqual(
      expect.arrayContaining(['domain:example.co.uk', 'link:disguised', 'domain:my-shop.com']),
    );
    expect((engagementBaitCheck.run(asComment('Great video.\n\nLike if you agree!')) as CheckResult).verdict).toBe('review');
    expect((engagementBaitCheck.run(asComment("I'd like if you explained more")) as CheckResult).verdict).toBe('pass');
  });
});

describe('length limits come before any pattern', () => {
  it('a comment over the limits is rejected by the shape rules alone, whoever enqueued it', async () => {
    const ctx = checkContext({ comment: { body: `${repeated('plain words ', 4 * MAX_BODY)}<a href=`, authorName: 'a'.repeat(1000) } });
    const t0 = process.cpuUsage();
    const verdicts = await runChecks(ALL_CHECKS, ctx);
    const cpu = process.cpuUsage(t0);
    // The shape rules read 262 KB once, and nothing else does (CPU time: see worst-case.ts's cpuMs).
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
    expect(verdicts).toEqual([expect.objectContaining({ check: 'required_fields', verdict: 'reject', mode: 'enforce' })]);
    expect(verdicts[0].reasons.map((r) => r.field).sort()).toEqual(['authorName', 'body']);
  });

  it('request header fields reach the checks cut to their limits', async () => {
    const seen: (string | null)[] = [];
    const spy = { name: 'spy', run: (c: CheckContext) => (seen.push(c.request.userAgent), { check: 'spy', verdict: 'pass' as const, score: 0, reasons: [] }) };
    await runChecks([spy], checkContext({ request: { userAgent: 'u'.repeat(16000) } }));
    expect(seen[0]).toHaveLength(REQUEST_LIMITS.userAgent);
  });
});
