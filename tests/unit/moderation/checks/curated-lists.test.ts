import { DEFAULT_DATA_DIR } from '../../../../scripts/lib/shared-data';
import { listedHost, listedPhrase, loadCuratedLists, parseCuratedLists } from '../../../../src/models/curated-lists';
import { curatedListsCheck } from '../../../../src/moderation/checks/curated-lists';
import { checkContext } from '../../../helpers/check-context';

const LISTS = parseCuratedLists({
  websites: 'kynix\\.com\nbeauty(?:skin|forever)\n//sh\\.st/\npub4sure\\.com\n',
  numbers: '1 (866) 978-6819\n+2348147347417\n12\n',
  keywords: '# comment\nbring back lost love\n(?i)viagra\\w*\nkitchen\\s+for\\s+sale\n',
});
const run = (body: string, authorUrl: string | null = null) => curatedListsCheck.run(checkContext({ comment: { body, authorUrl }, curatedLists: LISTS }));

describe('parseCuratedLists', () => {
  it('keeps literal domains, numbers and plain phrases, and counts the regexes it skips', () => {
    expect([...LISTS.hosts]).toEqual(['kynix.com', 'pub4sure.com']);
    expect([...LISTS.numbers]).toEqual(['18669786819', '2348147347417']);
    expect([...LISTS.phrases]).toEqual(['bring back lost love', 'kitchen for sale']);
    expect(LISTS.skipped).toEqual({ websites: 2, numbers: 1, keywords: 1 });
  });

  it('finds the same phrase with and without the first-word shortcut', () => {
    expect([...(LISTS.phraseStarts ?? [])]).toEqual(['bring', 'kitchen']);
    const slow = { ...LISTS, phraseStarts: undefined };
    // Texts made of the phrases' words and others, some holding a phrase whole.
    const pieces = ['bring back lost love', 'kitchen for sale', 'bring back', 'kitchen', 'for', 'sale', 'lost love', 'the', 'council'];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % pieces.length;
    let found = 0;
    for (let n = 0; n < 2000; n++) {
      const words = Array.from({ length: 1 + (n % 6) }, next).flatMap((i) => pieces[i].split(' '));
      const fast = listedPhrase(LISTS, words);
      expect(fast).toBe(listedPhrase(slow, words));
      if (fast) found += 1;
    }
    expect(found).toBeGreaterThan(100);
    expect(listedPhrase(LISTS, 'please bring back lost love now'.split(' '))).toBe('bring back lost love');
  });

  it('matches a listed site and its subdomains, never a longer name that ends the same', () => {
    expect(listedHost(LISTS, 'www.kynix.com')).toBe('kynix.com');
    expect(listedHost(LISTS, 'notkynix.com')).toBeNull();
    expect(listedHost(LISTS, 'kynix.com.example')).toBeNull();
  });

  it('loads SmokeDetector lists from the shared data folder', () => {
    const lists = loadCuratedLists(DEFAULT_DATA_DIR);
    expect(lists?.hosts.size).toBeGreaterThan(3000);
    expect(lists?.numbers.size).toBeGreaterThan(100);
    expect(loadCuratedLists('/nonexistent')).toBeNull();
  });
});

describe('curatedListsCheck', () => {
  it('bins a link to a listed spam site, naming it', async () => {
    const r = await run('Great components at https://www.kynix.com/parts cheap');
    expect(r.verdict).toBe('spam');
    expect(r.reasons[0]).toMatchObject({ code: 'curated_spam_site', match: 'kynix.com' });
    expect(r.weak).toBeUndefined();
  });

  it('bins a listed site in the website field and a listed support number', async () => {
    expect((await run('Thanks', 'http://pub4sure.com')).verdict).toBe('spam');
    expect((await run('Call Quickbooks support on +1 (866) 978-6819 today')).reasons.map((x) => x.code)).toEqual(['curated_spam_number']);
  });

  it('adds weak points for a listed phrase', async () => {
    const r = await run('Dr Ade will bring back lost love in two days');
    expect(r).toMatchObject({ verdict: 'pass', score: 3, weak: true, reasons: [{ code: 'curated_spam_phrase' }] });
  });

  it('passes a news comment citing its sources, and has no opinion without lists', async () => {
    expect(await run('See https://www.bbc.co.uk/news/1 and call 0113 496 0000 for the council.')).toEqual({ check: 'curated_lists', verdict: 'pass', score: 0, reasons: [] });
    expect((await curatedListsCheck.run(checkContext({ comment: { body: 'https://kynix.com' } }))).verdict).toBe('pass');
  });
});
