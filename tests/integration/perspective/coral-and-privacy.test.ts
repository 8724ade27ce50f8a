import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { readCalibration } from '../../../src/http/perspective/calibration';
import { MAX_LESSON_SHIFT } from '../../../src/models/logistic-model';
import { startHarness, eventually, type Harness } from '../../helpers/harness';
import { coralAnalyzeBody, coralSuggestBody, marker, newKeyFromCli, perspectiveKeyCli, postgresTablesContaining, postPerspective, redisKeysContaining } from '../../helpers/perspective';


describe('Perspective API: what Coral Talk sends, and what is kept of it', () => {
  let h: Harness;
  let key: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    key = await newKeyFromCli(h.config, 'coral');
  });
  afterAll(async () => {
    await h?.close();
  });

  const toxicity = async (text: string): Promise<number> => {
    const res = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', coralAnalyzeBody(text), key);
    expect(res.status).toBe(200);
    return res.body.attributeScores.TOXICITY.summaryScore.value as number;
  };

  it('answers Coral’s exact request with attributeScores.TOXICITY.summaryScore.value in 0..1, on either path', async () => {
    const abusive = 'What a load of rubbish. You are a stupid, lazy idiot and a moron.';
    for (const path of ['/v1alpha1/comments:analyze', '/comments:analyze']) {
      const res = await postPerspective(h.baseUrl, path, coralAnalyzeBody(abusive), key);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const score = res.body.attributeScores.TOXICITY.summaryScore;
      expect(score.type).toBe('PROBABILITY');
      expect(score.value).toBeGreaterThanOrEqual(0);
      expect(score.value).toBeLessThanOrEqual(1);
      expect(res.body.languages).toEqual(['en']);
      expect(res.body.detectedLanguages).toEqual(['en']);
      expect(res.body.attributeScores.TOXICITY.spanScores[0]).toMatchObject({ begin: 0, end: abusive.length });
    }
    const civil = await toxicity('Thank you for covering the council meeting; the figures on school funding were useful.');
    expect(await toxicity(abusive)).toBeGreaterThan(civil);
  });

  it('answers every attribute it names, and the words behind them when asked for spans', async () => {
    const text = 'You are an idiot and I will hurt you.';
    const attributes = ['TOXICITY', 'SEVERE_TOXICITY', 'INSULT', 'THREAT', 'IDENTITY_ATTACK', 'PROFANITY', 'INSULT_EXPERIMENTAL'];
    const res = await postPerspective(
      h.baseUrl,
      '/v1alpha1/comments:analyze',
      { comment: { text }, requestedAttributes: Object.fromEntries(attributes.map((a) => [a, {}])), spanAnnotations: true, clientToken: 'tok-1' },
      key,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.attributeScores).sort()).toEqual([...attributes].sort());
    expect(res.body.attributeScores.INSULT.summaryScore).toEqual(res.body.attributeScores.INSULT_EXPERIMENTAL.summaryScore);
    expect(res.body.clientToken).toBe('tok-1');
    const insultWords = res.body.attributeScores.INSULT.spanScores.map((s: { begin: number; end: number }) => text.slice(s.begin, s.end));
    expect(insultWords).toContain('idiot');
  });

  it('keeps nothing of an analysed comment in any Postgres table or Redis key (doNotStore true or false)', async () => {
    const secret = marker();
    const other = marker();
    for (const [text, doNotStore] of [[`You utter idiot ${secret}, nobody wants you here.`, true], [`A calm note about ${other} and the budget.`, false]] as const) {
      const res = await postPerspective(h.baseUrl, '/v1alpha1/comments:analyze', coralAnalyzeBody(text, doNotStore), key);
      expect(res.status).toBe(200);
    }
    // The scans can see: a control marker put in a table and in a Redis key is found.
    const control = marker();
    await h.pool.query('CREATE TABLE perspective_scan_control (v text)');
    const redis = new Redis(h.config.REDIS_URL);
    try {
      await h.pool.query('INSERT INTO perspective_scan_control VALUES ($1)', [`x ${control} y`]);
      await redis.hset(`${h.config.QUEUE_PREFIX}:scan-control`, 'v', `x ${control} y`);
      expect(await postgresTablesContaining(h.pool, control)).toEqual(['public.perspective_scan_control']);
      expect(await redisKeysContaining(h.config.REDIS_URL, control)).toEqual([`${h.config.QUEUE_PREFIX}:scan-control`]);
    } finally {
      await h.pool.query('DROP TABLE perspective_scan_control');
      await redis.del(`${h.config.QUEUE_PREFIX}:scan-control`);
      redis.disconnect();
    }
    for (const needle of [secret, other]) {
      expect(await postgresTablesContaining(h.pool, needle)).toEqual([]);
      expect(await redisKeysContaining(h.config.REDIS_URL, needle)).toEqual([]);
    }
  });

  it('learns from Coral’s feedback: one bounded lesson per comment, replaced by a later verdict, taken back with the key', async () => {
    const teacher = await newKeyFromCli(h.config, 'coral-feedback');
    // Made-up words only: the lessons move features no other test file (same database) ever sees.
    const text = `${marker()} ${marker()} ${marker()} ${marker()}`;
    const before = await toxicity(text);
    const commentId = randomUUID();

    // Rejected by a moderator (value 1): an "abusive" lesson; the next score is higher, within the bound.
    const rejected = await postPerspective(h.baseUrl, '/v1alpha1/comments:suggestscore', coralSuggestBody(text, commentId, false), teacher);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ clientToken: `comment:${commentId}` });
    const raised = await eventually(async () => {
      const v = await toxicity(text);
      return v > before + 1e-6 ? v : null;
    }, 20000, 100);
    expect(logit(raised) - logit(before)).toBeLessThanOrEqual(SERVED_LESSON_SHIFT + 1e-6);

    // Approved after all (value 0), same comment: the lesson is replaced by a "civil" one.
    const approved = await postPerspective(h.baseUrl, '/v1alpha1/comments:suggestscore', coralSuggestBody(text, commentId, true), teacher);
    expect(approved.status).toBe(200);
    const lowered = await eventually(async () => {
      const v = await toxicity(text);
      return v < before - 1e-6 ? v : null;
    }, 20000, 100);
    expect(logit(before) - logit(lowered)).toBeLessThanOrEqual(SERVED_LESSON_SHIFT + 1e-6);

    // Kept only as that lesson: the comment's text is in no table or key.
    expect(await postgresTablesContaining(h.pool, text)).toEqual([]);
    expect(await redisKeysContaining(h.config.REDIS_URL, text)).toEqual([]);
    const { rows } = await h.pool.query('SELECT l.label FROM perspective_lessons l JOIN perspective_keys k ON k.id = l.key_id WHERE k.label = $1', ['coral-feedback']);
    expect(rows).toEqual([{ label: 'civil' }]);

    // Revoking the key with --take-back-lessons undoes what it taught.
    const listed = await perspectiveKeyCli(h.config, ['--list']);
    const id = listed.stdout.split('\n').find((l) => l.includes('coral-feedback'))!.split(/\s+/)[0];
    const revoked = await perspectiveKeyCli(h.config, ['--revoke', id, '--take-back-lessons']);
    expect(revoked.stdout).toMatch(/took back 1 lesson/);
    await eventually(async () => Math.abs((await toxicity(text)) - before) < 1e-6, 20000, 100);
  });
});

const logit = (p: number) => Math.log(p / (1 - p));
/**
 * The most one lesson may move a served TOXICITY score, in log-odds: the model's bound, scaled by the
 * calibration's slope (served log-odds = a · model log-odds + b).
 */
const SERVED_LESSON_SHIFT = MAX_LESSON_SHIFT * (readCalibration()?.attributes.toxicity.a ?? 1);
