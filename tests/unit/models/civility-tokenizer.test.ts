import { civilityFeatures, DEFAULT_CIVILITY_TOKENIZER, foldWord, quotedSpans } from '../../../src/models/civility-tokenizer';
import { lexiconFamilies, unmask } from '../../../src/models/civility-lexicon';

const names = (text: string, allow?: ReadonlySet<string>) => civilityFeatures(text, undefined, allow).map((f) => f.feature);

describe('civilityFeatures', () => {
  it('marks a word aimed at the reader ("you are an idiot") and not a harsh opinion ("this policy is idiotic")', () => {
    expect(names('You are an idiot')).toEqual(expect.arrayContaining(['idiot', '@idiot', 'lex:insult', '@lex:insult']));
    const opinion = names('This policy is idiotic');
    expect(opinion).toContain('idiotic');
    expect(opinion.filter((f) => f.startsWith('@'))).toEqual([]);
    expect(opinion).not.toContain('lex:insult');
  });

  it('does not reach across a sentence for the reader: "Thank you. Idiots run the council."', () => {
    expect(names('Thank you. Idiots run the council.')).not.toContain('@idiots');
  });

  it('counts a quoted word for less than a used one', () => {
    const quoted = civilityFeatures('Calling people "idiots" is not an argument.').find((f) => f.feature === 'idiots');
    const used = civilityFeatures('Those people are idiots.').find((f) => f.feature === 'idiots');
    expect(quoted?.value).toBeLessThan(used?.value ?? 0);
  });

  it('points each content feature at the word in the input, offsets included', () => {
    const text = 'Well, YOU are a total moron!!';
    const moron = civilityFeatures(text).find((f) => f.feature === 'moron');
    expect(moron && text.slice(moron.start, moron.end)).toBe('moron');
    // Function words carry no span: they are never shown as evidence.
    expect(civilityFeatures(text).find((f) => f.feature === 'are')?.start).toBe(-1);
  });

  it('reads masked spellings as the word they hide', () => {
    expect(unmask('f*ck')).toBe('fuck');
    expect(names('what the f*ck')).toContain('lex:obscene');
    expect(unmask('a**hole')).toBe('asshole');
  });

  it('drops every feature of an allowed word, alone or in a pair', () => {
    const withPairs = { ...DEFAULT_CIVILITY_TOKENIZER, bigrams: true };
    const pairs = (text: string, allow?: ReadonlySet<string>) => civilityFeatures(text, withPairs, allow).map((f) => f.feature);
    const all = pairs('You are a liar');
    expect(all).toEqual(expect.arrayContaining(['liar', '@liar', 'are liar', 'lex:insult']));
    const allowed = pairs('You are a liar', new Set(['liar']));
    expect(allowed.filter((f) => f.includes('liar') || f.includes('lex:'))).toEqual([]);
  });

  it('reads a digit between letters as the letter it stands for, and leaves numbers alone', () => {
    expect(foldWord('Stup1d')).toBe('stupid');
    expect(foldWord('m0r0n')).toBe('moron');
    expect(foldWord('sh1t')).toBe('shit');
    for (const kept of ['covid19', '2nd', 'g20', '1990s', 'b4']) expect(foldWord(kept)).toBe(kept);
    expect(names('You are a stup1d m0r0n')).toEqual(expect.arrayContaining(['@stupid', '@moron', '@lex:insult']));
  });

  it('reads a word the same way however often it comes back (the bounded word cache)', () => {
    const once = civilityFeatures('You are an idiot, you idiot.');
    for (let i = 0; i < 30000; i += 1) civilityFeatures(`word${i} idiot`);
    expect(civilityFeatures('You are an idiot, you idiot.')).toEqual(once);
  });

  it('finds stock phrases word for word, a quoted one counting less', () => {
    const phrase = (text: string) => civilityFeatures(text).filter((f) => f.feature.startsWith('lex:phrase')).map((f) => [f.feature, f.value, text.slice(f.start, f.end)]);
    expect(phrase('Oh, shut up.')).toEqual([['lex:phrase', 1, 'shut up']]);
    expect(phrase('I hope you die')).toEqual([['lex:phrase_threat', 1, 'hope you die']]);
    expect(phrase('They told him "shut up" twice')).toEqual([['lex:phrase', 0.3, 'shut up']]);
    expect(phrase('shut the door and go up')).toEqual([]);
  });

  it('finds quotations but not apostrophes', () => {
    const text = "Don't call them 'idiots' here";
    expect(quotedSpans(text).map(([a, b]) => text.slice(a, b))).toEqual(['idiots']);
  });

  it('reads a hostile input in linear time', () => {
    // CPU time, not wall clock: the machine is shared.
    const started = process.cpuUsage();
    civilityFeatures(`${'a*'.repeat(10000)}b ${"'x".repeat(5000)} ${'"'.repeat(5000)} ${'a1'.repeat(10000)}a`);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});

describe('lexiconFamilies', () => {
  it('knows families by word and by stem, and leaves ordinary words alone', () => {
    expect(lexiconFamilies('morons')).toContain('insult');
    expect(lexiconFamilies('idiotic')).toEqual(['dismissive']);
    expect(lexiconFamilies('assessment')).toEqual([]);
    expect(lexiconFamilies('council')).toEqual([]);
  });
});
