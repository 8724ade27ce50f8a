import { createHash } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import type { Pool } from '../../db/pool';
import { recordPerspectiveLesson } from '../../db/perspective-key-repository';
import type { Logger } from '../../logger';
import { calibrated, calibrateScores, type PerspectiveCalibration } from './calibration';
import type { CivilityScorer, CivilityTeacher } from './civility-port';
import { errorBody, invalidArgument, PerspectiveError } from './errors';
import { createKeyVerifier } from './keys';
import { detectLanguage, isSupportedLanguage } from './language';
import { createPerspectiveLimits } from './limits';
import { analyzeResponse } from './responses';
import { parseAnalyzeRequest, parseSuggestScoreRequest, type RequestedAttribute } from './requests';

/**
 * A Perspective-API-compatible endpoint (docs/perspective.md) answered by the site's own civility
 * model, so Coral Talk, Discourse's plugin and any Perspective client keep their toxicity filter:
 *
 *   POST [/v1alpha1]/comments:analyze?key=KEY       scores, in Perspective's answer shape
 *   POST [/v1alpha1]/comments:suggestscore?key=KEY  a moderator's verdict: one bounded, undoable lesson
 *
 * Both with and without the version prefix, since Coral appends the operation to whatever endpoint
 * the admin typed. Express reads `:` in a path string as a parameter, hence the regular expressions.
 * Nothing of an analysed comment is stored, whatever `doNotStore` says; a suggested score is kept
 * only as the civility lesson it teaches (plus which key taught it, for revocation).
 */
export const ANALYZE_PATH = /^\/(?:v1alpha1\/)?comments:analyze$/;
export const SUGGEST_SCORE_PATH = /^\/(?:v1alpha1\/)?comments:suggestscore$/;

export interface PerspectiveDeps {
  pool: Pool;
  redis: Redis;
  log: Logger;
  /** Redis key prefix for the per-key limits. */
  keyPrefix: string;
  requestsPerMinute: number;
  lessonsPerHour: number;
  /** The civility model; undefined while none is loaded (answers 503). */
  scorer: () => CivilityScorer | undefined;
  teacher?: CivilityTeacher;
  /** Maps the model's scores to raters' shares (calibration.ts); null serves the model's own scores. */
  calibration: PerspectiveCalibration | null;
  /** How long a key look-up is trusted (a revoked key stops working within this). */
  keyCacheMs?: number;
}

/** Big enough for 20 KB of text written as \uXXXX escapes, plus Coral's context entry. */
const BODY_LIMIT = '192kb';
/** A suggested score at or above this teaches "abusive", below it "civil" (Coral sends 1 or 0). */
const ABUSIVE_FROM = 0.5;

/** The key a request presents: `?key=` (what Google's clients send) or the X-Goog-Api-Key header. */
function presentedKey(req: Request): string | undefined {
  const q = req.query.key;
  const fromQuery = typeof q === 'string' ? q : Array.isArray(q) && typeof q[0] === 'string' ? q[0] : undefined;
  return fromQuery ?? req.get('x-goog-api-key');
}

/**
 * The language the comment is scored as, or Perspective's 400 for one the model does not handle:
 * declared languages are taken at their word, otherwise the text's language is guessed.
 */
