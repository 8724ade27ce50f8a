import { Router, type Request, type Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { deleteAkismetChecksBefore, findAkismetCheck, findLiveAkismetKey, insertAkismetCheck, reportAkismetCheck } from '../../db/akismet-repository';
import { createHistoryLookup } from '../../db/history-lookup';
import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import type { CuratedLists } from '../../models/curated-lists';
import { ALL_CHECKS } from '../../moderation/checks';
import { decide, runChecks } from '../../moderation/pipeline';
import type { CheckResult, Decision, ModerationSettings, SpamClassifier } from '../../moderation/types';
import type { LearnFn } from '../moderators/review-routes';
import { akismetComment, classifierInput, flag, param, type AkismetParams } from './akismet-comment';
import { AKISMET_KEY_PATTERN, blogIdentity, hashAkismetKey } from './akismet-keys';

export interface AkismetRouteDeps {
  pool: Pool;
  log: Logger;
  settings: () => Promise<ModerationSettings>;
  /** The shared spam model (the workers' own, refreshed from Postgres). */
  classifier?: () => SpamClassifier | undefined;
  /** Teaches the shared spam model, under a key, undoably (moderators' lessons go the same way). */
  learn?: LearnFn;
  /** Curated spam lists, loaded on first use (the worker loads the same). */
  curatedLists?: () => CuratedLists | undefined;
  /** Days a comment-check's record (guid, status, score) is kept for submit-spam / submit-ham. */
  retentionDays: number;
}

export const THANKS = 'Thanks for making the web a better place.';

/**
 * Checks the comment's site never asked this service to enforce: its CMS has its own form and its
 * own required fields, and no form of ours issued a token.
 */
const NOT_FOR_AKISMET = { required_fields: 'off', form_token: 'off' } as const;

/** How often the retention purge may run (at most once an hour per process, on a comment-check). */
const PURGE_EVERY_MS = 3600_000;

type Answer = { kind: 'ok'; keyId: string } | { kind: 'error'; body: string; help: string };

/**
 * Akismet's REST API 1.1, self-hosted: verify-key, comment-check, submit-spam, submit-ham, with
 * Akismet's parameter names and answers (docs/integrations.md). The key comes as `api_key` (or
 * verify-key's `key`), or, from older clients, as the first label of the host name.
 * comment-check runs every check and the same `decide` the worker runs, synchronously, as the
 * rule tester does, and keeps only guid, status and score; submit-spam / submit-ham teach the spam
 * model from the comment they send (keyed by guid, so a report replaced by the opposite report
 * takes the first lesson back) and correct the record.
 */
export function akismetRoutes(deps: AkismetRouteDeps): Router {
  const router = Router();
  const history = createHistoryLookup(deps.pool);
  let lastPurge = 0;

  /** The caller's key, checked against `blog`. */
  const authorise = async (req: Request, p: AkismetParams, required: readonly string[]): Promise<Answer> => {
    const key = (param(p, 'api_key') || param(p, 'key') || keyFromHost(req)).trim().toLowerCase();
    if (!key) return { kind: 'error', body: 'Missing required field: api_key.', help: 'Empty "api_key" value' };
    const blog = param(p, 'blog').trim();
    if (!blog) return { kind: 'error', body: 'Missing required field: blog.', help: 'Empty "blog" value' };
    const found = AKISMET_KEY_PATTERN.test(key) ? await findLiveAkismetKey(deps.pool, hashAkismetKey(key)) : null;
    if (!found) return { kind: 'error', body: 'invalid', help: 'Invalid key' };
    const site = blogIdentity(blog);
    if (!site || site !== blogIdentity(found.blog)) return { kind: 'error', body: 'invalid', help: 'The blog parameter does not match the site this key was made for' };
    for (const name of required) {
      if (!param(p, name).trim()) return { kind: 'error', body: `Missing required field: ${name}.`, help: `Empty "${name}" value` };
    }
    return { kind: 'ok', keyId: found.id };
  };

  const refuse = (res: Response, answer: Extract<Answer, { kind: 'error' }>) => {
    res.set('X-akismet-debug-help', answer.help).set('X-akismet-error', answer.help);
    text(res, answer.body);
  };

  router.post('/1.1/verify-key', async (req, res) => {
    const answer = await authorise(req, body(req), []);
    if (answer.kind === 'ok') return text(res, 'valid');
    res.set('X-akismet-debug-help', answer.help).set('X-akismet-error', answer.help);
    text(res, 'invalid');
  });

  router.post('/1.1/comment-check', async (req, res) => {
    const p = body(req);
    const answer = await authorise(req, p, ['user_ip']);
    if (answer.kind === 'error') return refuse(res, answer);
    const guid = randomUUID();
    const isTest = flag(p, 'is_test');
    // Akismet: a comment written by an administrator is never spam.
    const decision = param(p, 'user_role').trim().toLowerCase() === 'administrator' ? null : await check(p, guid);
    const status = decision?.status ?? 'approved';
    await insertAkismetCheck(deps.pool, { guid, keyId: answer.keyId, status, score: decision?.score ?? 0, isTest });
    purgeNowAndThen();
    const spam = status === 'spam' || status === 'trash';
    res.set('X-akismet-guid', guid);
    if (spam && decision && isBlatant(decision.verdicts)) res.set('X-akismet-pro-tip', 'discard');
    text(res, spam ? 'true' : 'false');
  });

  for (const label of ['spam', 'ham'] as const) {
    router.post(`/1.1/submit-${label}`, async (req, res) => {
      const p = body(req);
      const answer = await authorise(req, p, ['user_ip']);
      if (answer.kind === 'error') return refuse(res, answer);
      // is_test: answered as usual, teaches nothing and changes no record.
      if (!flag(p, 'is_test')) await report(answer.keyId, p, label, res);
      text(res, THANKS);
    });
  }

  /** Runs every check and decides: the worker's pipeline and decide, as the rule tester runs them. */
  async function check(p: AkismetParams, guid: string): Promise<Decision> {
    const stored = await deps.settings();
    const settings: ModerationSettings = { ...stored, checkModes: { ...stored.checkModes, ...NOT_FOR_AKISMET } };
    const { comment, request } = akismetComment(p, guid);
    const curatedLists = deps.curatedLists?.();
    const ctx = {
      comment,
      request,
      settings,
      now: new Date(),
      history,
      classifier: deps.classifier?.(),
      ...(curatedLists ? { curatedLists } : {}),
    };
    return decide(await runChecks(ALL_CHECKS, ctx), settings);
  }

  /** Teaches the model (one lesson per reported comment, replaced by an opposite report) and corrects the record. */
  async function report(keyId: string, p: AkismetParams, label: 'spam' | 'ham', res: Response): Promise<void> {
    const guid = param(p, 'guid').trim();
    const known = /^[0-9a-f-]{36}$/i.test(guid) ? await findAkismetCheck(deps.pool, keyId, guid) : null;
    if (known?.isTest) return;
    const { comment } = akismetComment(p);
    const lessonKey = known ? `akismet:${guid}` : `akismet:${keyId}:${contentDigest(p)}`;
    try {
      await deps.learn?.(classifierInput(comment), label, { key: lessonKey });
    } catch (err) {
      ((res.locals.log as Logger | undefined) ?? deps.log).warn({ err: (err as Error).message }, 'spam filter did not learn from an akismet report');
    }
    if (known) await reportAkismetCheck(deps.pool, keyId, guid, label);
  }

  function purgeNowAndThen(): void {
    const now = Date.now();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    deleteAkismetChecksBefore(deps.pool, deps.retentionDays).catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'akismet retention purge failed'));
  }

  return router;
}

/** Blatant spam (Akismet's "discard"): a check that is sure said spam, not just points over the threshold; test values excepted. */
function isBlatant(verdicts: readonly CheckResult[]): boolean {
  return verdicts.some((v) => v.verdict === 'spam' && (v.mode ?? 'enforce') === 'enforce' && v.check !== 'akismet_test');
}

/** A reported comment with no guid is named by what it says and who wrote it. */
function contentDigest(p: AkismetParams): string {
  const parts = ['comment_content', 'comment_author', 'comment_author_email', 'comment_author_url'].map((n) => param(p, n));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** Old clients send the key as the host name's first label (`KEY.rest.akismet.com`). */
function keyFromHost(req: Request): string {
  const host = req.get('host') ?? '';
  const dot = host.indexOf('.');
  if (dot < 1) return '';
  const label = host.slice(0, dot);
  return AKISMET_KEY_PATTERN.test(label.toLowerCase()) ? label : '';
}

function body(req: Request): AkismetParams {
  return req.body && typeof req.body === 'object' ? (req.body as AkismetParams) : {};
}

function text(res: Response, answer: string): void {
  res.set('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(answer);
}
