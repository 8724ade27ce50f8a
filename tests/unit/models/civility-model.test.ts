import { CIVILITY_ATTRIBUTES, CivilityModel, learnsOnline } from '../../../src/models/civility-model';
import { loadShippedCivilityModel } from '../../../src/models/civility';
import { MAX_LESSON_SHIFT } from '../../../src/models/logistic-model';
import { civilityFeatures } from '../../../src/models/civility-tokenizer';
import { DEFAULT_CIVILITY_TRAINING, fitLbfgs, ratioPenalties, trainCivilityModel, type CivilityExample } from '../../../src/models/train-civility';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';

const rated = (text: string, toxicity: number, extra: Partial<CivilityExample['targets']> = {}): CivilityExample => ({
  text,
  toxic: toxicity >= 0.5,
  targets: { toxicity, severe_toxicity: 0, insult: 0, threat: 0, identity_attack: 0, obscene: 0, ...extra },
});
const EXAMPLES: CivilityExample[] = [
  rated('you are an idiot and a moron', 0.9, { insult: 0.9 }),
  rated('what an idiot, you moron', 0.8, { insult: 0.8 }),
  rated('I will find you and hurt you', 0.7, { threat: 0.7 }),
  rated('the council budget is late again', 0),
  rated('the bridge budget is a fair plan', 0.1),
  rated('thanks for the fair report on the council', 0),
];
const OPTIONS = { ...DEFAULT_CIVILITY_TRAINING, iterations: 60, minCount: 1 };

describe('CivilityModel', () => {
  it('trains deterministically: the same data gives the same snapshot', () => {
    expect(JSON.stringify(trainCivilityModel(EXAMPLES, OPTIONS).toJSON())).toBe(JSON.stringify(trainCivilityModel(EXAMPLES, OPTIONS).toJSON()));
  });

  it('round-trips through its snapshot', () => {
    const model = trainCivilityModel(EXAMPLES, OPTIONS);
    const copy = CivilityModel.fromJSON(model.toJSON());
    expect(copy.assess('you moron')).toEqual(model.assess('you moron'));
  });

  it('refuses a snapshot of another format', () => {
    expect(() => CivilityModel.fromJSON({ ...trainCivilityModel(EXAMPLES, OPTIONS).toJSON(), format: 'spam-logistic' as never })).toThrow(/format/);
  });

  it('moves the comment it is taught on by at most MAX_LESSON_SHIFT log-odds, on the toxicity head only', () => {
    const model = trainCivilityModel(EXAMPLES, OPTIONS);
    const text = 'the budget office are clowns and crooks';
    const z = (m: CivilityModel) => m.logits(civilityFeatures(text, m.tokenizer));
    const before = z(model);
    const update = model.learn({ text }, 'abusive');
    const after = z(model);
    expect(after[0]! - before[0]!).toBeGreaterThan(0);
    expect(after[0]! - before[0]!).toBeLessThanOrEqual(MAX_LESSON_SHIFT + 1e-6);
    for (let h = 1; h < CIVILITY_ATTRIBUTES.length; h += 1) expect(after[h]).toBe(before[h]);
    expect(update.deltas.every((d) => d.feature.startsWith('toxicity|'))).toBe(true);
  });

  it('never teaches function words, shapes or word families', () => {
    const model = trainCivilityModel(EXAMPLES, OPTIONS);
    const taught = model.learn({ text: 'you are the worst, you idiot!!' }, 'abusive').deltas.map((d) => d.feature.slice('toxicity|'.length));
    expect(taught).toContain('idiot');
    for (const feature of ['you', 'are', 'the', 'you are', 'shape:exclaims', 'lex:insult', '@lex:insult']) expect(taught).not.toContain(feature);
    expect(learnsOnline('the')).toBe(false);
    expect(learnsOnline('@idiot')).toBe(true);
  });
});

