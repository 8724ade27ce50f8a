import { randomBytes } from 'node:crypto';
import { createSharedClassifier } from '../../../src/models/shared-model';
import type { LearnFn } from '../../../src/http/moderators/review-routes';
import { startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

/** Made-up words no other test uses, so the lesson is this file's alone. */
const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tu', 've', 'sa', 'no', 'pe', 'di', 'gu', 'bo', 'fe', 'ri', 'zu', 'ha'];
const phrase = () =>
  Array.from({ length: 3 }, () => Array.from(randomBytes(4), (b) => SYLLABLES[b % SYLLABLES.length]).join('')).join(' ');

describe('spam / not-spam decisions teach the shared spam model', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  it('a phrase the model passes scores higher for the next comment once three comments with it are marked spam', async () => {
    const words = phrase();
    const sample = { body: `I agree with the point about the bridge budget and ${words} in the council.`, authorName: 'Pat', authorEmail: 'pat@newsroom.test', authorUrl: null };
    // Another process's copy of the model (a worker's): it sees the lessons after its refresh.
    const worker = await createSharedClassifier(h.pool, { refreshMs: 0 });
    const ruleTest = async () => {
      const res = await api.post('/api/moderation/rule-test', { comment: { ...sample, articleId: 'feedback' } });
      return res.body.decision.verdicts.find((v: { check: string }) => v.check === 'classifier');
    };
    try {
      const before = worker.classifier.classify(sample).spamProbability;
      const verdictBefore = await ruleTest();
      expect(verdictBefore.verdict).toBe('pass');

      for (let i = 0; i < 3; i += 1) {
        // Authors on a domain of their own, so the lesson does not spill onto other tests' example.org readers.
        const authorEmail = `buyer${i}@${SYLLABLES.slice(i, i + 3).join('')}.test`;
        const c = await seedComment(h.pool, { status: 'pending', body: `Great read ${i}! ${words} here.`, authorName: `Buyer ${i}`, authorEmail });
        expect((await api.post(`/api/moderation/comments/${c.id}/spam`, { expectedStatus: 'pending' })).status).toBe(200);
      }

      await worker.refresh();
      const after = worker.classifier.classify(sample).spamProbability;
      expect(after).toBeGreaterThan(before + 0.05);
      const verdictAfter = await ruleTest();
      expect(verdictAfter.score).toBeGreaterThan(verdictBefore.score);
    } finally {
      worker.close();
    }
  });
});

describe('which decisions teach the filter', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  const lessons: { body: string; label: string | null; key?: string }[] = [];
  const learn: LearnFn = async (input, label, opts) => {
    lessons.push({ body: input.body, label, key: opts?.key });
  };
  beforeAll(async () => {
    h = await startHarness({ worker: false, extras: () => ({ spamFilter: { learn } }) });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    lessons.length = 0;
  });

  it('spam teaches spam, not-spam teaches ham; trash, and approving from trash, take the lesson back', async () => {
    const c = await seedComment(h.pool, { status: 'pending', body: 'one' });
    await api.post(`/api/moderation/comments/${c.id}/spam`, { expectedStatus: 'pending' });
    await api.post(`/api/moderation/comments/${c.id}/not-spam`, { expectedStatus: 'spam' });
    await api.post(`/api/moderation/comments/${c.id}/trash`, { expectedStatus: 'approved' });
    await api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'trash' });
    expect(lessons).toEqual([
      { body: 'one', label: 'spam', key: `review:${c.id}` },
      { body: 'one', label: 'ham', key: `review:${c.id}` },
      { body: 'one', label: null, key: `review:${c.id}` },
      { body: 'one', label: null, key: `review:${c.id}` },
    ]);
  });

  it('publishing a held or blocked comment teaches ham under the comment key; unapproving takes it back', async () => {
    const held = await seedComment(h.pool, { status: 'pending', body: 'held then approved' });
    const blocked = await seedComment(h.pool, { status: 'spam', body: 'blocked then approved' });
    const fromTrash = await seedComment(h.pool, { status: 'trash', body: 'trashed then approved' });
    await api.post(`/api/moderation/comments/${held.id}/approve`, { expectedStatus: 'pending' });
    await api.post(`/api/moderation/comments/${blocked.id}/approve`, { expectedStatus: 'spam' });
    await api.post(`/api/moderation/comments/${fromTrash.id}/approve`, { expectedStatus: 'trash' });
    await api.post(`/api/moderation/comments/${held.id}/unapprove`, { expectedStatus: 'approved' });
    expect(lessons).toEqual([
      { body: 'held then approved', label: 'ham', key: `review:${held.id}` },
      { body: 'blocked then approved', label: 'ham', key: `review:${blocked.id}` },
      { body: 'trashed then approved', label: null, key: `review:${fromTrash.id}` },
      { body: 'held then approved', label: null, key: `review:${held.id}` },
    ]);
  });

  it('bulk spam teaches each comment that changed', async () => {
    const a = await seedComment(h.pool, { status: 'pending', body: 'bulk a' });
    const b = await seedComment(h.pool, { status: 'approved', body: 'bulk b' });
    await api.post('/api/moderation/bulk', { action: 'spam', ids: [a.id, b.id], expectedStatus: 'pending' });
    expect(lessons).toEqual([{ body: 'bulk a', label: 'spam', key: `review:${a.id}` }]);
  });
});
