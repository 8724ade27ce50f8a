import { requiredFieldsCheck } from './checks/required-fields';
import { LIMITS } from './comment-schema';
import type { Check, CheckContext, CheckMode, CheckResult, Decision, ModerationSettings, RequestContext } from './types';
import { wellFormed } from './well-formed';

/**
 * Request fields come from headers (the API takes them as sent, up to Node's 16 KB header limit):
 * checks read at most this much of each. An IPv6 address with a zone is under 64 characters.
 */
export const REQUEST_LIMITS = { ip: 64, userAgent: 1000, referrer: 2000 } as const;

/** Form extras are cut to this length by the API (comment-schema's formExtra). */
const EXTRA_LIMIT = 1000;

/** The comment's fields that are longer than the shape rules allow (after trimming, as the schema reads them). */
function fieldsOverLimit(comment: CheckContext['comment']): string[] {
  const over = (v: unknown, max: number) => typeof v === 'string' && v.length > max && v.trim().length > max;
  const fields: string[] = [];
  for (const field of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) if (over(comment[field], LIMITS[field])) fields.push(field);
  if (over(comment.honeypot, EXTRA_LIMIT)) fields.push('honeypot');
  if (over(comment.formToken, EXTRA_LIMIT)) fields.push('formToken');
  return fields;
}

function clip(v: string | null, max: number): string | null {
  return v !== null && v.length > max ? v.slice(0, max) : v;
}

/** The request with each header field cut to its limit (the same object when nothing is cut). */
function boundedRequest(request: RequestContext): RequestContext {
  const { ip, userAgent, referrer } = request;
  if ((ip?.length ?? 0) <= REQUEST_LIMITS.ip && (userAgent?.length ?? 0) <= REQUEST_LIMITS.userAgent && (referrer?.length ?? 0) <= REQUEST_LIMITS.referrer) return request;
  return { ...request, ip: clip(ip, REQUEST_LIMITS.ip), userAgent: clip(userAgent, REQUEST_LIMITS.userAgent), referrer: clip(referrer, REQUEST_LIMITS.referrer) };
}

/**
 * A comment whose fields are over the limits is rejected by the shape rules alone, before any
 * check reads its text: no pattern ever runs on more than the limits allow, whoever enqueued the
 * job (the API refuses such comments already; the rule tester and `npm run check` do not).
 */
function rejectedForLength(ctx: CheckContext, fields: string[]): CheckResult {
  const shape = requiredFieldsCheck.run(ctx) as CheckResult;
  const reasons = shape.verdict === 'reject' ? shape.reasons : [];
  for (const field of fields) {
    if (!reasons.some((r) => r.field === field)) reasons.push({ code: 'field_too_long', message: `The ${field} field is too long: no check was run.`, field });
  }
  return { check: requiredFieldsCheck.name, verdict: 'reject', score: 0, reasons };
}

/**
 * Runs every check that is not `off` (no short-circuit: moderators see every reason) and decides.
 * A check that throws is recorded as `review` with `check_failed`: a fault sends the comment to a
 * human, never silently to readers. Infrastructure faults that must be retried (the database is
 * away) are the caller's: pass `rethrow` to let them propagate instead.
 */
export async function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  opts: { rethrow?: (err: unknown) => boolean } = {},
): Promise<CheckResult[]> {
  const tooLong = fieldsOverLimit(ctx.comment);
  if (tooLong.length) return [finish(rejectedForLength(ctx, tooLong), 'enforce')];
  const request = boundedRequest(ctx.request);
  if (request !== ctx.request) ctx = { ...ctx, request };
  // Most checks are synchronous: their results are taken as they come, and only the checks that
  // answer with a promise (history look-ups) are awaited, together. Every check still runs, in
  // order, and a check that throws or rejects is handled the same way either way.
  const results: (CheckResult | Promise<CheckResult>)[] = [];
  let pending = false;
  for (const check of checks) {
    const mode = ctx.settings.checkModes[check.name] ?? 'enforce';
    // Off: not run at all, so it costs nothing and leaves no verdict (observe is for watching a check).
    if (mode === 'off') continue;
    try {
      const answer = check.run(ctx);
      if (isThenable(answer)) {
        pending = true;
        results.push(
          Promise.resolve(answer)
            .then((result) => finish(result, mode))
            .catch((err: unknown) => failed(check, mode, err, opts)),
        );
      } else results.push(finish(answer, mode));
    } catch (err) {
      if (opts.rethrow?.(err)) {
        // Through Promise.all, like the asynchronous checks' faults: nothing is left unhandled.
        pending = true;
        results.push(Promise.reject(err));
      } else results.push(failed(check, mode, err, {}));
    }
  }
  return pending ? Promise.all(results) : (results as CheckResult[]);
}

