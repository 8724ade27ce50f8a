import { decide, runChecks } from '../../../src/moderation/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/moderation/settings';
import type { Check, CheckResult, ModerationSettings } from '../../../src/moderation/types';
import { checkContext } from '../../helpers/check-context';

const v = (verdict: CheckResult['verdict'], score = 0, extra: Partial<CheckResult> = {}): CheckResult => ({
  check: `c_${verdict}_${score}`,
  verdict,
  score,
  reasons: [],
  mode: 'enforce',
  ...extra,
});
const settings = (over: Partial<ModerationSettings> = {}): ModerationSettings => ({ ...DEFAULT_SETTINGS, ...over });

describe('decide', () => {
  it.each<[string, CheckResult[], Partial<ModerationSettings>, string]>([
    ['nothing objects', [v('pass'), v('pass', 2)], {}, 'approved'],
    ['reject beats spam and review', [v('spam'), v('reject'), v('review')], {}, 'rejected'],
    ['spam beats review', [v('review'), v('spam')], {}, 'spam'],
    ['a review verdict holds', [v('pass'), v('review')], {}, 'pending'],
    ['points at the spam threshold', [v('pass', 6), v('pass', 4)], {}, 'spam'],
    ['points just under the spam threshold, over the hold threshold', [v('pass', 9.5)], {}, 'pending'],
    ['points at the hold threshold', [v('pass', 5)], {}, 'pending'],
    ['points just under the hold threshold', [v('pass', 4.9)], {}, 'approved'],
    ['negative points offset positive ones', [v('pass', 6), v('pass', -4)], {}, 'approved'],
    ['retuned thresholds', [v('pass', 3)], { holdThreshold: 3, spamThreshold: 8 }, 'pending'],
    ['holdAll holds what would be approved', [v('pass')], { holdAll: true }, 'pending'],
    ['holdAll does not rescue spam', [v('spam')], { holdAll: true }, 'spam'],
    ['a non-finite score counts as 0', [v('pass', Number.NaN)], {}, 'approved'],
  ])('%s', (_name, verdicts, over, status) => {
    expect(decide(verdicts, settings(over)).status).toBe(status);
  });

  it.each<[string, CheckResult[], string]>([
    ['weak points alone at the spam threshold hold, never bin', [v('pass', 6, { weak: true }), v('pass', 5, { weak: true })], 'pending'],
    ['weak points far over the spam threshold still only hold', [v('review', 9.5, { weak: true }), v('pass', 8, { weak: true })], 'pending'],
    ['weak points with strong points beside them bin', [v('pass', 6, { weak: true }), v('pass', 4)], 'spam'],
    ['a weak check that is sure (a spam verdict) bins', [v('spam', 12, { weak: true })], 'spam'],
    ['strong evidence with no points (a spam verdict) bins', [v('spam', 0), v('pass', 2, { weak: true })], 'spam'],
    ['negative points are not strong evidence', [v('pass', 12, { weak: true }), v('pass', -1)], 'pending'],
    ['a sure model with a spam-shaped signal beside it bins', [v('review', 5.2, { weak: true, binIfCorroborated: true }), v('pass', 3, { weak: true, corroborates: true })], 'spam'],
    ['a sure model alone holds', [v('review', 5.2, { weak: true, binIfCorroborated: true }), v('pass', 3, { weak: true })], 'pending'],
    ['a spam-shaped signal beside a model that is not sure holds', [v('review', 5.2, { weak: true }), v('pass', 3, { weak: true, corroborates: true })], 'pending'],
    ['an observed spam-shaped signal corroborates nothing', [v('review', 5.2, { weak: true, binIfCorroborated: true }), v('pass', 3, { weak: true, corroborates: true, mode: 'observe' })], 'pending'],
  ])('%s', (_name, verdicts, status) => {
    expect(decide(verdicts, settings()).status).toBe(status);
  });

  it('sums the points of enforced checks only', () => {
    expect(decide([v('pass', 3), v('pass', 20, { mode: 'observe' })], settings()).score).toBe(3);
  });

  it.each<['spam' | 'trash', string]>([
    ['trash', 'trash'],
    ['spam', 'spam'],
  ])('disallowed_key with disallowedAction %s → %s', (action, status) => {
    const hit = v('spam', 0, { reasons: [{ code: 'disallowed_key', message: 'x' }] });
    expect(decide([hit], settings({ disallowedAction: action })).status).toBe(status);
  });

  it('trash is only for disallowed_key: other spam stays spam', () => {
    expect(decide([v('spam', 0, { reasons: [{ code: 'honeypot_filled', message: 'x' }] })], settings({ disallowedAction: 'trash' })).status).toBe('spam');
  });
});

