import { civilityAttributeOf, PERSPECTIVE_ATTRIBUTES } from '../../../src/http/perspective/attributes';
import { PerspectiveError } from '../../../src/http/perspective/errors';
import { detectLanguage, isSupportedLanguage } from '../../../src/http/perspective/language';
import { analyzeResponse } from '../../../src/http/perspective/responses';
import { parseAnalyzeRequest, parseSuggestScoreRequest } from '../../../src/http/perspective/requests';
import type { CivilityAssessment } from '../../../src/http/perspective/civility-port';

function refusal(fn: () => unknown): PerspectiveError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PerspectiveError) return err;
    throw err;
  }
  throw new Error('expected a PerspectiveError');
}

describe('Perspective attributes', () => {
  it('maps every production and _EXPERIMENTAL name, PROFANITY to obscene', () => {
    expect(civilityAttributeOf('TOXICITY')).toBe('toxicity');
    expect(civilityAttributeOf('PROFANITY')).toBe('obscene');
    expect(civilityAttributeOf('IDENTITY_ATTACK_EXPERIMENTAL')).toBe('identity_attack');
    expect(civilityAttributeOf('SEVERE_TOXICITY_EXPERIMENTAL')).toBe('severe_toxicity');
    expect(PERSPECTIVE_ATTRIBUTES).toHaveLength(12);
  });
  it('knows nothing of other names, prototype keys included', () => {
    for (const name of ['FLIRTATION', 'toxicity', 'constructor', '__proto___EXPERIMENTAL', '_EXPERIMENTAL', 'SEXUALLY_EXPLICIT']) expect(civilityAttributeOf(name)).toBeUndefined();
  });
});

describe('parseAnalyzeRequest', () => {
  it('reads Coral’s request', () => {
    const req = parseAnalyzeRequest({ comment: { text: 'Hello' }, doNotStore: true, requestedAttributes: { TOXICITY: {} }, languages: ['en'] });
    expect(req).toEqual({ text: 'Hello', attributes: [{ name: 'TOXICITY', civility: 'toxicity' }], languages: ['en'], spanAnnotations: false, doNotStore: true });
  });
  it('keeps score thresholds and client tokens', () => {
    const req = parseAnalyzeRequest({ comment: { text: 'Hi' }, requestedAttributes: { INSULT: { scoreThreshold: 0.7, scoreType: 'PROBABILITY' } }, clientToken: 'c-1', spanAnnotations: true });
    expect(req.attributes[0]).toEqual({ name: 'INSULT', civility: 'insult', scoreThreshold: 0.7 });
    expect(req.clientToken).toBe('c-1');
    expect(req.spanAnnotations).toBe(true);
    expect(req.languages).toBeNull();
  });
  it.each([
    [{}, /Comment must be specified/],
    [{ comment: { text: 'a' } }, /requestedAttributes must be specified/],
    [{ comment: { text: 'a' }, requestedAttributes: {} }, /at least one attribute/],
    [{ comment: { text: 'a' }, requestedAttributes: { TOXICITY: { scoreType: 'RAW' } } }, /only PROBABILITY/],
    [{ comment: { text: 'a' }, requestedAttributes: { TOXICITY: { scoreThreshold: 2 } } }, /score_threshold/],
    [{ comment: { text: 'a', type: 'HTML' }, requestedAttributes: { TOXICITY: {} } }, /PLAIN_TEXT/],
    [{ comment: { text: 42 }, requestedAttributes: { TOXICITY: {} } }, /comment\.text/],
    [{ comment: { text: 'a' }, requestedAttributes: { TOXICITY: {} }, languages: 'en' }, /languages/],
    [{ comment: { text: 'a' }, requestedAttributes: { TOXICITY: {} }, doNotStore: 'yes' }, /doNotStore/],
    [[1, 2], /must be an object/],
  ])('refuses %j with a 400', (body, message) => {
    const err = refusal(() => parseAnalyzeRequest(body));
    expect(err.code).toBe(400);
    expect(err.status).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(message);
  });
  it('counts the 20 KB limit in UTF-8 bytes', () => {
    expect(() => parseAnalyzeRequest({ comment: { text: 'a'.repeat(20480) }, requestedAttributes: { TOXICITY: {} } })).not.toThrow();
    expect(refusal(() => parseAnalyzeRequest({ comment: { text: 'é'.repeat(10241) }, requestedAttributes: { TOXICITY: {} } })).message).toMatch(/20482 bytes/);
  });
});

