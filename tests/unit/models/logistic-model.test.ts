import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DELTA_UNIT, LogisticSpamModel, MAX_LESSON_SHIFT } from '../../../src/models/logistic-model';
import { formatSnapshot, SHIPPED_MODEL_PATH } from '../../../src/models/shipped-model';
import { crossValidate, DEFAULT_TRAINING, trainSpamModel, type TrainingExample } from '../../../src/models/train-model';
import { DEFAULT_TOKENIZER_OPTIONS, FEATURE_VERSION } from '../../../src/models/tokenizer';
import { HOLD_LOGIT, SPAM_LOGIT } from '../../../src/models/operating-points';
import { loadSharedData, toTrainingExamples } from '../../../scripts/lib/shared-data';
import { loadTrainingExamples, SHIPPED_TRAINING_FILES } from '../../../scripts/lib/training-data';

const TINY: TrainingExample[] = [
  { input: { body: 'subscribe to my channel http://spam.example.com' }, label: 'spam', group: 'a' },
  { input: { body: 'check out my channel and subscribe' }, label: 'spam', group: 'a' },
  { input: { body: 'free gift cards at http://gifts.example.net' }, label: 'spam', group: 'b' },
  { input: { body: 'I love this song so much' }, label: 'ham', group: 'a' },
  { input: { body: 'the video is beautiful' }, label: 'ham', group: 'b' },
  { input: { body: 'this song reminds me of summer' }, label: 'ham', group: 'b' },
];

describe('text scaling', () => {
  const snapshot = (textScale?: number) => ({
    format: 'spam-logistic' as const,
    featureVersion: FEATURE_VERSION,
    tokenizer: { bigrams: false, authorName: false, shapes: false, ...(textScale ? { textScale } : {}) },
    bias: 0,
    learningRate: 0.5,
    features: [['if', 0.5, 10] as [string, number, number], ['link:referral', 1, 10] as [string, number, number]],
  });
  // 16 words, one of them "if", and a referral link: 16 text features.
  const long = { body: 'if one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen http://x.example/?ref=1' };

  it("counts each of a long comment's words for min(1, textScale / √k), links and shapes for 1", () => {
    // Act
    const scaled = LogisticSpamModel.fromJSON(snapshot(2));

    // Assert: 2 / √16 = 0.5 for "if"; the link feature counts in full.
    expect(scaled.logit(scaled.features(long))).toBeCloseTo(0.5 * 0.5 + 1, 9);
    expect(scaled.logit(scaled.features({ body: 'if only' }))).toBeCloseTo(0.5, 9);
    expect(scaled.classify(long).topTokens).toEqual([
      { token: 'link:referral', weight: 1 },
      { token: 'if', weight: 0.25 },
    ]);
  });

  it('reads a model saved without textScale as before: every feature counts 1', () => {
    // Act
    const old = LogisticSpamModel.fromJSON(snapshot());

    // Assert
    expect(old.logit(old.features(long))).toBeCloseTo(0.5 + 1, 9);
    expect(old.toJSON().tokenizer).not.toHaveProperty('textScale');
    expect(LogisticSpamModel.fromJSON(snapshot(2)).toJSON().tokenizer).toMatchObject({ textScale: 2 });
  });

  it('scales the online step the same way, so a long lesson moves each word less', () => {
    // Arrange
    const model = LogisticSpamModel.fromJSON(snapshot(2));

    // Act
    const short = model.learn({ body: 'zq' }, 'spam').deltas.find((d) => d.feature === 'zq')!.weight;
    const longStep = model.learn({ body: 'zz a1 b1 c1 d1 e1 f1 g1 h1 i1 j1 k1 l1 m1 n1 o1' }, 'spam').deltas.find((d) => d.feature === 'zz')!.weight;

    // Assert: both new words (count 0), error about 0.5; the long lesson's word counted 0.5.
    expect(short).toBeCloseTo(0.5 * 0.5, 2);
    expect(longStep).toBeCloseTo(0.5 * 0.5 * 0.5, 2);
  });
});