describe('observe mode', () => {
  const spammy: Check = { name: 'honeypot', run: () => ({ check: 'honeypot', verdict: 'spam', score: 10, reasons: [{ code: 'honeypot_filled', message: 'x' }] }) };
  const fine: Check = { name: 'links', run: () => ({ check: 'links', verdict: 'pass', score: 0, reasons: [] }) };

  it('records an observed spam verdict without changing the decision', async () => {
    const ctx = checkContext({ settings: { checkModes: { honeypot: 'observe' } } });
    const results = await runChecks([spammy, fine], ctx);
    const decision = decide(results, ctx.settings);
    expect(decision.status).toBe('approved');
    expect(decision.score).toBe(0);
    expect(decision.verdicts).toContainEqual(expect.objectContaining({ check: 'honeypot', verdict: 'spam', mode: 'observe', score: 10 }));
  });

  it('the same verdict enforced makes the comment spam', async () => {
    const ctx = checkContext();
    expect(decide(await runChecks([spammy, fine], ctx), ctx.settings).status).toBe('spam');
  });
});

describe('off mode', () => {
  const ran: string[] = [];
  const spammy: Check = { name: 'honeypot', run: () => (ran.push('honeypot'), { check: 'honeypot', verdict: 'spam', score: 10, reasons: [{ code: 'honeypot_filled', message: 'x' }] }) };
  const slow: Check = { name: 'duplicate', run: async () => (ran.push('duplicate'), { check: 'duplicate', verdict: 'reject', score: 0, reasons: [{ code: 'duplicate', message: 'x' }] }) };
  const fine: Check = { name: 'links', run: () => (ran.push('links'), { check: 'links', verdict: 'pass', score: 1, reasons: [] }) };
  beforeEach(() => ran.splice(0));

  it('does not run the check: no verdict, no points, and the others keep their order', async () => {
    const ctx = checkContext({ settings: { checkModes: { honeypot: 'off' } } });
    const results = await runChecks([spammy, fine], ctx);
    expect(ran).toEqual(['links']);
    expect(results.map((r) => r.check)).toEqual(['links']);
    expect(decide(results, ctx.settings)).toMatchObject({ status: 'approved', score: 1 });
  });

  it('works for checks that answer with a promise, and alongside observed ones', async () => {
    const ctx = checkContext({ settings: { checkModes: { duplicate: 'off', honeypot: 'observe' } } });
    const results = await runChecks([spammy, slow, fine], ctx);
    expect(ran).toEqual(['honeypot', 'links']);
    expect(results.map((r) => [r.check, r.mode])).toEqual([['honeypot', 'observe'], ['links', 'enforce']]);
    expect(decide(results, ctx.settings).status).toBe('approved');
  });

  it('an "off" verdict from a caller that ran the check anyway counts for nothing', () => {
    expect(decide([v('reject', 0, { mode: 'off' }), v('pass', 20, { mode: 'off' })], settings())).toMatchObject({ status: 'approved', score: 0 });
  });

  it('enforced again, the same check decides', async () => {
    const ctx = checkContext({ settings: { checkModes: { honeypot: 'enforce' } } });
    expect(decide(await runChecks([spammy, fine], ctx), ctx.settings).status).toBe('spam');
  });
});
