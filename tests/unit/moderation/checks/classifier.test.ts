import { CORROBORATED_LOGIT, HOLD_LOGIT, SPAM_LOGIT, ZERO_LOGIT } from '../../../../src/models/operating-points';
import { classifierCheck } from '../../../../src/moderation/checks/classifier';
import { DEFAULT_SETTINGS } from '../../../../src/moderation/settings';
import type { CheckContext, SpamClassifier } from '../../../../src/moderation/types';

function context(classifier?: SpamClassifier): CheckContext {
  return {
    comment: {
      id: '00000000-0000-4000-8000-000000000001',
      articleId: 'a1',
      parentId: null,
      authorName: 'Reader',
      authorEmail: 'reader@example.com',
      authorUrl: null,
      body: 'subscribe to my channel',
    },
    request: { ip: null, userAgent: null, referrer: null, receivedAt: '2026-01-01T00:00:00Z' },
    settings: { ...DEFAULT_SETTINGS },
    now: new Date('2026-01-01T00:00:00Z'),
    ...(classifier ? { classifier } : {}),
  };
}

const stub = (spamProbability: number): SpamClassifier => ({
  classify: () => ({
    spamProbability,
    topTokens: [
      { token: 'subscribe', weight: 2.1 },
      { token: 'shape:links_0', weight: -2.8 },
      { token: 'domain:youtube.com', weight: 0.9 },
    ],
  }),
});

describe('classifierCheck', () => {
  it('is ready to bin beside a spam-shaped signal from the corroborated anchor up to its own spam anchor, and only there', async () => {
    const at = (logit: number) => 1 / (1 + Math.exp(-logit));
    expect(((await classifierCheck.run(context(stub(at(CORROBORATED_LOGIT + 0.01))))) as { binIfCorroborated?: boolean }).binIfCorroborated).toBe(true);
    expect(((await classifierCheck.run(context(stub(at(CORROBORATED_LOGIT - 0.01))))) as { binIfCorroborated?: boolean }).binIfCorroborated).toBeUndefined();
    const sure = await classifierCheck.run(context(stub(at(SPAM_LOGIT + 0.5))));
    expect(sure).toMatchObject({ verdict: 'spam' });
    expect((sure as { binIfCorroborated?: boolean }).binIfCorroborated).toBeUndefined();
  });

  it('returns spam with the probability and the spam-ward clues when the model is sure', async () => {
    // Act
    const result = await classifierCheck.run(context(stub(0.99)));

    // Assert
    expect(result.verdict).toBe('spam');
    expect(result.score).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.spamThreshold);
    expect(result.reasons).toEqual([
      {
        code: 'classifier_spam',
        message: 'The spam model rates this 99% likely spam ("subscribe", host youtube.com).',
        field: 'body',
        match: 'subscribe, domain:youtube.com',
      },
    ]);
  });

  it('returns review when the model is unsure', async () => {
    // Act
    const result = await classifierCheck.run(context(stub(0.5)));

    // Assert
    expect(result.verdict).toBe('review');
    expect(result.score).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.holdThreshold);
    expect(result.score).toBeLessThan(DEFAULT_SETTINGS.spamThreshold);
    expect(result.reasons[0]?.code).toBe('classifier_unsure');
  });

  it('passes with no points when the model is sure it is ham', async () => {
    // Act
    const result = await classifierCheck.run(context(stub(0.00001)));

    // Assert
    expect(result).toEqual({ check: 'classifier', verdict: 'pass', score: 0, reasons: [] });
  });

  it('passes with a few points, and says why, when the model leans a little to spam', async () => {
    // Arrange: log-odds halfway between the zero and hold anchors.
    const probability = 1 / (1 + Math.exp(-(ZERO_LOGIT + HOLD_LOGIT) / 2));

    // Act
    const result = await classifierCheck.run(context(stub(probability)));

    // Assert
    expect(result.verdict).toBe('pass');
    expect(result.score).toBeGreaterThan(0);
    expect(result.reasons[0]?.code).toBe('classifier_score');
  });

  it('follows the site thresholds for the verdict', async () => {
    // Arrange
    const ctx = context(stub(0.97));
    ctx.settings = { ...ctx.settings, spamThreshold: 50, holdThreshold: 40 };

    // Act
    const result = await classifierCheck.run(ctx);

    // Assert
    expect(result.verdict).toBe('pass');
  });

  it('never names function words, length buckets or light weights as evidence', async () => {
    // Arrange
    const classifier: SpamClassifier = {
      classify: () => ({
        spamProbability: 0.6,
        topTokens: [
          { token: 'for', weight: 1.2 },
          { token: 'out of', weight: 0.9 },
          { token: 'shape:words_32_plus', weight: 0.8 },
          { token: 'whatsapp', weight: 0.7 },
          { token: 'our', weight: 0.5 },
          { token: 'budget', weight: 0.1 },
        ],
      }),
    };

    // Act
    const result = await classifierCheck.run(context(classifier));

    // Assert
    expect(result.reasons[0]?.message).toBe(
      'The spam model is unsure: 60% likely spam ("whatsapp"). Binned if it also promotes a channel or site, hides a link in anchor text or has an advert for a name.',
    );
    expect(result.reasons[0]?.match).toBe('whatsapp');
  });

  it('sends the comment to review with spam_check_unavailable when no model is loaded', async () => {
    // Act
    const result = await classifierCheck.run(context());

    // Assert
    expect(result).toEqual({
      check: 'classifier',
      verdict: 'review',
      score: 0,
      reasons: [{ code: 'spam_check_unavailable', message: 'The spam model is not loaded, so a moderator should look.' }],
    });
  });
});