describe('trainSpamModel', () => {
  it('is deterministic: the same examples give the same snapshot', () => {
    // Act
    const first = trainSpamModel(TINY).toJSON();
    const second = trainSpamModel(TINY).toJSON();

    // Assert
    expect(second).toEqual(first);
  });

  it('learns which side each clue is on', () => {
    // Act
    const model = trainSpamModel(TINY);

    // Assert
    expect(model.weight('subscribe')).toBeGreaterThan(0);
    expect(model.weight('song')).toBeLessThan(0);
    expect(model.classify({ body: 'subscribe to my channel' }).spamProbability).toBeGreaterThan(0.5);
    expect(model.classify({ body: 'I love this song' }).spamProbability).toBeLessThan(0.5);
  });

  it('weighs a clue seen in one group only less than the same clue seen in several', () => {
    // Arrange: "alpha" marks spam in group a only, "beta" marks as much spam spread over a and b.
    const spam = (body: string, group: string): TrainingExample => ({ input: { body }, label: 'spam', group });
    const ham = (body: string, group: string): TrainingExample => ({ input: { body }, label: 'ham', group });
    const examples = [
      spam('alpha one', 'a'), spam('alpha two', 'a'), spam('beta three', 'a'), spam('beta four', 'b'),
      ham('five', 'a'), ham('six', 'a'), ham('seven', 'b'), ham('eight', 'b'),
    ];

    // Act
    const model = trainSpamModel(examples);
    const flat = trainSpamModel(examples, { ...DEFAULT_TRAINING, singleGroupL2: DEFAULT_TRAINING.l2 });

    // Assert: with equal penalties the two clues weigh the same; the single-group one is held back.
    expect(flat.weight('alpha')).toBeCloseTo(flat.weight('beta'), 6);
    expect(model.weight('alpha')).toBeGreaterThan(0);
    expect(model.weight('alpha')).toBeLessThan(model.weight('beta'));
  });

  it('reproduces the shipped model file (npm run train)', () => {
    // Arrange
    const shipped = readFileSync(resolve(process.cwd(), SHIPPED_MODEL_PATH), 'utf8');

    // Act
    const rows = loadSharedData().filter((row) => row.split === 'train');
    const retrained = formatSnapshot(trainSpamModel(toTrainingExamples(rows)).toJSON());

    // Assert
    expect(retrained === shipped).toBe(true);
  }, 180_000);
});

