import { ERASED, identityMatchers, nameFeatures, scrubJson, scrubText, type ErasedIdentity } from '../../../src/moderation/erase-identity';

const identity: ErasedIdentity = {
  emails: ['ada@example.org'],
  names: ['Ada Lovelace'],
  urls: ['https://ada.example'],
  ips: ['198.51.100.7'],
  userAgents: ['AdaBrowser/1'],
  referrers: [],
};

describe('erase-identity', () => {
  it('erases the email and IP only as whole values, never inside another address', () => {
    const text = identityMatchers(identity, 'text');
    expect(scrubText('Mail ADA@example.org or bada@example.org or ada@example.org.uk; from 198.51.100.7 not 198.51.100.77', text)).toBe(
      `Mail ${ERASED} or bada@example.org or ada@example.org.uk; from ${ERASED} not 198.51.100.77`,
    );
  });

  it('erases the name as whole words in the author’s own rows only', () => {
    expect(scrubText('Ada Lovelace wrote; Ada Lovelaces did not', identityMatchers(identity, 'own'))).toBe(`${ERASED} wrote; Ada Lovelaces did not`);
    expect(scrubText('Ada Lovelace wrote', identityMatchers(identity, 'quoted'))).toBe('Ada Lovelace wrote');
  });

  it('erases author-field matches whole, the model’s name clues, and every match of a deleted comment', () => {
    const reasons = [
      { check: 'moderation_keys', reasons: [{ code: 'moderation_key', field: 'authorName', match: 'ada lovelace', message: 'x' }] },
      { check: 'classifier', reasons: [{ code: 'spam', field: 'body', match: 'name:ada, cheap', message: 'y' }] },
      { check: 'links', reasons: [{ code: 'links', field: 'body', match: 'http://x.example', message: 'z' }] },
    ];
    const own = scrubJson(reasons, identityMatchers(identity, 'own'), { own: true }) as typeof reasons;
    expect(own[0].reasons[0].match).toBe(ERASED);
    expect(own[1].reasons[0].match).toBe(`name:${ERASED}, cheap`);
    expect(own[2].reasons[0].match).toBe('http://x.example');
    const deleted = scrubJson(reasons, identityMatchers(identity, 'own'), { own: true, allMatches: true }) as typeof reasons;
    expect(deleted[2].reasons[0].match).toBe(ERASED);
  });

  it('names the spam-model word pairs that spell out the name', () => {
    expect(nameFeatures({ ...identity, names: ['Ada Lovelace', 'Ｃｈａｒｌｅｓ Babbage Jr'] })).toEqual(['ada lovelace', 'charles babbage', 'babbage jr']);
  });
});