describe('fitting', () => {
  // Feature 0 in every comment (tells nothing), feature 1 only in the toxic ones, feature 2 only in the civil ones.
  const docs = [Int32Array.from([0, 1]), Int32Array.from([0, 1]), Int32Array.from([0, 2]), Int32Array.from([0, 2]), Int32Array.from([0])];
  const targets = [0.9, 0.7, 0.1, 0, 0.2];

  it('scales each penalty by how telling the feature is: a feature in every comment is held, a telling one is free', () => {
    const penalty = ratioPenalties(docs, targets, 3, 0.01, 9);
    expect(penalty[0]).toBeGreaterThan(10 * (penalty[1] as number));
    expect(penalty[0]).toBeGreaterThan(10 * (penalty[2] as number));
    expect(Array.from(ratioPenalties(docs, targets, 3, 0.01, 0))).toEqual([0.01, 0.01, 0.01]);
  });

  it('L-BFGS reaches the minimum: the gradient of the loss is zero there, and the fit is deterministic', () => {
    const data = { docs, values: docs.map((d) => new Float64Array(d.length).fill(1)), targets, weights: [1, 1, 1, 1, 1], penalty: new Float64Array(3).fill(0.01), kept: new Uint8Array(3).fill(1) };
    const fit = fitLbfgs(data, 200);
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const grad = new Float64Array(4);
    docs.forEach((doc, i) => {
      let z = fit.bias;
      for (const id of doc) z += fit.weights[id] as number;
      const e = (sigmoid(z) - (targets[i] as number)) / docs.length;
      grad[3] += e;
      for (const id of doc) grad[id] += e;
    });
    for (let j = 0; j < 3; j += 1) grad[j] += 0.01 * (fit.weights[j] as number);
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-4);
    expect(fit.weights[1]).toBeGreaterThan(0);
    expect(fit.weights[2]).toBeLessThan(0);
    expect(Array.from(fitLbfgs(data, 200).weights)).toEqual(Array.from(fit.weights));
  });
});

describe('the shipped civility model', () => {
  const model = loadShippedCivilityModel();
  const threshold = DEFAULT_SETTINGS.civilityHoldThreshold;
  const toxicity = (text: string) => model.assess(text).scores.toxicity;

  it('holds personal insults, threats and identity attacks at the default threshold', () => {
    for (const text of ['You are an idiot.', 'Shut up, you stupid moron.', 'I will kill you, you piece of garbage.', 'Go back to where you came from, you filthy savages.']) {
      expect({ text, held: toxicity(text) >= threshold }).toEqual({ text, held: true });
    }
  });

  it('passes the near-misses: a harsh opinion of a policy, quoting an insult to criticise it, plain news talk', () => {
    for (const text of [
      'This policy is idiotic.',
      'Calling people "idiots" is not an argument, and it does not help the debate.',
      'The council approved the budget on Tuesday after a long debate.',
      'I disagree with the minister: the figures in the report do not add up.',
    ]) expect({ text, held: toxicity(text) >= threshold }).toEqual({ text, held: false });
  });

  it('reads a digit standing for a letter as the letter: "stup1d m0r0n" is held like "stupid moron"', () => {
    expect(toxicity('You are a stup1d m0r0n.')).toBeCloseTo(toxicity('You are a stupid moron.'), 6);
    expect(toxicity('You are a stup1d m0r0n.')).toBeGreaterThanOrEqual(threshold);
  });

  it('holds stock abuse said in ordinary words (the phrase family), and not the same words in news talk', () => {
    for (const text of ['Shut up.', 'Go to hell.', 'I hope you die.', 'You should be shot.', 'Go back to where you came from.']) {
      expect({ text, held: toxicity(text) >= threshold }).toEqual({ text, held: true });
    }
    for (const text of ['The shop had to shut early on Sunday.', 'We hope you enjoy the festival.', 'The council will go back to the plan it came up with.']) {
      expect({ text, held: toxicity(text) >= threshold }).toEqual({ text, held: false });
    }
  });

  it('rates "you are an idiot" above "this policy is idiotic": aiming at a person weighs', () => {
    expect(toxicity('You are an idiot.')).toBeGreaterThan(toxicity('This policy is idiotic.') + 0.2);
  });

  it('shows content words as evidence, never function words, with offsets into the text', () => {
    const text = 'You are an idiot and a moron, and everyone knows it.';
    const { evidence } = model.assess(text);
    const words = evidence.filter((e) => e.attribute === 'insult').map((e) => e.word.toLowerCase());
    expect(words).toEqual(expect.arrayContaining(['idiot', 'moron']));
    for (const e of evidence) {
      expect(text.slice(e.start, e.end)).toBe(e.word);
      expect(['you', 'are', 'an', 'and', 'a', 'it']).not.toContain(e.word.toLowerCase());
    }
  });

  it('ignores the words of the allow-list', () => {
    const text = 'The minister is a liar and a hypocrite.';
    const allow = new Set(['liar', 'hypocrite']);
    expect(model.assess(text, { allow }).scores.insult).toBeLessThan(model.assess(text).scores.insult);
    expect(model.assess(text, { allow }).evidence.map((e) => e.word.toLowerCase())).not.toContain('liar');
  });
});