describe('LogisticSpamModel', () => {
  it('survives a JSON round-trip with identical scores', () => {
    // Arrange
    const model = trainSpamModel(TINY);
    const probe = { body: 'subscribe for free gift cards', authorName: 'Win Big' };

    // Act
    const copy = LogisticSpamModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));

    // Assert
    expect(copy.toJSON()).toEqual(model.toJSON());
    expect(copy.classify(probe)).toEqual(model.classify(probe));
  });

  it('refuses a snapshot of another format or feature version', () => {
    const snapshot = trainSpamModel(TINY).toJSON();
    expect(() => LogisticSpamModel.fromJSON({ ...snapshot, featureVersion: FEATURE_VERSION + 1 })).toThrow(/retrain/);
    expect(() => LogisticSpamModel.fromJSON({ ...snapshot, format: 'other' as 'spam-logistic' })).toThrow(/unknown spam model format/);
  });

  it('reports the strongest clues with their weights', () => {
    // Act
    const { topTokens } = trainSpamModel(TINY).classify({ body: 'subscribe to my channel' });

    // Assert
    expect(topTokens.length).toBeGreaterThan(0);
    expect(topTokens.map((t) => Math.abs(t.weight))).toEqual([...topTokens.map((t) => Math.abs(t.weight))].sort((a, b) => b - a));
  });

  describe('learn', () => {
    it('teaches words, pairs, hosts and names, never the shapes of the text or its links', () => {
      // Arrange
      const model = trainSpamModel(TINY);

      // Act
      const update = model.learn({ body: 'cheap watches at http://watches.example.com/?ref=9', authorName: 'Watch Shop' }, 'spam');

      // Assert
      const taught = update.deltas.map((d) => d.feature);
      expect(taught).toEqual(expect.arrayContaining(['cheap', 'cheap watches', 'domain:example.com', 'name:shop']));
      expect(taught.filter((f) => /^(?:shape|link|tld):/.test(f))).toEqual([]);
      expect(model.features({ body: 'cheap watches at http://watches.example.com/?ref=9' })).toEqual(
        expect.arrayContaining(['shape:links_1', 'link:referral', 'tld:com']),
      );
    });

    it("moderators' spam lessons do not drift plain readers' comments towards spam", () => {
      // Arrange: a model trained on two videos, and the spam of the third that it does not block
      // (what moderators would mark), taught three times over as new waves of it come in.
      const model = trainSpamModel(loadTrainingExamples(SHIPPED_TRAINING_FILES.slice(0, 2)));
      const news = (JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/news-comments.json'), 'utf8')) as { plain: { body: string; authorName: string }[] }).plain.map(
        (c) => ({ ...c, authorEmail: 'reader@gmail.com' }),
      );
      const over = (threshold: number) => news.filter((c) => model.logit(model.features(c)) >= threshold).length;
      const [heldBefore, blockedBefore] = [over(HOLD_LOGIT), over(SPAM_LOGIT)];
      const spam = loadTrainingExamples([SHIPPED_TRAINING_FILES[2]]).filter((e) => e.label === 'spam');

      // Act
      let lessons = 0;
      for (let round = 0; round < 3; round += 1) {
        for (const [i, e] of spam.entries()) {
          if (model.logit(model.features(e.input)) >= SPAM_LOGIT) continue;
          model.learn({ ...e.input, authorEmail: `spammer${i}@gmail.com` }, 'spam');
          lessons += 1;
        }
      }

      // Assert: dozens of lessons; at most one more plain comment held or blocked.
      expect(lessons).toBeGreaterThan(20);
      expect(over(HOLD_LOGIT)).toBeLessThanOrEqual(heldBefore + 1);
      expect(over(SPAM_LOGIT)).toBeLessThanOrEqual(blockedBefore + 1);
    });

    it('moves the score towards the label it is taught', () => {
      // Arrange
      const model = trainSpamModel(TINY);
      const comment = { body: 'visit my bakery downtown' };
      const before = model.classify(comment).spamProbability;

      // Act
      model.learn(comment, 'spam');
      const afterSpam = model.classify(comment).spamProbability;
      model.learn(comment, 'ham');
      model.learn(comment, 'ham');
      const afterHam = model.classify(comment).spamProbability;

      // Assert
      expect(afterSpam).toBeGreaterThan(before);
      expect(afterHam).toBeLessThan(afterSpam);
    });

    it('returns the update it applied, which another copy can replay', () => {
      // Arrange
      const model = trainSpamModel(TINY);
      const replica = LogisticSpamModel.fromJSON(model.toJSON());

      // Act
      const update = model.learn({ body: 'cheap watches here' }, 'spam');
      replica.apply(update);

      // Assert
      expect(update.label).toBe('spam');
      expect(update.deltas.every((d) => d.weight > 0)).toBe(true);
      expect(replica.toJSON()).toEqual(model.toJSON());
    });

    it('learns a new spam phrase from three moderator decisions, without tilting unrelated comments', () => {
      // Arrange: the shipped training data, and a comment the model would publish.
      const model = trainSpamModel(loadTrainingExamples(SHIPPED_TRAINING_FILES));
      const probe = { body: 'nice song, my cousin swears by quantum pharmacy deals', authorName: 'Mary' };
      const unrelated = { body: 'I love this song, the video is great', authorName: 'Bob' };
      const before = model.classify(probe).spamProbability;
      const unrelatedBefore = model.classify(unrelated).spamProbability;

      // Act
      model.learn({ body: 'quantum pharmacy deals are the best', authorName: 'A' }, 'spam');
      model.learn({ body: 'I recommend quantum pharmacy deals to everyone', authorName: 'B' }, 'spam');
      model.learn({ body: 'thanks for the post, quantum pharmacy deals', authorName: 'C' }, 'spam');
      const after = model.classify(probe).spamProbability;

      // Assert: from publishable to held (the hold anchor is 50%; each lesson is bounded, so it
      // takes more than one); an unrelated comment barely moves.
      expect(before).toBeLessThan(0.2);
      expect(after).toBeGreaterThan(1 / (1 + Math.exp(-HOLD_LOGIT)));
      expect(Math.abs(model.classify(unrelated).spamProbability - unrelatedBefore)).toBeLessThan(0.01);
    });
  });
});

describe('crossValidate', () => {
  it('scores each group with a model trained on the others', () => {
    // Act
    const scores = crossValidate(TINY, DEFAULT_TRAINING);

    // Assert
    expect(scores).toHaveLength(TINY.length);
    expect(scores.map((s) => s.group).sort()).toEqual(TINY.map((e) => e.group).sort());
  });

  it('needs at least two groups', () => {
    expect(() => crossValidate(TINY.map((e) => ({ ...e, group: 'one' })))).toThrow(/two groups/);
  });
});