describe('parseSuggestScoreRequest', () => {
  it('reads Coral’s feedback', () => {
    const req = parseSuggestScoreRequest({
      comment: { text: 'You idiot' },
      context: { entries: [{ text: '{}' }] },
      attributeScores: { TOXICITY: { summaryScore: { value: 1 } } },
      languages: ['en'],
      communityId: 'Coral:https://x',
      clientToken: 'comment:1',
    });
    expect(req).toEqual({ text: 'You idiot', scores: [{ name: 'TOXICITY', value: 1 }], languages: ['en'], clientToken: 'comment:1' });
  });
  it('needs a summary score within 0..1 for a known attribute', () => {
    expect(refusal(() => parseSuggestScoreRequest({ comment: { text: 'a' }, attributeScores: { TOXICITY: { spanScores: [] } } })).message).toMatch(/summaryScore/);
    expect(refusal(() => parseSuggestScoreRequest({ comment: { text: 'a' }, attributeScores: { NOPE: { summaryScore: { value: 1 } } } })).message).toMatch(/NOPE/);
    expect(refusal(() => parseSuggestScoreRequest({ comment: { text: 'a' }, attributeScores: { TOXICITY: { summaryScore: { value: -0.1 } } } })).code).toBe(400);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['What a load of rubbish. This budget is a stupid, lazy piece of work.', 'en'],
    ['idiot', 'en'],
    ['Das ist nicht wahr, und die Stadt hat auch nichts getan.', 'de'],
    ['Je ne suis pas d’accord avec vous, les chiffres sont faux et la ville le sait.', 'fr'],
    ['No es verdad, el ayuntamiento no ha hecho nada por los vecinos y lo sabe.', 'es'],
    ['Это неправда, город ничего не сделал.', 'ru'],
    ['これは本当ではありません。', 'ja'],
    ['这不是真的', 'zh'],
    ['🙇 123 !!!', 'und'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
  it('keeps English with a few foreign words in it', () => {
    expect(detectLanguage('The council says la vie est belle, but the roads are still a mess and the budget is late.')).toBe('en');
  });
  it('takes en and its regional tags only', () => {
    expect(['en', 'EN', 'en-GB', 'en_US'].every(isSupportedLanguage)).toBe(true);
    expect(['de', 'es', 'eng', 'und', ''].some(isSupportedLanguage)).toBe(false);
  });
});

describe('analyzeResponse', () => {
  const text = 'You 🐍 idiot, I will find you';
  const assessment: CivilityAssessment = {
    scores: { toxicity: 0.91, severe_toxicity: 0.2, insult: 0.85, threat: 0.4, identity_attack: 0.01, obscene: 0.05 },
    evidence: [
      { word: 'idiot', start: 7, end: 12, attribute: 'insult', weight: 2.1 },
      { word: 'find', start: 21, end: 25, attribute: 'threat', weight: 0.7 },
    ],
  };
  const parse = (extra: Record<string, unknown>) => parseAnalyzeRequest({ comment: { text }, requestedAttributes: { TOXICITY: {}, PROFANITY: {} }, ...extra });

  it('answers each attribute as the client named it, with one span over the whole comment in code points', () => {
    const res = analyzeResponse(parse({ languages: ['en'] }), assessment, 'en', () => 0);
    expect(res.attributeScores.TOXICITY.summaryScore).toEqual({ value: 0.91, type: 'PROBABILITY' });
    expect(res.attributeScores.PROFANITY.summaryScore.value).toBe(0.05);
    expect(res.attributeScores.TOXICITY.spanScores).toEqual([{ begin: 0, end: [...text].length, score: { value: 0.91, type: 'PROBABILITY' } }]);
    expect(res.languages).toEqual(['en']);
    expect(res.detectedLanguages).toEqual(['en']);
  });
  it('gives the weighed words as spans when asked, offsets in code points', () => {
    const res = analyzeResponse(
      parseAnalyzeRequest({ comment: { text }, requestedAttributes: { INSULT: {}, TOXICITY: {} }, spanAnnotations: true, clientToken: 't' }),
      assessment,
      'en',
      (word, attribute) => (word === 'idiot' && attribute === 'insult' ? 0.8 : 0.3),
    );
    expect(res.attributeScores.INSULT.spanScores).toEqual([{ begin: 6, end: 11, score: { value: 0.8, type: 'PROBABILITY' } }]);
    expect([...text].slice(6, 11).join('')).toBe('idiot');
    expect(res.attributeScores.TOXICITY.spanScores.map((s) => s.begin)).toEqual([6, 20]);
    expect(res.clientToken).toBe('t');
  });
  it('leaves out attributes under their scoreThreshold', () => {
    const res = analyzeResponse(parseAnalyzeRequest({ comment: { text }, requestedAttributes: { TOXICITY: { scoreThreshold: 0.5 }, THREAT: { scoreThreshold: 0.5 } } }), assessment, 'en', () => 0);
    expect(Object.keys(res.attributeScores)).toEqual(['TOXICITY']);
  });
});
