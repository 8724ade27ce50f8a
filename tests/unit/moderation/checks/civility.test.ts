import { loadShippedCivilityModel } from '../../../../src/models/civility';
import type { CivilityScorer } from '../../../../src/models/civility-model';
import { civilityCheck } from '../../../../src/moderation/checks/civility';
import { decide, runChecks } from '../../../../src/moderation/pipeline';
import type { CheckResult, ModerationSettings } from '../../../../src/moderation/types';
import { checkContext } from '../../../helpers/check-context';

const model = loadShippedCivilityModel();

function run(body: string, settings: Partial<ModerationSettings> = {}, civility: CivilityScorer | null = model): CheckResult {
  return civilityCheck.run(checkContext({ comment: { body }, settings, ...(civility ? { civility } : {}) })) as CheckResult;
}

/** A scorer answering fixed scores (to test how the check names kinds), with evidence for each kind. */
function fixed(scores: Partial<Record<string, number>>): CivilityScorer {
  return {
    assess: (text) => ({
      scores: { toxicity: 0.9, severe_toxicity: 0, insult: 0, threat: 0, identity_attack: 0, obscene: 0, ...scores },
      evidence: [{ word: text.split(' ')[0] ?? '', start: 0, end: (text.split(' ')[0] ?? '').length, attribute: 'threat', weight: 1 }],
    }),
  };
}

describe('civilityCheck', () => {
  it('holds a personal insult and quotes the words that weighed most', () => {
    const result = run('You are an idiot and a moron.');
    expect(result.verdict).toBe('review');
    expect(result.reasons[0]?.code).toBe('insult');
    expect(result.reasons[0]?.message).toMatch(/^Looks like a personal insult: .*'idiot'/);
    expect(result.reasons[0]?.message).toMatch(/'moron'/);
    expect(result.reasons[0]?.message).not.toMatch(/'(you|are|an|and)'/i);
    expect(result.score).toBe(0);
  });

  it('passes a harsh opinion of a policy and a quoted insult being criticised', () => {
    expect(run('This policy is idiotic.').verdict).toBe('pass');
    expect(run('Calling people "idiots" is not an argument, and it does not help the debate.').verdict).toBe('pass');
  });

  it('names a threat, an identity attack, obscenity and severe abuse by their scores', () => {
    expect(run('kill', {}, fixed({ threat: 0.5, insult: 0.6 })).reasons[0]?.code).toBe('threat');
    expect(run('x', {}, fixed({ identity_attack: 0.5 })).reasons[0]?.code).toBe('identity_attack');
    expect(run('x', {}, fixed({ obscene: 0.7 })).reasons[0]?.code).toBe('obscene');
    expect(run('x', {}, fixed({ severe_toxicity: 0.4 })).reasons[0]?.code).toBe('severe_toxicity');
    expect(run('x', {}, fixed({})).reasons[0]?.code).toBe('toxicity');
    expect(run('kill him', { civilityHoldThreshold: 0.4 }, fixed({ threat: 0.5 })).reasons[0]?.message).toBe("Reads as a threat: 'kill' (toxicity 0.90, held from 0.4).");
  });

  it('follows the threshold setting', () => {
    const text = 'You are an idiot.';
    expect(run(text, { civilityHoldThreshold: 0.99 }).verdict).toBe('pass');
    expect(run(text, { civilityHoldThreshold: 0.05 }).verdict).toBe('review');
  });

  it('accepts the words of the allow-list', () => {
    const text = 'You are a liar, a liar and a hypocrite.';
    const held = run(text, { civilityHoldThreshold: 0.2 });
    expect(held.verdict).toBe('review');
    expect(run(text, { civilityHoldThreshold: 0.2, civilityAllowList: ['liar', 'hypocrite'] }).verdict).toBe('pass');
  });

  it('never bins: abuse is held for a moderator at most', () => {
    for (const text of ['Fuck you, you fucking idiot, I will kill you.', 'You are scum and vermin, all of you.', 'SHUT UP MORON!!!']) {
      expect(['pass', 'review']).toContain(run(text, { civilityHoldThreshold: 0.05 }).verdict);
    }
  });

  it('has no opinion without a model', () => {
    expect(run('You are an idiot.', {}, null)).toEqual({ check: 'civility', verdict: 'pass', score: 0, reasons: [] });
  });

  it('only annotates in observe mode: the comment is approved with the reason kept', async () => {
    const ctx = checkContext({ comment: { body: 'You are an idiot and a moron.' }, settings: { checkModes: { civility: 'observe' } }, civility: model });
    const decision = decide(await runChecks([civilityCheck], ctx), ctx.settings);
    expect(decision.status).toBe('approved');
    expect(decision.verdicts[0]).toMatchObject({ check: 'civility', verdict: 'review', mode: 'observe' });
    const enforced = checkContext({ comment: { body: 'You are an idiot and a moron.' }, civility: model });
    expect(decide(await runChecks([civilityCheck], enforced), enforced.settings).status).toBe('pending');
  });
});