describe('a lesson is bounded', () => {
  it('moves the score of the comment it was taught on by at most MAX_LESSON_SHIFT, however new its words', () => {
    // Arrange: a model that has never seen any of these words, so each step is as large as it gets.
    const model = LogisticSpamModel.fromJSON({ format: 'spam-logistic', featureVersion: FEATURE_VERSION, tokenizer: { ...DEFAULT_TOKENIZER_OPTIONS }, bias: -1.2, learningRate: 1.5, features: [] });
    const input = { body: 'zorbly quantum fizzwidget loans from the grand vizier, twelve brand new words here', authorName: 'Vizier' };
    const before = model.logit(model.features(input));

    // Act
    const update = model.learn(input, 'spam');
    const after = model.logit(model.features(input));

    // Assert
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThanOrEqual(MAX_LESSON_SHIFT + 1e-6);
    for (const d of update.deltas) expect(Number.isInteger(Math.round(d.weight / DELTA_UNIT))).toBe(true);
  });

  it('one "not spam" cannot take a comment the model is sure of to a pass', () => {
    const model = LogisticSpamModel.fromJSON({ format: 'spam-logistic', featureVersion: FEATURE_VERSION, tokenizer: { ...DEFAULT_TOKENIZER_OPTIONS }, bias: 2.94, learningRate: 1.5, features: [] });
    const input = { body: 'a comment the model is sure of, with words it has never seen', authorName: '' };
    model.learn(input, 'ham');
    expect(model.logit(model.features(input))).toBeGreaterThanOrEqual(2.94 - MAX_LESSON_SHIFT - 1e-6);
  });
});

describe('classify reads features unsorted, as the sorted path scores them', () => {
  const model = LogisticSpamModel.fromJSON(JSON.parse(readFileSync(resolve(process.cwd(), SHIPPED_MODEL_PATH), 'utf8')));
  const rows = loadSharedData().filter((r) => r.split === 'validation').slice(0, 400);
  const long = 'x'.repeat(40);

  it('gives the log-odds of logit(features()) and the strongest clues in the same order', () => {
    const inputs = [
      ...rows.map((r) => ({ body: r.content, authorName: r.author })),
      { body: `${long} check out my channel http://spam.example.com/?ref=9 ${long} my channel`, authorName: 'Official Gaming' },
      { body: 'The figure differs from the ministry report https://www.gov.example/budget and https://stats.example/r', authorName: '' },
    ];
    for (const input of inputs) {
      const features = model.features(input);
      const { spamProbability, topTokens } = model.classify(input);
      const z = model.logit(features);
      expect(Math.log(spamProbability / (1 - spamProbability))).toBeCloseTo(z, 6);
      // The reference: every feature's contribution, strongest first, equals in sorted order.
      const text = features.filter((f) => !f.includes(':')).length;
      const scale = Math.min(1, 2 / Math.sqrt(Math.max(1, text)));
      const expected = features
        .map((token) => ({ token, weight: Math.round(model.weight(token) * (token.includes(':') ? 1 : scale) * 1e6) / 1e6 }))
        .filter((t) => model.weight(t.token) !== 0)
        .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.token < b.token ? -1 : 1))
        .slice(0, 6);
      expect(topTokens).toEqual(expected);
    }
  });
});

describe('spellings inside words (charGrams, off in the shipped model)', () => {
  const tokenizer = { ...DEFAULT_TOKENIZER_OPTIONS, charGrams: 4 };
  const examples: TrainingExample[] = [
    ...TINY,
    { input: { body: 'subscribe subscribers subcribe sub2sub' }, label: 'spam', group: 'b' },
    { input: { body: 'the newsletter came out on sunday' }, label: 'ham', group: 'a' },
  ];
  const model = trainSpamModel(examples, { ...DEFAULT_TRAINING, iterations: 50, minCount: 1, tokenizer });

  it('reads each word padded as <word> in runs of four, each bucket once per comment', () => {
    const features = model.features({ body: 'subscribe subscribe' });
    const grams = features.filter((f) => f.startsWith('~'));
    // "<subscribe>" has 11 characters: 8 runs of four, all distinct.
    expect(grams).toHaveLength(8);
    expect(new Set(grams).size).toBe(8);
    expect(model.toJSON().tokenizer).toMatchObject({ charGrams: 4 });
  });

  it('scores as logit(features()) and names the word whose spelling carried weight', () => {
    for (const body of ['please subscribe to my channel', 'subscriberz wanted', 'the newsletter on sunday']) {
      const { spamProbability, topTokens } = model.classify({ body });
      expect(Math.log(spamProbability / (1 - spamProbability))).toBeCloseTo(model.logit(model.features({ body })), 6);
      expect(topTokens.every((t) => !t.token.startsWith('~'))).toBe(true);
    }
    expect(model.classify({ body: 'subscriberz wanted' }).topTokens.map((t) => t.token)).toContain('spelling:subscriberz');
  });

  it('leaves the spellings to training: a lesson moves words, not their runs of letters', () => {
    const copy = LogisticSpamModel.fromJSON(model.toJSON());
    const update = copy.learn({ body: 'subscriberz wanted now' }, 'spam');
    expect(update.deltas.length).toBeGreaterThan(0);
    expect(update.deltas.some((d) => d.feature.startsWith('~'))).toBe(false);
  });
});
