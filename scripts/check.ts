import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { STATELESS_CHECKS } from '../src/moderation/checks';
import { loadCuratedLists } from '../src/models/curated-lists';
import { loadShippedModel, SHIPPED_MODEL_PATH } from '../src/models/shipped-model';
import { parseSubmission } from '../src/moderation/comment-schema';
import { decide, runChecks } from '../src/moderation/pipeline';
import { DEFAULT_SETTINGS, mergeSettings } from '../src/moderation/settings';
import type { CheckContext, CommentInput, SpamClassifier } from '../src/moderation/types';
import { formatTable } from './lib/table';

const USAGE = `usage: npm run check -- '<comment JSON>' ['<settings JSON>']
  comment: {"articleId","authorName","authorEmail","body", optional "authorUrl","parentId","honeypot","formToken","ip","userAgent"}
  settings: overrides of the default moderation settings, e.g. '{"disallowedKeys":[{"pattern":"casino","kind":"word"}]}'`;

/**
 * `npm run check`: the full verdict trace for one sample comment, without saving anything. Runs the
 * checks that need no stored history (duplicates, campaigns and author history have no opinion
 * here), with the shipped spam model when models/spam-model.json exists, on the default settings
 * plus any given, and the curated spam lists the worker loads (SPAM_LISTS_DIR). A given form token is
 * verified with FORM_TOKEN_SECRET (the development secret unless set); without one, the sample is
 * judged as a post from the widget, whose token is valid, so the token check has no opinion.
 */
async function main(argv: readonly string[]): Promise<void> {
  const args = argv.filter((a) => a !== '--');
  if (args.length < 1 || args.length > 2 || args[0] === '--help' || args[0] === '-h') throw new UsageError();
  const raw = parseJsonObject(args[0], 'comment');
  const settings = args[1] ? mergeSettings(parseJsonObject(args[1], 'settings')) : { ...DEFAULT_SETTINGS };

  const modelPath = resolve(process.cwd(), SHIPPED_MODEL_PATH);
  const classifier: SpamClassifier | undefined = existsSync(modelPath) ? loadShippedModel(modelPath) : undefined;
  const config = loadConfig(process.env);
  // The curated lists the worker loads (SPAM_LISTS_DIR), so a sample scores as a real post would.
  const curatedLists = loadCuratedLists(config.SPAM_LISTS_DIR);
  const ctx: CheckContext = {
    comment: toComment(raw),
    request: {
      ip: typeof raw.ip === 'string' ? raw.ip : null,
      userAgent: typeof raw.userAgent === 'string' ? raw.userAgent : null,
      referrer: null,
      receivedAt: new Date().toISOString(),
    },
    settings,
    now: new Date(),
    classifier,
    ...(curatedLists ? { curatedLists } : {}),
    // A sample without a form token is judged as the widget's post (which carries a valid one): the token
    // check has no opinion then, as in the moderators' rule tester; a given token is verified.
    ...(typeof raw.formToken === 'string' ? { formTokenSecret: config.FORM_TOKEN_SECRET } : {}),
  };

  const verdicts = await runChecks(STATELESS_CHECKS, ctx);
  const decision = decide(verdicts, settings);
  const rows: (string | number)[][] = [];
  for (const v of verdicts) {
    const reasons = v.reasons.length ? v.reasons.map((r) => `${r.code}: ${r.message}`) : [''];
    reasons.forEach((reason, i) => rows.push(i === 0 ? [v.check, v.mode ?? 'enforce', v.verdict, String(v.score), reason] : ['', '', '', '', reason]));
  }
  process.stdout.write(formatTable(['check', 'mode', 'verdict', 'score', 'reasons'], rows));
  process.stdout.write(
    `\ndecision: ${decision.status} (score ${decision.score}; spam at ${settings.spamThreshold}, held at ${settings.holdThreshold})\n` +
      `model: ${classifier ? SHIPPED_MODEL_PATH : `none (${SHIPPED_MODEL_PATH} not found)`}; curated lists: ${curatedLists ? config.SPAM_LISTS_DIR : `none (${config.SPAM_LISTS_DIR}/smokedetector-lists not found)`}; stored history not consulted\n`,
  );
}

/** The comment as the worker would get it: shape-checked when valid, as given when not (so required_fields explains). */
function toComment(raw: Record<string, unknown>): CommentInput {
  const parsed = parseSubmission(raw);
  const base = parsed.ok ? parsed.value : raw;
  const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  return {
    id: randomUUID(),
    articleId: text(base.articleId),
    parentId: typeof base.parentId === 'string' ? base.parentId : null,
    authorName: text(base.authorName),
    authorEmail: text(base.authorEmail),
    authorUrl: typeof base.authorUrl === 'string' ? base.authorUrl : null,
    body: text(base.body),
    honeypot: typeof raw.honeypot === 'string' ? raw.honeypot : undefined,
    formToken: typeof raw.formToken === 'string' ? raw.formToken : null,
  };
}

class UsageError extends Error {
  constructor(detail?: string) {
    super(detail ? `${detail}\n${USAGE}` : USAGE);
  }
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the ${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`the ${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