function checkLanguage(text: string, declared: string[] | null, attributes: string[]): string {
  const detected = detectLanguage(text);
  const unsupported = declared ? declared.filter((l) => !isSupportedLanguage(l)) : isSupportedLanguage(detected) ? [] : [detected];
  if (unsupported.length) {
    throw invalidArgument(`Attribute ${attributes[0]} does not support request languages: ${unsupported.join(', ')}`, 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE');
  }
  return detected;
}

export function perspectiveRoutes(deps: PerspectiveDeps): Router {
  const router = Router();
  const verifyKey = createKeyVerifier(deps.pool, { ttlMs: deps.keyCacheMs ?? 2000 });
  const limits = createPerspectiveLimits({ redis: deps.redis, keyPrefix: deps.keyPrefix, requestsPerMinute: deps.requestsPerMinute, lessonsPerHour: deps.lessonsPerHour });
  const json = express.json({ limit: BODY_LIMIT });

  /** Key, then the per-key request limit: Google checks the key before reading the request. */
  const authorize: RequestHandler = async (req, res, next) => {
    const key = await verifyKey(presentedKey(req));
    if (!key) throw new PerspectiveError('PERMISSION_DENIED', 'The request is missing a valid API key.', 'PERMISSION_DENIED');
    res.locals.perspectiveKeyId = key.id;
    await limits.request(key.id);
    next();
  };

  const scorer = (): CivilityScorer => {
    const s = deps.scorer();
    if (!s) throw new PerspectiveError('UNAVAILABLE', 'The civility model is not loaded yet. Retry in a moment.', undefined, 5);
    return s;
  };

  router.post(ANALYZE_PATH, authorize, json, (req, res) => {
    const request = parseAnalyzeRequest(req.body);
    const detected = checkLanguage(request.text, request.languages, request.attributes.map((a: RequestedAttribute) => a.name));
    const model = scorer();
    // The words behind the scores only when the client asks for spans: scores alone are cheaper.
    const assessment = model.assess(request.text, { evidence: request.spanAnnotations });
    const served = { ...assessment, scores: calibrateScores(deps.calibration, assessment.scores) };
    const wordScores = new Map<string, number>();
    const wordScore: Parameters<typeof analyzeResponse>[3] = (word, attribute) => {
      const id = `${attribute}\u0000${word}`;
      let v = wordScores.get(id);
      if (v === undefined) wordScores.set(id, (v = calibrated(deps.calibration, attribute, model.assess(word, { evidence: false }).scores[attribute])));
      return v;
    };
    res.json(analyzeResponse(request, served, detected, wordScore));
  });

  router.post(SUGGEST_SCORE_PATH, authorize, json, async (req, res) => {
    const request = parseSuggestScoreRequest(req.body);
    checkLanguage(request.text, request.languages, request.scores.map((s) => s.name));
    if (!deps.teacher) throw new PerspectiveError('UNAVAILABLE', 'The civility model cannot learn right now. Retry in a moment.', undefined, 5);
    const keyId = res.locals.perspectiveKeyId as string;
    await limits.lesson(keyId);
    const label = Math.max(...request.scores.map((s) => s.value)) >= ABUSIVE_FROM ? 'abusive' : 'civil';
    // One lesson per comment and key: the client's token (Coral: the comment id) or else the text,
    // digested. A later suggestion for the same comment replaces the earlier lesson.
    const digest = createHash('sha256').update(request.clientToken ?? `text:${request.text}`).digest('base64url').slice(0, 32);
    const lessonKey = `perspective:${keyId}:${digest}`;
    await deps.teacher.teach({ text: request.text, label, key: lessonKey });
    await recordPerspectiveLesson(deps.pool, { lessonKey, keyId, label });
    res.json(request.clientToken !== undefined ? { clientToken: request.clientToken } : {});
  });

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (!ANALYZE_PATH.test(req.path) && !SUGGEST_SCORE_PATH.test(req.path)) return next(err);
    let answer: PerspectiveError;
    if (err instanceof PerspectiveError) answer = err;
    else if (err?.type === 'entity.parse.failed') answer = invalidArgument('Invalid JSON payload received.');
    else if (err?.type === 'entity.too.large') answer = invalidArgument(`The request body is larger than ${BODY_LIMIT}.`, 'COMMENT_TOO_LONG');
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) answer = invalidArgument('The request could not be understood.');
    else {
      (res.locals.log as Logger | undefined ?? deps.log).error({ err }, 'perspective api error');
      answer = new PerspectiveError('INTERNAL', 'Internal error encountered.');
    }
    if (answer.retryAfterSeconds !== undefined) res.set('Retry-After', String(answer.retryAfterSeconds));
    if (res.headersSent) return;
    res.status(answer.code).json(errorBody(answer));
  };
  router.use(onError);
  return router;
}
