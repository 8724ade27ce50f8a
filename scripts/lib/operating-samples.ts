import type { OperatingSample } from '../../src/models/choose-operating-points';
import type { HeldOutScore } from '../../src/models/train-model';
import { runChecks } from '../../src/moderation/pipeline';
import { defaultCuratedLists, EVAL_SETTINGS, evaluationChecks, toCheckContext } from './evaluate';
import type { LabelledComment } from './youtube-csv';

/**
 * Each held-out comment with what every other no-history check says of it (as `npm run eval`
 * runs them), so the classifier's anchors are chosen for the pipeline as a whole.
 * `rows` and `held` are in the same order.
 */
export async function buildOperatingSamples(rows: readonly LabelledComment[], held: readonly HeldOutScore[]): Promise<OperatingSample[]> {
  const others = evaluationChecks().filter((c) => c.name !== 'classifier');
  const noModel = { classify: () => ({ spamProbability: 0, topTokens: [] }) };
  const samples: OperatingSample[] = [];
  for (const [i, row] of rows.entries()) {
    const score = held[i];
    if (!score) throw new Error(`no held-out score for row ${i}`);
    const results = await runChecks(others, toCheckContext(row, i, noModel, EVAL_SETTINGS, defaultCuratedLists()));
    samples.push({ logit: score.logit, spam: score.spam, others: results, group: score.group });
  }
  return samples;
}
