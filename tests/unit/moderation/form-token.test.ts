import { assessFormToken, signFormToken, verifyFormToken } from '../../../src/moderation/form-token';

const SECRET = 'unit-test-form-token-secret-0123';
const ISSUED = new Date('2026-05-01T12:00:00.000Z');
const at = (seconds: number) => new Date(ISSUED.getTime() + seconds * 1000);
const expect_ = { articleId: 'budget-2026', minSubmitSeconds: 3, maxAgeSeconds: 3600 };

describe('signFormToken / verifyFormToken', () => {
  it('round-trips the article id and issue time', () => {
    const token = signFormToken(SECRET, 'budget-2026/ünïcode', ISSUED);
    expect(verifyFormToken(SECRET, token)).toEqual({ valid: true, articleId: 'budget-2026/ünïcode', issuedAt: ISSUED });
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyFormToken(SECRET, signFormToken('some-other-secret-0123456789', 'a', ISSUED))).toEqual({ valid: false, problem: 'bad_signature' });
  });

  it('refuses a token whose time or article was changed', () => {
    const [v, ms, article, mac] = signFormToken(SECRET, 'a', ISSUED).split('.');
    expect(verifyFormToken(SECRET, [v, String(Number(ms) - 60000), article, mac].join('.'))).toMatchObject({ valid: false, problem: 'bad_signature' });
    expect(verifyFormToken(SECRET, [v, ms, Buffer.from('b').toString('base64url'), mac].join('.'))).toMatchObject({ valid: false, problem: 'bad_signature' });
  });

  it.each(['', 'garbage', 'v1.x.y.z', 'v2.1.YQ.AAAA', 'v1.123.YQ'])('calls %p malformed', (token) => {
    expect(verifyFormToken(SECRET, token)).toEqual({ valid: false, problem: 'malformed' });
  });
});

describe('assessFormToken', () => {
  const token = signFormToken(SECRET, 'budget-2026', ISSUED);

  it('is ok after minSubmitSeconds and before expiry', () => {
    expect(assessFormToken(SECRET, token, { ...expect_, receivedAt: at(30) })).toEqual({ status: 'ok', elapsedSeconds: 30 });
  });

  it('is too soon before minSubmitSeconds', () => {
    expect(assessFormToken(SECRET, token, { ...expect_, receivedAt: at(1.5) })).toEqual({ status: 'too_soon', elapsedSeconds: 1.5 });
  });

  it('is expired after maxAgeSeconds', () => {
    expect(assessFormToken(SECRET, token, { ...expect_, receivedAt: at(3601) }).status).toBe('expired');
  });

  it('names the other article', () => {
    expect(assessFormToken(SECRET, token, { ...expect_, articleId: 'other', receivedAt: at(30) })).toEqual({ status: 'other_article', tokenArticleId: 'budget-2026' });
  });

  it('treats a token from well in the future as forged, and small clock skew as too soon', () => {
    expect(assessFormToken(SECRET, token, { ...expect_, receivedAt: at(-120) })).toEqual({ status: 'forged', problem: 'from_future' });
    expect(assessFormToken(SECRET, token, { ...expect_, receivedAt: at(-5) })).toEqual({ status: 'too_soon', elapsedSeconds: 0 });
  });
});
