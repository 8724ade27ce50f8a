import Perspective from 'perspective-api-client';
import { startHarness, type Harness } from '../../helpers/harness';
import { googleLookalike, newKeyFromCli } from '../../helpers/perspective';

/**
 * An unmodified third-party Perspective client, `perspective-api-client` (npm; its URL is fixed to
 * Google's host), reaching this service through its HTTP library's proxy variable.
 */
describe('Perspective API: the perspective-api-client npm package, unmodified', () => {
  let h: Harness;
  let key: string;
  let lookalike: Awaited<ReturnType<typeof googleLookalike>>;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    key = await newKeyFromCli(h.config, 'npm-client');
    lookalike = await googleLookalike(h.api.port);
  });
  afterAll(async () => {
    await lookalike?.close();
    await h?.close();
  });

  it('gets a Perspective-shaped answer from our model', async () => {
    const client = new Perspective({ apiKey: key });
    const insult = await client.analyze('You are a complete idiot and a moron.', { attributes: ['toxicity', 'insult', 'profanity'] });
    const civil = await client.analyze('Thank you for the clear report on the council budget.', { attributes: ['toxicity'] });
    expect(insult.attributeScores.TOXICITY.summaryScore.type).toBe('PROBABILITY');
    for (const name of ['TOXICITY', 'INSULT', 'PROFANITY']) {
      const v = insult.attributeScores[name].summaryScore.value;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(insult.attributeScores.TOXICITY.summaryScore.value).toBeGreaterThan(civil.attributeScores.TOXICITY.summaryScore.value);
    expect(insult.attributeScores.INSULT.summaryScore.value).toBeGreaterThan(0.5);
    expect(civil.attributeScores.TOXICITY.summaryScore.value).toBeLessThan(0.5);
    expect(insult.detectedLanguages).toEqual(['en']);
  });

  it('surfaces our errors through the client as it does Google’s', async () => {
    const wrong = new Perspective({ apiKey: `pk_${'0'.repeat(32)}` });
    await expect(wrong.analyze('hello')).rejects.toMatchObject({ name: 'ResponseError', message: 'The request is missing a valid API key.' });
    const client = new Perspective({ apiKey: key });
    await expect(client.analyze('hello', { attributes: ['flirtation'] })).rejects.toMatchObject({ message: expect.stringContaining('FLIRTATION') });
  });
});
