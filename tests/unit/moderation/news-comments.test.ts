import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadShippedModel } from '../../../src/models/shipped-model';
import { STATELESS_CHECKS } from '../../../src/moderation/checks';
import { moderate } from '../../../src/moderation/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import type { CheckContext, Decision, SpamClassifier } from '../../../src/moderation/types';

interface NewsComment {
  authorName: string;
  body: string;
}

const FIXTURE = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/news-comments.json'), 'utf8')) as {
  plain: NewsComment[];
  withSourceLink: NewsComment[];
};

/**
 * Plain comments the shipped model blocks today, a known limitation (docs/spam-eval.md): it is
 * trained on YouTube comments only, where "please check out…" and "subscribe to…" are spam's own
 * words. Listed so that a new one blocked, or one of these fixed, makes the test fail.
 */
const KNOWN_BLOCKED = ['Please check out the volunteer group', "I'd subscribe to the newsletter"];

/** The limit on ham held for review, applied to the service's own kind of comment. */
const MAX_HELD = 0.15;

/** A reader's comment as the worker sees it without stored history; no form token (a JSON client). */
function context(comment: NewsComment, i: number, classifier: SpamClassifier): CheckContext {
  return {
    comment: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      articleId: 'council-budget-2026',
      parentId: null,
      authorName: comment.authorName,
      authorEmail: `reader${i}@example.org`,
      authorUrl: null,
      body: comment.body,
      formToken: null,
    },
    request: { ip: '192.0.2.10', userAgent: 'Mozilla/5.0', referrer: null, receivedAt: '2026-03-02T09:00:00Z' },
    settings: { ...DEFAULT_SETTINGS },
    now: new Date('2026-03-02T09:00:00Z'),
    classifier,
    formTokenSecret: 'test-secret',
  };
}

describe('plain news comments through the shipped model and every stateless check', () => {
  const model = loadShippedModel();
  let decisions: { comment: NewsComment; decision: Decision }[];

  beforeAll(async () => {
    decisions = [];
    for (const [i, comment] of [...FIXTURE.plain, ...FIXTURE.withSourceLink].entries()) {
      decisions.push({ comment, decision: await moderate(STATELESS_CHECKS, context(comment, i, model)) });
    }
  });

  const plain = () => decisions.slice(0, FIXTURE.plain.length);

  it('blocks none of the plain comments besides the known YouTube-phrase cases', () => {
    // Act
    const blocked = plain()
      .filter(({ decision }) => decision.status === 'spam' || decision.status === 'rejected')
      .map(({ comment }) => comment.body);

    // Assert
    expect(blocked).toHaveLength(KNOWN_BLOCKED.length);
    for (const start of KNOWN_BLOCKED) expect(blocked.some((body) => body.startsWith(start))).toBe(true);
  });

  it('publishes most plain comments: at most 15% held for review', () => {
    // Act
    const held = plain().filter(({ decision }) => decision.status === 'pending').length;

    // Assert
    expect(held / FIXTURE.plain.length).toBeLessThanOrEqual(MAX_HELD);
  });

  it('explains every comment it does not publish with the classifier clues', () => {
    for (const { decision } of plain().filter(({ decision }) => decision.status !== 'approved')) {
      const classifier = decision.verdicts.find((v) => v.check === 'classifier');
      expect(classifier?.reasons[0]?.message).toMatch(/spam model/);
      expect(classifier?.reasons[0]?.match).toBeTruthy();
    }
  });

  it('sends the comment citing a source link to the Spam tab, naming the link (known limitation)', () => {
    // Act
    const [linked] = decisions.slice(FIXTURE.plain.length);
    const classifier = linked?.decision.verdicts.find((v) => v.check === 'classifier');

    // Assert: in the training videos a link is strong spam evidence (docs/spam-eval.md). Held
    // rather than blocked would be better; when a change gets there, this test should say so.
    expect(linked?.decision.status).toBe('spam');
    expect(classifier?.reasons[0]?.message).toMatch(/one link/);
  });
});
