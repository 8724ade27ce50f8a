import { DEFAULT_DATA_DIR } from './shared-data';
import { ALL_CHECKS } from '../../src/moderation/checks';
import { classifierCheck } from '../../src/moderation/checks/classifier';
import { decide, moderate } from '../../src/moderation/pipeline';
import { civilityCheck } from '../../src/moderation/checks/civility';
import type { CivilityScorer } from '../../src/models/civility-model';
import { DEFAULT_SETTINGS } from '../../src/moderation/settings';
import type { Check, CheckContext, Decision, ModerationSettings, SpamClassifier } from '../../src/moderation/types';
import { type CuratedLists, loadCuratedLists } from '../../src/models/curated-lists';
import type { LabelledComment } from './youtube-csv';

let shared: CuratedLists | null | undefined;
/** SmokeDetector's lists from the shared data folder, loaded once (the worker loads them from SPAM_LISTS_DIR). */
export function defaultCuratedLists(dataDir = DEFAULT_DATA_DIR): CuratedLists | undefined {
  if (shared === undefined) shared = loadCuratedLists(dataDir);
  return shared ?? undefined;
}

/**
 * Settings for evaluation: the defaults, except that a missing form token scores nothing, because
 * dataset comments never had a form (the worker would otherwise add missingTokenScore to each).
 */
export const EVAL_SETTINGS: Readonly<ModerationSettings> = Object.freeze({ ...DEFAULT_SETTINGS, missingTokenScore: 0 });

/** The worker's checks, with the classifier added if the policy list does not carry it yet. */
export function evaluationChecks(): Check[] {
  return ALL_CHECKS.some((c) => c.name === classifierCheck.name) ? [...ALL_CHECKS] : [...ALL_CHECKS, classifierCheck];
}

/**
 * A dataset row as the worker would see it, with no stored history (history checks have no
 * opinion) and no honeypot field. The dataset has no emails, so each gets a placeholder.
 */
export function toCheckContext(
  row: LabelledComment,
  index: number,
  classifier: SpamClassifier,
  settings: ModerationSettings = EVAL_SETTINGS,
  curatedLists?: CuratedLists,
  civility?: CivilityScorer,
): CheckContext {
  const date = new Date(row.date);
  const now = Number.isNaN(date.getTime()) ? new Date(0) : date;
  return {
    comment: {
      id: row.id || `row-${index}`,
      articleId: row.source.replace(/\.csv$/i, '').replace(/[^\p{L}\p{N}._:/-]/gu, '-'),
      parentId: null,
      authorName: row.author,
      authorEmail: `anon${index}@example.com`,
      authorUrl: null,
      body: row.content,
      honeypot: undefined,
      formToken: null,
    },
    request: { ip: null, userAgent: null, referrer: null, receivedAt: now.toISOString() },
    settings,
    now,
    classifier,
    ...(civility ? { civility } : {}),
    ...(curatedLists ? { curatedLists } : {}),
  };
}

/** Runs every row through the checks and the decision, in order. */
export async function evaluateRows(
  rows: readonly LabelledComment[],
  classifier: SpamClassifier,
  checks: readonly Check[] = evaluationChecks(),
  settings: ModerationSettings = EVAL_SETTINGS,
  curatedLists: CuratedLists | undefined = defaultCuratedLists(),
  /** The civility model; absent, the civility check has no opinion (the spam figures are the spam checks' alone). */
  civility?: CivilityScorer,
): Promise<{ row: LabelledComment; decision: Decision }[]> {
  const results: { row: LabelledComment; decision: Decision }[] = [];
  for (const [index, row] of rows.entries()) {
    results.push({ row, decision: await moderate(checks, toCheckContext(row, index, classifier, settings, curatedLists, civility)) });
  }
  return results;
}

/**
 * The decision the spam checks alone make (the civility check's verdict left out): the spam figures
 * measure the spam filter, and the civility check's holds are counted on their own
 * (`--toxicity-column`), so neither hides the other.
 */
export function spamDecision(decision: Decision, settings: ModerationSettings = EVAL_SETTINGS): Decision {
  if (!decision.verdicts.some((v) => v.check === civilityCheck.name)) return decision;
  return decide(
    decision.verdicts.filter((v) => v.check !== civilityCheck.name),
    settings,
  );
}

/**
 * One audit line of `npm run eval -- --per-comment`: the CSV's COMMENT_ID, its CLASS (1 spam, 0
 * ham), the decision and its points, and as `check:code` every reason of a verdict that is not a
 * pass or that added points (so a comment held on points alone still says why).
 */
export function perCommentLine(row: LabelledComment, decision: Decision): string {
  const reasons = decision.verdicts.filter((v) => v.verdict !== 'pass' || v.score > 0).flatMap((v) => v.reasons.map((r) => `${v.check}:${r.code}`));
  return JSON.stringify({ id: row.id, label: row.label === 'spam' ? 1 : 0, status: decision.status, score: decision.score, reasons });
}
