import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { eventually } from '../../helpers/harness';
import { createSharedClassifier } from '../../../src/models/shared-model';
import { spamModelStore } from '../../../src/models/model-store';
import type { SpamModelSnapshot } from '../../../src/models/logistic-model';
import { trainSpamModel, type TrainingExample } from '../../../src/models/train-model';

const EXAMPLES: TrainingExample[] = [
  { input: { body: 'subscribe to my channel http://spam.example.com' }, label: 'spam', group: 'a' },
  { input: { body: 'check out my channel and subscribe' }, label: 'spam', group: 'a' },
  { input: { body: 'free gift cards at http://gifts.example.net' }, label: 'spam', group: 'b' },
  { input: { body: 'I love this song so much' }, label: 'ham', group: 'a' },
  { input: { body: 'the video is beautiful' }, label: 'ham', group: 'b' },
  { input: { body: 'this song reminds me of summer' }, label: 'ham', group: 'b' },
];
const SNAPSHOT: SpamModelSnapshot = trainSpamModel(EXAMPLES).toJSON();
/** A shipped model of an earlier release: same features, other weights. */
const OLDER: SpamModelSnapshot = trainSpamModel(EXAMPLES.slice(1)).toJSON();
const PHRASE = { body: 'order quantum pharmacy deals today', authorName: 'Seller' };

/**
 * This file truncates the spam model and stores toy ones; the other files' workers read the run's
 * database at the same time, and would classify with them. So it works on copies of the model's
 * tables in a schema of its own (the repository's queries name no schema: search_path picks it).
 */
const SCHEMA = `spam_model_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const TABLES = ['spam_model', 'spam_model_features', 'spam_model_lessons'];
const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 6, options: `-c search_path=${SCHEMA}` });

beforeAll(async () => {
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const table of TABLES) await pool.query(`CREATE TABLE ${SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await pool.end();
});

beforeEach(async () => {
  await pool.query(`TRUNCATE ${TABLES.join(', ')}`);
});

