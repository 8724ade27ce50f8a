import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { createLogger } from '../../../src/logger';
import { civilityModelStore, loadCivilityScorer, readShippedCivilityModel, takeBackCivilityLesson, teachCivility } from '../../../src/models/civility';
import { civilityFeatures } from '../../../src/models/civility-tokenizer';
import { MAX_LESSON_SHIFT } from '../../../src/models/logistic-model';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';

/**
 * Lessons on the civility model, against real Postgres. Like the spam model's test, it works on copies
 * of the model's tables in a schema of its own, so the lessons taught here never reach the run's
 * workers.
 */
const SCHEMA = `civility_model_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const TABLES = ['civility_model', 'civility_model_features', 'civility_model_lessons'];
const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 4, options: `-c search_path=${SCHEMA}` });
const log = createLogger('silent');
const SHIPPED = readShippedCivilityModel();

jest.setTimeout(120000);

beforeAll(async () => {
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const table of TABLES) await pool.query(`CREATE TABLE ${SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
  await civilityModelStore.ensureSeeded(pool, SHIPPED);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await pool.end();
});

/** Every stored feature row, as a map: the model's whole state. */
async function storedRows(): Promise<Map<string, [number, number]>> {
  const { rows } = await pool.query<{ feature: string; weight: number; seen: number }>('SELECT feature, weight, seen FROM civility_model_features');
  return new Map(rows.map((r) => [r.feature, [r.weight, r.seen]]));
}

async function toxicityLogit(text: string): Promise<number> {
  const stored = await civilityModelStore.load(pool);
  if (!stored) throw new Error('no model');
  return stored.model.logits(civilityFeatures(text, stored.model.tokenizer))[0] as number;
}

describe('the stored civility model', () => {
  it('is seeded from the shipped file and scores as the shipped model does', async () => {
    const scorer = await loadCivilityScorer(pool, log, 0);
    try {
      const text = 'You are an idiot and a moron.';
      expect(scorer.assess(text).scores.toxicity).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.civilityHoldThreshold);
      expect(scorer.assess('The council approved the budget.').scores.toxicity).toBeLessThan(DEFAULT_SETTINGS.civilityHoldThreshold);
    } finally {
      scorer.close();
    }
  });

  it('takes a lesson back exactly, whatever other lessons came in between', async () => {
    const before = await storedRows();
    const key = `review:${randomUUID()}`;
    const other = `review:${randomUUID()}`;
    await teachCivility(pool, { text: 'the planning office are clowns and crooks', label: 'abusive', key });
    await teachCivility(pool, { text: 'the planning office did a fine job, no crooks there', label: 'civil', key: other });
    expect((await storedRows()).get('toxicity|clowns')?.[0]).not.toBe(before.get('toxicity|clowns')?.[0]);

    await takeBackCivilityLesson(pool, key);
    await takeBackCivilityLesson(pool, other);

    const after = await storedRows();
    for (const [feature, [weight, seen]] of before) expect([feature, after.get(feature)]).toEqual([feature, [weight, seen]]);
    // Features the lessons created are back at nothing.
    for (const [feature, [weight]] of after) if (!before.has(feature)) expect([feature, weight]).toEqual([feature, 0]);
    const { rows } = await pool.query('SELECT key FROM civility_model_lessons WHERE key = ANY($1)', [[key, other]]);
    expect(rows).toEqual([]);
  });

  it('replaces a lesson taught under the same key with the other label, and a retry teaches nothing', async () => {
    const key = `review:${randomUUID()}`;
    const text = 'the ferry board are total clowns';
    const start = await toxicityLogit(text);
    await teachCivility(pool, { text, label: 'abusive', key });
    const abusive = await toxicityLogit(text);
    await teachCivility(pool, { text, label: 'abusive', key });
    expect(await toxicityLogit(text)).toBe(abusive);
    await teachCivility(pool, { text, label: 'civil', key });
    const civil = await toxicityLogit(text);
    expect(abusive).toBeGreaterThan(start);
    expect(civil).toBeLessThan(start);
    await takeBackCivilityLesson(pool, key);
    expect(await toxicityLogit(text)).toBeCloseTo(start, 9);
  });

  it('moves the comment it was taught on by at most MAX_LESSON_SHIFT log-odds', async () => {
    const text = 'I think the mayor is quite wrong about the harbour';
    const start = await toxicityLogit(text);
    const key = `review:${randomUUID()}`;
    await teachCivility(pool, { text, label: 'abusive', key });
    const moved = (await toxicityLogit(text)) - start;
    await takeBackCivilityLesson(pool, key);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(MAX_LESSON_SHIFT + 1e-6);
  });

  it('does not drift ordinary readers towards held when moderators hold abuse and approve what it held', async () => {
    // Plain reader comments written for the project (tests/fixtures), and a mix of lessons as a busy
    // desk would teach them: many "hold as abusive", some "civil" approvals of comments it held.
    const fixture = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/news-comments.json'), 'utf8')) as { plain: { body: string }[] };
    const readers = fixture.plain.map((c) => c.body);
    const scorer = await loadCivilityScorer(pool, log, 0);
    const threshold = DEFAULT_SETTINGS.civilityHoldThreshold;
    const insults = ['idiots', 'morons', 'clowns', 'liars', 'crooks', 'scum', 'fools', 'losers'];
    const keys: string[] = [];
    try {
      const before = readers.map((t) => scorer.assess(t, { evidence: false }).scores.toxicity);
      const taughtBefore = scorer.assess('you clowns on the council').scores.toxicity;
      for (let i = 0; i < 40; i += 1) {
        const key = `review:${randomUUID()}`;
        keys.push(key);
        const word = insults[i % insults.length];
        await teachCivility(pool, { text: `You ${word} on the council should all resign, you are ${word} and everyone knows it ${i}`, label: 'abusive', key });
      }
      for (let i = 0; i < 10; i += 1) {
        const key = `review:${randomUUID()}`;
        keys.push(key);
        await teachCivility(pool, { text: `This is a stupid decision and the figures are idiotic, says reader ${i}`, label: 'civil', key });
      }
      await scorer.refresh();
      const after = readers.map((t) => scorer.assess(t, { evidence: false }).scores.toxicity);
      const held = (scores: number[]) => scores.filter((s) => s >= threshold).length;
      expect(held(after)).toBeLessThanOrEqual(held(before));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(after)).toBeLessThan(mean(before) + 0.02);
      // The lessons took: the taught insults score higher than before.
      expect(scorer.assess('you clowns on the council').scores.toxicity).toBeGreaterThan(taughtBefore);
    } finally {
      for (const key of keys) await takeBackCivilityLesson(pool, key);
      scorer.close();
    }
  });
});
