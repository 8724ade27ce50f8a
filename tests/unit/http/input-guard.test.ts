import { containsNul } from '../../../src/http/input-guard';
import { wellFormed } from '../../../src/moderation/well-formed';

describe('containsNul', () => {
  it('finds a NUL in a string, a nested value or a key', () => {
    expect(containsNul('a\u0000b')).toBe(true);
    expect(containsNul({ a: [1, { b: 'x\u0000' }] })).toBe(true);
    expect(containsNul({ ['k\u0000']: 1 })).toBe(true);
  });

  it('passes text without one, and walks bodies nested far deeper than the call stack', () => {
    expect(containsNul({ body: 'plain \u0001 text', n: 1, ok: true, none: null })).toBe(false);
    const deep = JSON.parse(`${'['.repeat(100000)}"\u0000"${']'.repeat(100000)}`.replace('\u0000', '\\u0000'));
    expect(containsNul(deep)).toBe(true);
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates with U+FFFD and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(wellFormed('😀'.slice(0, 1))).toBe('\ufffd');
    expect(wellFormed('ok 😀 é')).toBe('ok 😀 é');
  });
});
