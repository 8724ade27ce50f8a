import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import type { CheckResult } from '../../../src/moderation/types';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { seedComment, signedInClient, statusOf } from '../../helpers/moderation';

jest.setTimeout(60000);

/** Made-up words no other test uses: the lessons taught here move only features of their own. */
const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tu', 've', 'sa', 'no', 'pe', 'di', 'gu', 'bo', 'fe', 'ri', 'zu', 'ha'];
const madeUp = () => Array.from({ length: 4 }, () => Array.from(randomBytes(4), (b) => SYLLABLES[b % SYLLABLES.length]).join('')).join(' ');

const CIVILITY_HOLD: CheckResult = {
  check: 'civility',
  verdict: 'review',
  score: 0,
  mode: 'enforce',
  weak: true,
  reasons: [{ code: 'insult', message: "Looks like a personal insult: 'x'.", field: 'body', match: 'x' }],
};

describe('the civility check through the API', () => {
  let h: Harness;
  let api: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    // This file's worker uses the default civility settings whatever other files store.
    h = await startHarness({ workerSettings: { holdAll: false, checkModes: {}, civilityHoldThreshold: DEFAULT_SETTINGS.civilityHoldThreshold, civilityAllowList: [] } });
    api = (await signedInClient(h)).api;
  });
  afterAll(async () => {
    await h.close();
  });

  const post = async (body: unknown): Promise<string | null> => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // A busy machine may answer 503 (queue unavailable) or 429: honest answers, tried again.
    if (res.status === 503 || res.status === 429) return null;
    expect(res.status).toBe(202);
    return (await res.json()).id as string;
  };
  const stored = (id: string) =>
    eventually(async () => {
      const { rows } = await h.pool.query<{ status: string; reasons: CheckResult[] }>('SELECT status, reasons FROM comments WHERE id = $1', [id]);
      return rows[0];
    }, 30000);
  const lesson = async (id: string) => {
    const { rows } = await h.pool.query<{ label: string }>('SELECT label FROM civility_model_lessons WHERE key = $1', [`review:${id}`]);
    return rows[0]?.label ?? null;
  };

  it('holds an abusive comment for a moderator with the civility reason, and publishes a civil one', async () => {
    const article = `art-${randomUUID()}`;
    const abusive = await eventually(() => post(sampleComment(article, { body: 'You are a pathetic idiot and a moron, shut up.' })), 30000);
    const plain = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/news-comments.json'), 'utf8')).plain[1].body as string;
    const civil = await eventually(() => post(sampleComment(article, { body: plain })), 30000);

    const held = await stored(abusive);
    expect(held.status).toBe('pending');
    const verdict = held.reasons.find((v) => v.check === 'civility');
    expect(verdict).toMatchObject({ verdict: 'review', mode: 'enforce', score: 0 });
    expect(verdict?.reasons[0]?.code).toBe('insult');
    expect(verdict?.reasons[0]?.message).toMatch(/'idiot'|'moron'/);

    const published = await stored(civil);
    expect(published.status).toBe('approved');
    expect(published.reasons.find((v) => v.check === 'civility')).toMatchObject({ verdict: 'pass' });
  });

  it('"hold as abusive" unpublishes a published comment and teaches abusive; undo (approve) takes the lesson back', async () => {
    const c = await seedComment(h.pool, { status: 'approved', body: `${madeUp()} ${madeUp()}` });
    const res = await api.post(`/api/moderation/comments/${c.id}/abusive`, { expectedStatus: 'approved' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: 'approved', to: 'pending' });
    expect(await statusOf(h.pool, c.id)).toBe('pending');
    expect(await lesson(c.id)).toBe('abusive');

    await api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' });
    expect(await statusOf(h.pool, c.id)).toBe('approved');
    expect(await lesson(c.id)).toBeNull();
  });

  it('"hold as abusive" keeps a held comment held and teaches; its undo takes the lesson back', async () => {
    const c = await seedComment(h.pool, { status: 'pending', body: `${madeUp()} ${madeUp()}` });
    expect((await api.post(`/api/moderation/comments/${c.id}/abusive`, { expectedStatus: 'pending' })).status).toBe(200);
    expect(await statusOf(h.pool, c.id)).toBe('pending');
    expect(await lesson(c.id)).toBe('abusive');
    const undo = await api.del(`/api/moderation/comments/${c.id}/abusive`);
    expect(undo.status).toBe(200);
    expect(await lesson(c.id)).toBeNull();
    expect(await statusOf(h.pool, c.id)).toBe('pending');
  });

  it('approving a comment the civility check held teaches civil; unapproving takes it back', async () => {
    const c = await seedComment(h.pool, { status: 'pending', body: `${madeUp()} ${madeUp()}`, verdicts: [CIVILITY_HOLD] });
    await api.post(`/api/moderation/comments/${c.id}/approve`, { expectedStatus: 'pending' });
    expect(await lesson(c.id)).toBe('civil');
    await api.post(`/api/moderation/comments/${c.id}/unapprove`, { expectedStatus: 'approved' });
    expect(await lesson(c.id)).toBeNull();
  });

  it('refuses "hold as abusive" on a comment in the spam bin', async () => {
    const c = await seedComment(h.pool, { status: 'spam', body: madeUp() });
    const res = await api.post(`/api/moderation/comments/${c.id}/abusive`, { expectedStatus: 'spam' });
    expect(res.status).toBe(422);
    expect(await lesson(c.id)).toBeNull();
  });

  it('filters the queue to the comments held for civility', async () => {
    const article = `art-${randomUUID()}`;
    const heldForCivility = await seedComment(h.pool, { status: 'pending', articleId: article, verdicts: [CIVILITY_HOLD] });
    const heldForLinks = await seedComment(h.pool, {
      status: 'pending',
      articleId: article,
      verdicts: [{ check: 'links', verdict: 'review', score: 0, mode: 'enforce', reasons: [{ code: 'too_many_links', message: 'Many links.' }] }],
    });
    const res = await api.get(`/api/moderation/comments?status=pending&article=${article}&held=civility`);
    expect(res.status).toBe(200);
    const ids = (res.body.items as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual([heldForCivility.id]);
    expect(ids).not.toContain(heldForLinks.id);
    expect((await api.get(`/api/moderation/comments?status=pending&held=links`)).status).toBe(400);
  });
});