describe('spam model repository', () => {

  it('seeds an empty database once, then leaves it alone', async () => {
    // Act
    const first = await spamModelStore.ensureSeeded(pool, SNAPSHOT);
    const second = await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Assert
    expect([first, second]).toEqual([{ action: 'seeded' }, { action: 'current' }]);
    expect((await spamModelStore.load(pool))?.model.toJSON()).toEqual(SNAPSHOT);
  });

  it('seeds exactly once when several workers start together', async () => {
    // Act
    const results = await Promise.all([1, 2, 3, 4].map(() => spamModelStore.ensureSeeded(pool, SNAPSHOT)));

    // Assert
    expect(results.filter((r) => r.action === 'seeded')).toHaveLength(1);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM spam_model_features');
    expect(Number(rows[0]?.n)).toBe(SNAPSHOT.features.length);
  });

  it('replaces a stored model of another feature version', async () => {
    // Arrange
    await spamModelStore.save(pool, SNAPSHOT);
    await pool.query('UPDATE spam_model SET feature_version = feature_version - 1');

    // Act
    const seeded = await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Assert
    expect(seeded).toEqual({ action: 'seeded' });
    expect((await spamModelStore.load(pool))?.model.toJSON()).toEqual(SNAPSHOT);
  });

  it('takes a newer shipped model when the stored one has not been taught since it was seeded', async () => {
    // Arrange: seeded from an older shipped model, nothing learnt since
    await spamModelStore.ensureSeeded(pool, OLDER);
    const before = await spamModelStore.readStamp(pool);

    // Act
    const outcome = await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Assert: the new weights, and a new generation so running workers reload them
    expect(outcome).toEqual({ action: 'seeded' });
    expect((await spamModelStore.load(pool))?.model.toJSON()).toEqual(SNAPSHOT);
    expect((await spamModelStore.readStamp(pool))?.generation).toBe((before?.generation ?? 0) + 1);
    expect(await spamModelStore.ensureSeeded(pool, SNAPSHOT)).toEqual({ action: 'current' });
  });

  it('keeps a model moderators have taught, and replaceWithShipped takes the new one on purpose', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, OLDER);
    await spamModelStore.learn(pool, PHRASE, 'spam');
    await spamModelStore.learn(pool, { body: 'a lovely song' }, 'ham');

    // Act
    const outcome = await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Assert
    expect(outcome).toEqual({ action: 'kept', reason: 'taught', lessonsSinceSeed: 2 });
    expect((await spamModelStore.load(pool))?.model.toJSON().bias).toBe(OLDER.bias);
    await spamModelStore.replaceWithShipped(pool, SNAPSHOT);
    expect((await spamModelStore.load(pool))?.model.toJSON()).toEqual(SNAPSHOT);
    expect(await spamModelStore.ensureSeeded(pool, SNAPSHOT)).toEqual({ action: 'current' });
  });

  it("keeps a site's own saved model, and replaces an untaught one stored before seed digests were kept", async () => {
    await spamModelStore.save(pool, OLDER);
    expect(await spamModelStore.ensureSeeded(pool, SNAPSHOT)).toMatchObject({ action: 'kept', reason: 'own_model' });

    await pool.query('TRUNCATE spam_model, spam_model_features');
    await spamModelStore.ensureSeeded(pool, OLDER);
    await pool.query('UPDATE spam_model SET seed_digest = NULL, seed_version = NULL');
    expect(await spamModelStore.ensureSeeded(pool, SNAPSHOT)).toEqual({ action: 'seeded' });
    expect((await spamModelStore.load(pool))?.model.toJSON()).toEqual(SNAPSHOT);
  });

  it('round-trips a saved model and bumps the generation on replace', async () => {
    // Act
    const first = await spamModelStore.save(pool, SNAPSHOT);
    const second = await spamModelStore.save(pool, SNAPSHOT);
    const stored = await spamModelStore.load(pool);

    // Assert
    expect(stored?.model.toJSON()).toEqual(SNAPSHOT);
    expect(second.generation).toBe(first.generation + 1);
    expect(stored?.generation).toBe(second.generation);
  });

  it('learns: the stored model scores the taught comment higher, and the version grows', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, SNAPSHOT);
    const before = (await spamModelStore.load(pool))?.model.classify(PHRASE).spamProbability ?? 1;

    // Act
    const learnt = await spamModelStore.learn(pool, PHRASE, 'spam');
    const stored = await spamModelStore.load(pool);

    // Assert
    expect(learnt?.version).toBe(1);
    expect(stored?.version).toBe(1);
    expect(stored?.model.classify(PHRASE).spamProbability).toBeGreaterThan(before);
  });

  it('learns a keyed lesson only once', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Act
    const first = await spamModelStore.learn(pool, PHRASE, 'spam', { key: 'decision-1' });
    const again = await spamModelStore.learn(pool, PHRASE, 'spam', { key: 'decision-1' });

    // Assert
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect((await spamModelStore.readStamp(pool))?.version).toBe(1);
  });

  it('loses no update when several workers learn at once', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, SNAPSHOT);

    // Act
    await Promise.all([1, 2, 3, 4, 5].map((i) => spamModelStore.learn(pool, { body: `quantum pharmacy deals ${i}` }, 'spam')));

    // Assert
    const { rows } = await pool.query<{ seen: number; version: string }>("SELECT seen, version FROM spam_model_features WHERE feature = 'quantum pharmacy'");
    expect(rows[0]?.seen).toBe(5);
    expect((await spamModelStore.readStamp(pool))?.version).toBe(5);
  });

  it('takes a lesson back exactly (undo), even with other lessons taught in between', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, SNAPSHOT);
    await spamModelStore.learn(pool, { body: 'cheap quantum loans today' }, 'spam', { key: 'review:other-1' });
    const weights = async () => (await pool.query<{ feature: string; weight: number; seen: number }>('SELECT feature, weight, seen FROM spam_model_features ORDER BY feature')).rows;
    const before = await weights();

    // Act: s on a comment, then another moderator's lesson, then z on the first.
    await spamModelStore.learn(pool, PHRASE, 'spam', { key: 'review:c1' });
    await spamModelStore.learn(pool, { body: 'quantum pharmacy is a scam, says the report' }, 'ham', { key: 'review:other-2' });
    const undone = await spamModelStore.forget(pool, 'review:c1');
    await spamModelStore.forget(pool, 'review:other-2');

    // Assert: every weight and count is what it was, to the last bit.
    expect(undone?.rows.length).toBeGreaterThan(0);
    const after = (await weights()).filter((row) => row.seen > 0 || before.some((b) => b.feature === row.feature));
    expect(after).toEqual(before);
    expect(await spamModelStore.forget(pool, 'review:c1')).toBeNull();
  });

  it('not spam after spam replaces the spam lesson: the same key, the other label', async () => {
    // Arrange
    await spamModelStore.ensureSeeded(pool, SNAPSHOT);
    const score = async () => (await spamModelStore.load(pool))?.model.logit((await spamModelStore.load(pool))!.model.features(PHRASE)) ?? 0;
    const start = await score();

    // Act
    await spamModelStore.learn(pool, PHRASE, 'spam', { key: 'review:c2' });
    const afterSpam = await score();
    await spamModelStore.learn(pool, PHRASE, 'ham', { key: 'review:c2' });
    const afterHam = await score();

    // Assert: the spam lesson is gone, and the ham lesson moved the score down from the start.
    expect(afterSpam).toBeGreaterThan(start);
    expect(afterHam).toBeLessThan(start);
    const { rows } = await pool.query('SELECT label FROM spam_model_lessons');
    expect(rows).toEqual([{ label: 'ham' }]);
  });

  it('fails clearly when asked to learn before any model is stored', async () => {
    await expect(spamModelStore.learn(pool, PHRASE, 'spam')).rejects.toThrow(/seed it first/);
  });
});

