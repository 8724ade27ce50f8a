import { foldDigitLookalikes, normalizeText, stripHtml, wordTokens } from '../../../src/moderation/normalize';

describe('normalizeText', () => {
  it('lower-cases plain ASCII', () => {
    expect(normalizeText('Buy CIALIS now')).toBe('buy cialis now');
  });

  it('folds full-width and mathematical letters (NFKC)', () => {
    expect(normalizeText('ｃｉａｌｉｓ')).toBe('cialis');
    expect(normalizeText('𝐜𝐢𝐚𝐥𝐢𝐬')).toBe('cialis');
  });

  it('removes zero-width characters, soft hyphens and bidi marks inside words', () => {
    expect(normalizeText('ci\u200Dal\u200Bis')).toBe('cialis');
    expect(normalizeText('vi\u00ADag\u2060ra\u200E')).toBe('viagra');
  });

  it('folds Cyrillic and Greek look-alikes in words that are partly Latin', () => {
    expect(normalizeText('cіalis')).toBe('cialis'); // Cyrillic і
    expect(normalizeText('саsіnо')).toBe('casino'); // Cyrillic с, а, і, о
    expect(normalizeText('ΡΟΚΕR')).toBe('poker'); // Greek capitals
  });

  it('folds words made only of look-alikes', () => {
    expect(normalizeText('ѕех')).toBe('sex'); // Cyrillic ѕ, е, х
  });

  it('leaves real Cyrillic and Greek words alone', () => {
    expect(normalizeText('Привет, рынок')).toBe('привет, рынок');
    expect(normalizeText('Καλημέρα')).toBe('καλημέρα');
  });

  it('removes accents from Latin letters only', () => {
    expect(normalizeText('VIÁGRA Çafé')).toBe('viagra cafe');
    expect(normalizeText('йога')).toBe('йога');
  });
});

describe('foldDigitLookalikes', () => {
  it('reads digits as letters inside words that mix both', () => {
    expect(foldDigitLookalikes('buy v1agra and c1al1s')).toBe('buy viagra and cialis');
  });

  it('leaves numbers, prices and addresses alone', () => {
    expect(foldDigitLookalikes('5 mg for 10 dollars at 10.0.0.1')).toBeNull();
    expect(foldDigitLookalikes('take 5mg')).toBe('take smg');
  });
});

describe('stripHtml', () => {
  it('removes tags without splitting words and decodes entities', () => {
    expect(stripHtml('vi<b></b>agra &amp; c&#105;alis <a href="x">here</a>')).toBe('viagra & cialis here');
  });
});

describe('wordTokens', () => {
  it('splits on anything but letters, marks and digits', () => {
    expect(wordTokens('203.0.113.7 don’t stop').map((t) => t.value)).toEqual(['203', '0', '113', '7', 'don', 't', 'stop']);
  });
});
