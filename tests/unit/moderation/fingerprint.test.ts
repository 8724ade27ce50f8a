import { CAMPAIGN_MIN_WORDS, fingerprintBody, MINHASH_SIZE, minhashMatches, NEAR_DUPLICATE_MATCHES } from '../../../src/moderation/fingerprint';

const TEXT = 'The council should publish the full budget figures before the vote next week so residents can compare the options properly';

/** As the campaign query decides: a shared band key, then enough agreeing signature positions. */
const nearIdentical = (a: string, b: string) => {
  const x = fingerprintBody(a);
  const y = fingerprintBody(b);
  return x.bands!.some((k) => y.bands!.includes(k)) && minhashMatches(x.minhash!, y.minhash!) >= NEAR_DUPLICATE_MATCHES;
};

describe('fingerprintBody', () => {
  it('gives the same fingerprint to texts that differ only in case, spacing, punctuation, markup or look-alikes', () => {
    const a = fingerprintBody(TEXT);
    const b = fingerprintBody(`<p>THE council, should publish   the full budget figures before the vote — next week; so residents can compare the options properly!</p>`);
    const c = fingerprintBody(TEXT.replace('council', 'cоuncil')); // Cyrillic о
    expect(b).toEqual(a);
    expect(c.hash).toBe(a.hash);
  });

  it('finds near-identical texts: a word added, replaced or a link swapped', () => {
    expect(nearIdentical(TEXT, `${TEXT} thanks`)).toBe(true);
    expect(nearIdentical(TEXT, TEXT.replace('residents', 'voters'))).toBe(true);
    const spam = 'Earn real money from home every single day with this simple method, details at https://one.example/offer now';
    expect(nearIdentical(spam, spam.replace('one.example', 'two.example'))).toBe(true);
  });

  it('keeps unrelated texts apart', () => {
    expect(nearIdentical(TEXT, 'I went to the harbour festival on Saturday and the brass band was wonderful, well worth the trip from town')).toBe(false);
    expect(nearIdentical(TEXT, 'The council should explain why the library budget was cut again when the figures show a surplus this year')).toBe(false);
  });

  it('has a signature and band keys only from CAMPAIGN_MIN_WORDS words on', () => {
    const a = fingerprintBody(TEXT);
    expect(a.minhash).toHaveLength(MINHASH_SIZE);
    expect(a.bands).toHaveLength(MINHASH_SIZE / 2);
    for (const n of [...a.minhash!, ...a.bands!]) expect(Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31).toBe(true);
    expect(fingerprintBody('Great article, thanks!')).toMatchObject({ minhash: null, bands: null, words: 3 });
    expect(fingerprintBody('one two three four five six seven eight').words).toBe(CAMPAIGN_MIN_WORDS);
    expect(fingerprintBody('one two three four five six seven eight').bands).not.toBeNull();
  });
});