describe('createSharedClassifier', () => {

  it('seeds from the shipped snapshot and classifies with it', async () => {
    // Act
    const shared = await createSharedClassifier(pool, { refreshMs: 0, seed: SNAPSHOT });

    // Assert
    expect(shared.classifier.classify(PHRASE)).toEqual(trainSpamModel(EXAMPLES).classify(PHRASE));
    shared.close();
  });

  it('fails when the database has no model and no seed is given', async () => {
    await expect(createSharedClassifier(pool, { refreshMs: 0 })).rejects.toThrow(/no spam model/);
  });

  it('applies its own lesson at once, and another worker sees it after a refresh', async () => {
    // Arrange
    const workerA = await createSharedClassifier(pool, { refreshMs: 0, seed: SNAPSHOT });
    const workerB = await createSharedClassifier(pool, { refreshMs: 0, seed: SNAPSHOT });
    const before = workerA.classifier.classify(PHRASE).spamProbability;

    // Act
    await workerA.learn(PHRASE, 'spam');
    const seenByA = workerA.classifier.classify(PHRASE).spamProbability;
    const staleB = workerB.classifier.classify(PHRASE).spamProbability;
    await workerB.refresh();
    const seenByB = workerB.classifier.classify(PHRASE).spamProbability;

    // Assert
    expect(seenByA).toBeGreaterThan(before);
    expect(staleB).toBe(before);
    expect(seenByB).toBeCloseTo(seenByA, 12);
    workerA.close();
    workerB.close();
  });

  it('reloads everything when the model is replaced', async () => {
    // Arrange
    const worker = await createSharedClassifier(pool, { refreshMs: 0, seed: SNAPSHOT });
    const retrained = trainSpamModel([...EXAMPLES, { input: PHRASE, label: 'spam', group: 'c' }]).toJSON();

    // Act
    await spamModelStore.save(pool, retrained);
    await worker.refresh();

    // Assert
    expect(worker.classifier.classify(PHRASE)).toEqual(trainSpamModel([...EXAMPLES, { input: PHRASE, label: 'spam', group: 'c' }]).classify(PHRASE));
    worker.close();
  });

  it('refreshes on its own timer', async () => {
    // Arrange
    const worker = await createSharedClassifier(pool, { refreshMs: 20, seed: SNAPSHOT });
    const before = worker.classifier.classify(PHRASE).spamProbability;

    // Act
    await spamModelStore.learn(pool, PHRASE, 'spam');

    // Assert: nothing but the timer refreshes it (a busy machine may take longer than a few periods)
    await eventually(async () => worker.classifier.classify(PHRASE).spamProbability > before, 10000, 10);
    expect(worker.classifier.classify(PHRASE).spamProbability).toBeGreaterThan(before);
    worker.close();
  });
});