function isThenable<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** A check's result as recorded: its mode, and quoted text kept storable. */
function finish(result: CheckResult, mode: CheckMode): CheckResult {
  // Quoted matches are cut from the comment's text and may split a surrogate pair: keep them storable.
  // Nearly every reason is well-formed already: it is kept as it is, and only one that is not is copied.
  let reasons = result.reasons;
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i];
    const message = wellFormed(r.message);
    const match = typeof r.match === 'string' ? wellFormed(r.match) : r.match;
    if (message === r.message && match === r.match) continue;
    if (reasons === result.reasons) reasons = [...reasons];
    reasons[i] = { ...r, message, ...(typeof r.match === 'string' ? { match } : {}) };
  }
  return { ...result, reasons, mode };
}

/** A check that threw: `review` with `check_failed`, unless the caller wants the fault (rethrow). */
function failed(check: Check, mode: CheckMode, err: unknown, opts: { rethrow?: (err: unknown) => boolean }): CheckResult {
  if (opts.rethrow?.(err)) throw err;
  return {
    check: check.name,
    verdict: 'review' as const,
    score: 0,
    mode,
    error: true,
    reasons: [{ code: 'check_failed', message: `The ${check.name} check failed, so a moderator should look.` }],
  };
}

/**
 * The whole decision policy, pure: any reject → rejected; a spam verdict, or a total score at or
 * over the spam threshold that some strong evidence contributes to → spam (or trash, for
 * disallowed words set to trash); any review or score over the hold threshold → pending;
 * otherwise approved, unless every comment is held.
 * Weak points alone (results marked `weak`: what the text looks like, a missing form token) never
 * bin a reader: however many pile up, the comment waits for a moderator. Only a check that is sure
 * (a `spam` verdict: honeypot, campaign, disallowed keys, a curated spam site, the model when it is
 * extremely sure), strong points (spam history, a forged token, BBCode links), or a model past its
 * corroborated anchor together with a spam-shaped signal (self-promotion, a support number, anchor
 * text, an advert for a name: `corroborates`) bin.
 * Observed (shadow-mode) verdicts are kept but count for nothing.
 */
export function decide(verdicts: readonly CheckResult[], settings: ModerationSettings): Decision {
  // Only enforced verdicts count: observed ones are kept for moderators, and an `off` verdict (from a
  // caller that ran a check anyway) counts for nothing either.
  const enforced = verdicts.filter((v) => (v.mode ?? 'enforce') === 'enforce');
  const score = round(enforced.reduce((sum, v) => sum + (Number.isFinite(v.score) ? v.score : 0), 0));
  const all = [...verdicts];
  const has = (verdict: CheckResult['verdict']) => enforced.some((v) => v.verdict === verdict);

  if (has('reject')) return { status: 'rejected', score, verdicts: all };
  // A sure model corroborated by a spam-shaped signal bins; either alone does not.
  const corroborated = enforced.some((v) => v.binIfCorroborated) && enforced.some((v) => v.corroborates);
  if (has('spam') || corroborated || (score >= settings.spamThreshold && hasStrongPoints(enforced))) {
    const trash = enforced.some((v) => v.reasons.some((r) => r.code === 'disallowed_key')) && settings.disallowedAction === 'trash';
    return { status: trash ? 'trash' : 'spam', score, verdicts: all };
  }
  if (has('review') || score >= settings.holdThreshold || settings.holdAll) return { status: 'pending', score, verdicts: all };
  return { status: 'approved', score, verdicts: all };
}

/** Convenience for callers that do not need the raw results: run every check, then decide. */
export async function moderate(checks: readonly Check[], ctx: CheckContext, opts?: Parameters<typeof runChecks>[2]): Promise<Decision> {
  return decide(await runChecks(checks, ctx, opts), ctx.settings);
}

/** Whether a check that is not weak evidence adds points towards spam. */
function hasStrongPoints(enforced: readonly CheckResult[]): boolean {
  return enforced.some((v) => !v.weak && Number.isFinite(v.score) && v.score > 0);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The reasons a decision's first moderation event records: what moved it (non-pass verdicts of enforced checks). */
export function decisiveReasons(verdicts: readonly CheckResult[]) {
  return verdicts
    .filter((v) => v.verdict !== 'pass' && (v.mode ?? 'enforce') === 'enforce')
    .flatMap((v) => v.reasons.map((r) => ({ check: v.check, ...r })));
}
