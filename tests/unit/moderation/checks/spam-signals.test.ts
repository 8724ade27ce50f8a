import { SIGNAL_SCORES, spamSignalsCheck } from '../../../../src/moderation/checks/spam-signals';
import { findPhoneNumber, findSignals, keywordAuthor, matchingText } from '../../../../src/moderation/spam-signals';
import { checkContext } from '../../../helpers/check-context';

const run = (body: string, over: { authorName?: string; authorUrl?: string | null } = {}) =>
  spamSignalsCheck.run(checkContext({ comment: { body, ...over } }));
const codes = async (body: string, over: { authorName?: string; authorUrl?: string | null } = {}) => (await run(body, over)).reasons.map((r) => r.code);

describe('spamSignalsCheck', () => {
  it('passes with no points an ordinary news comment citing sources and sums', async () => {
    const r = await run('The council says the scheme cost $3.2 million last year (https://www.bbc.co.uk/news/12345678). Call me sceptical, but the 2019 figure was lower.');
    expect(r).toEqual({ check: 'spam_signals', verdict: 'pass', score: 0, reasons: [] });
  });

  it('names a support number with a call to action, enough points to hold alone', async () => {
    const r = await run('For Quickbooks support call our 24/7 helpline +1 (888) 555-0142 now');
    expect(r.reasons[0]).toMatchObject({ code: 'support_number', field: 'body' });
    expect(r.score).toBe(SIGNAL_SCORES.support_number);
    expect(r.weak).toBe(true);
  });

  it('names a bare phone number with fewer points, and not a year range or a short number', async () => {
    expect(await codes('my number is 0113 496 0000')).toEqual(['phone_number']);
    expect(await codes('The 2015-2016 season and the 1,000 jobs promised')).toEqual([]);
    expect(findPhoneNumber('ring 999 for emergencies')).toBeNull();
  });

  it.each([
    'i lost mine too but contact @johncyber_ for recovery',
    'message me on whatsapp',
    'reach him on telegram, he is legit',
    'write to recover at protonmail dot com',
    'inbox @learn_from_anna she will help you',
  ])('names a messaging contact: %s', async (body) => {
    expect(await codes(body)).toContain('messaging_contact');
  });

  it.each(['@janet I think you misread the article', 'He posted on Telegraph Road last week', 'Send the council a message about it'])('leaves replies and plain words alone: %s', async (body) => {
    expect(await codes(body)).not.toContain('messaging_contact');
  });

  it('names an earnings claim, but not a news comment about public money', async () => {
    expect(await codes('I invested $1000 and got a return of $12,560 in a week, I earn from home now')).toContain('earnings_claim');
    expect(await codes('The city made $3 million from parking fines, the report says.')).toEqual([]);
  });

  it('names generic praise only around a link or a website', async () => {
    expect(await codes('Great post, very informative! https://cheap-seo-tools.example/')).toContain('praise_with_link');
    expect(await codes('Great article, thanks for sharing.')).toEqual([]);
    expect(await codes('Great article, see also https://en.wikipedia.org/wiki/Budget')).toEqual([]);
  });

  it('names self-promotion, but not a reader recommending the paper or a public page', async () => {
    expect(await codes('Please check out my channel, sub4sub')).toEqual(['self_promotion']);
    expect(await codes('Subscribe to my blog for more on the budget')).toEqual(['self_promotion']);
    expect(await codes('I subscribe to the paper and check out the council page every week')).toEqual([]);
  });

  it.each([
    'Check my channel please, my new channel has minecraft videos',
    'sub my channel for no reason',
    'Suscribe to my channel please XD',
    'Check me out! I rap so yeah',
    'Follow me on Instagram _chris_cz',
    'If I get 300 subscribers by tomorrow I will do an epic video',
    'like and subscribe',
  ])('names the video-site forms of self-promotion, which corroborate a sure model: %s', async (body) => {
    const r = await run(body);
    expect(r.reasons.map((x) => x.code)).toEqual(['self_promotion']);
    expect(r.corroborates).toBe(true);
  });

  it.each([
    "I'm not sure I subscribe to the legal theory that this was not a crime of passion.",
    'Perhaps The Globe should study where some of their subscribers originate.',
    'Follow me on this: the levy was never meant to pay for the bridge.',
    'Look at me, a pensioner, paying more council tax than the developer.',
    'Our video of the flood went to the council, and my vote goes to whoever fixes the drains.',
  ])('leaves news readers alone: %s', async (body) => {
    const r = await run(body);
    expect(r.reasons).toEqual([]);
    expect(r.corroborates).toBeUndefined();
  });

  it('counts messaging handles and earnings talk as signals, but not as corroboration (real commenters use them)', async () => {
    const r = await run('message me on whatsapp, I earn $500 an hour from home');
    expect(r.reasons.map((x) => x.code)).toEqual(['messaging_contact', 'earnings_claim']);
    expect(r.corroborates).toBeUndefined();
  });

  it("holds, never corroborates, a reader passing on the council's helpline", async () => {
    const r = await run('If your bins were missed too, call the council helpline on 0300 123 4567 and give them the street name.');
    expect(r.reasons.map((x) => x.code)).toEqual(['support_number']);
    expect(r.corroborates).toBeUndefined();
  });

  it('names anchor-text links in HTML and Markdown', async () => {
    expect(await codes('Nice. <a href="https://x.example/">best roofing company</a>')).toContain('anchor_link');
    expect(await codes('See [cheap flights](https://x.example/deals)')).toContain('anchor_link');
    expect(await codes('The list [1] in the report (https://x.example/r) is wrong')).not.toContain('anchor_link');
  });

  it('names a keyword-stuffed author name and the website field, but not a plain name or a cited site', async () => {
    expect(await codes('Thanks', { authorName: 'Best SEO Services London' })).toEqual(['keyword_author']);
    expect(await codes('Thanks', { authorName: 'Ann Design' })).toEqual([]);
    expect(await codes('Thanks', { authorUrl: 'https://roofing.example' })).toEqual(['author_website']);
    expect(await codes('Thanks', { authorUrl: 'https://www.theguardian.com/profile/ann' })).toEqual([]);
    expect(keywordAuthor('www.cheap-pills.example')).toBeTruthy();
  });

  it('reads only the first part of a very long comment, in linear time', () => {
    const hostile = `${'1-'.repeat(50_000)}x ${'@'.repeat(50_000)} ${'[a'.repeat(20_000)}`;
    const started = process.hrtime.bigint();
    findSignals(hostile, hostile, { hasLink: true, hasWebsite: true });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });
});

describe('the spam checks share one reading of each comment', () => {
  it('answers each body with its own text and number, however they alternate', () => {
    const a = 'Call SUPPORT on 0300 123 4567 &amp; ask';
    const b = 'A plain reader, no number here';
    expect(matchingText(a)).toBe('call support on 0300 123 4567 & ask');
    expect(matchingText(b)).toBe('a plain reader, no number here');
    expect(matchingText(a)).toBe('call support on 0300 123 4567 & ask');
    expect(findPhoneNumber(matchingText(a))).toBe('0300 123 4567');
    expect(findPhoneNumber(matchingText(b))).toBeNull();
    expect(findPhoneNumber(matchingText(a))).toBe('0300 123 4567');
  });
});
