import type { CivilityAssessment, CivilityAttribute } from '../../models/civility-model';
import type { Check, CheckContext, CheckResult } from '../types';

const NAME = 'civility';
/** Words quoted in the message, at most. */
const WORDS_SHOWN = 3;

/**
 * The kinds a held comment is named by, each with the share of the toxicity score at which it is
 * named (raters give threats and identity attacks far more rarely than insults, so a smaller share
 * names them), and the message's opening.
 */
const KINDS: readonly { attribute: Exclude<CivilityAttribute, 'toxicity'>; namedAt: number; says: string }[] = [
  { attribute: 'threat', namedAt: 0.25, says: 'Reads as a threat' },
  { attribute: 'identity_attack', namedAt: 0.25, says: 'Attacks people for who they are' },
  { attribute: 'severe_toxicity', namedAt: 0.15, says: 'Looks like severe abuse' },
  { attribute: 'obscene', namedAt: 0.5, says: 'Obscene language' },
  { attribute: 'insult', namedAt: 0.6, says: 'Looks like a personal insult' },
];

/** Allow-lists as sets, kept per list (the settings object is cached and shared between comments). */
const allowSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function allowSet(list: readonly string[]): ReadonlySet<string> {
  let set = allowSets.get(list);
  if (!set) {
    set = new Set(list.map((w) => w.toLowerCase()));
    allowSets.set(list, set);
  }
  return set;
}

/**
 * The kind a held comment is named by: the kind whose score stands furthest over the share of the
 * toxicity score at which it is named (a threat at half the toxicity outranks an insult at nine
 * tenths of it: threats are rated far more rarely); null (`toxicity`) when no kind reaches its share.
 */
export function civilityKind(scores: CivilityAssessment['scores']): (typeof KINDS)[number] | null {
  let best: (typeof KINDS)[number] | null = null;
  let ratio = 1;
  const toxicity = Math.max(scores.toxicity, 1e-6);
  for (const kind of KINDS) {
    const r = scores[kind.attribute] / (kind.namedAt * toxicity);
    if (r >= ratio) {
      best = kind;
      ratio = r;
    }
  }
  return best;
}

/** The distinct words of the evidence for `attribute`, strongest first ('idiot', 'moron'). */
function quotedWords(evidence: CivilityAssessment['evidence'], attribute: CivilityAttribute): string[] {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const e of evidence) {
    if (e.attribute !== attribute) continue;
    const key = e.word.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    words.push(e.word);
    if (words.length === WORDS_SHOWN) break;
  }
  return words;
}

/**
 * The civility model's opinion (src/models/civility.ts): holds a comment whose toxicity score is at or
 * over settings.civilityHoldThreshold, and names the kind (insult, threat, identity attack, obscene,
 * severe) and the words that weighed most. It adds no spam points and never bins: civility is a
 * moderator's call. Without a model it has no opinion (spam is what needs a human when a model is away).
 */
export const civilityCheck: Check = {
  name: NAME,
  run(ctx: CheckContext): CheckResult {
    if (!ctx.civility) return { check: NAME, verdict: 'pass', score: 0, reasons: [] };
    const { settings, comment } = ctx;
    const allow = settings.civilityAllowList.length ? allowSet(settings.civilityAllowList) : undefined;
    const threshold = settings.civilityHoldThreshold;
    // One reading of the text: the evidence is gathered only when the comment is held.
    const { scores, evidence } = ctx.civility.assess(comment.body, { allow, evidence: (s) => s.toxicity >= threshold });
    if (scores.toxicity < threshold) return { check: NAME, verdict: 'pass', score: 0, reasons: [] };

    const kind = civilityKind(scores);
    const attribute: CivilityAttribute = kind?.attribute ?? 'toxicity';
    let words = quotedWords(evidence, attribute);
    if (!words.length) words = quotedWords(evidence, 'toxicity');
    const quoted = words.length ? `: ${words.map((w) => `'${w}'`).join(', ')}` : '';
    const message = `${kind?.says ?? 'Reads as abusive'}${quoted} (toxicity ${scores.toxicity.toFixed(2)}, held from ${settings.civilityHoldThreshold}).`;
    return {
      check: NAME,
      verdict: 'review',
      score: 0,
      weak: true,
      reasons: [{ code: attribute, message, field: 'body', ...(words.length ? { match: words.join(', ') } : {}) }],
    };
  },
};
