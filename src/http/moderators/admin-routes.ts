import type { CivilityScorer } from '../../models/civility-model';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Config } from '../../config';
import { createHistoryLookup } from '../../db/history-lookup';
import type { Pool } from '../../db/pool';
import { eraseByEmail, exportByEmail } from '../../db/privacy-repository';
import { erasureScrubber } from '../../moderation/erase-identity';
import { loadSettings, saveSettings } from '../../moderation/settings-store';
import { ValidationError } from '../../errors';
import type { ReviewFeed } from '../../live/review-feed';
import { CHECK_CATALOG } from '../../moderation/check-catalog';
import { ALL_CHECKS } from '../../moderation/checks';
import { decide, runChecks } from '../../moderation/pipeline';
import { DEFAULT_SETTINGS, mergeSettings, settingsSchema } from '../../moderation/settings';
import type { CuratedLists } from '../../models/curated-lists';
import type { ModerationSettings, SpamClassifier } from '../../moderation/types';
import { compileUserRegex } from '../../moderation/user-regex';
import { authenticate, ForbiddenError, principalOf, refuseCrossSiteWrites, requireRole } from './auth';
import { eraseBody, parseBody, privacyEmail, ruleTestBody } from './schemas';
import type { RedisErasure } from './redis-erasure';
import { eraseReaderReports } from './report-erasure';

export interface AdminRouteDeps {
  pool: Pool;
  config: Pick<Config, 'PUBLIC_URL' | 'FORM_TOKEN_SECRET'>;
  feed?: ReviewFeed;
  /** The spam model the workers use, when one is loaded: the rule tester runs it too. */
  classifier?: () => SpamClassifier | undefined;
  /** The civility model, when one is loaded: the rule tester runs it too. */
  civility?: () => CivilityScorer | undefined;
  /** The curated spam lists the workers load (SPAM_LISTS_DIR): the rule tester reads them too. */
  curatedLists?: () => CuratedLists | undefined;
  /** Erasure's Redis half (queue jobs, flood counters); runs before the database's. */
  eraseFromRedis?: RedisErasure;
}

/** Every setting optional (a PUT may change a few), each validated by the shared schema. */
const settingsPatch = settingsSchema.partial();

/** Validates a settings change and the rules between fields, against what is stored. */
function validateSettings(current: ModerationSettings, input: unknown): Partial<ModerationSettings> {
  const patch = parseBody(settingsPatch, input) as Partial<ModerationSettings>;
  const merged = { ...current, ...patch };
  if (merged.holdThreshold > merged.spamThreshold) {
    throw new ValidationError([{ field: 'holdThreshold', message: 'The hold threshold must not be above the spam threshold.' }]);
  }
  // Regex entries run in RE2 (linear time): one it cannot run, or no regex at all, is refused here.
  const problems = (['moderationKeys', 'disallowedKeys'] as const).flatMap((list) =>
    (patch[list] ?? []).flatMap((e, i) => {
      if (e.kind !== 'regex') return [];
      const compiled = compileUserRegex(e.pattern);
      if (compiled.ok) return [];
      const message = compiled.unsupported ? `This regular expression is refused: ${compiled.error}.` : `Not a valid regular expression: ${e.pattern}`;
      return [{ field: `${list}.${i}.pattern`, message }];
    }),
  );
  if (problems.length) throw new ValidationError(problems);
  return patch;
}

/**
 * Admin tools: settings (read, change, try out with the rule tester) and privacy requests (export
 * and erase one email's data). The rule tester is open to moderators too, with the stored settings only.
 */
export function moderationAdminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  router.use('/api/moderation', authenticate(deps.pool), refuseCrossSiteWrites(deps.config.PUBLIC_URL));
  const admin = requireRole('admin');
  const history = createHistoryLookup(deps.pool);

  router.get('/api/moderation/settings', admin, async (_req, res) => {
    const { settings } = await loadSettings(deps.pool);
    res.set('Cache-Control', 'no-store').json({ settings, defaults: DEFAULT_SETTINGS, checks: CHECK_CATALOG });
  });

  router.put('/api/moderation/settings', admin, async (req, res) => {
    const { settings: current } = await loadSettings(deps.pool);
    const patch = validateSettings(current, req.body);
    const settings = await saveSettings(deps.pool, patch, principalOf(res).actor);
    res.json({ settings, defaults: DEFAULT_SETTINGS, checks: CHECK_CATALOG });
  });

  /**
   * Runs every check on a pasted sample with the stored settings, saving nothing. Least privilege:
   * only admins (who may read and change the settings anyway) may try unsaved changes and get the
   * merged settings, word lists included, back; moderators test what is stored and see the verdicts.
   */
  router.post('/api/moderation/rule-test', requireRole('admin', 'moderator'), async (req, res) => {
    const body = parseBody(ruleTestBody, req.body);
    const isAdmin = principalOf(res).moderator.role === 'admin';
    if (!isAdmin && Object.keys(body.settings).length > 0) {
      throw new ForbiddenError('settings_override_forbidden', 'Only admins may try unsaved settings; leave out "settings" to test with the stored ones.');
    }
    const { settings: stored } = await loadSettings(deps.pool);
    const settings = mergeSettings({ ...stored, ...validateSettings(stored, body.settings) });
    const now = new Date();
    const lists = deps.curatedLists?.();
    const ctx = {
      comment: { id: randomUUID(), ...body.comment, honeypot: null, formToken: null },
      request: { ip: body.request.ip, userAgent: body.request.userAgent, referrer: null, receivedAt: now.toISOString() },
      settings,
      now,
      history,
      classifier: deps.classifier?.(),
      civility: deps.civility?.(),
      // The lists the workers read, so a listed site or number scores here as in a real post.
      ...(lists ? { curatedLists: lists } : {}),
      // No form token secret: a pasted sample came through no form, so the token check has no opinion
      // (with the secret, every sample scored a point for a missing token).
    };
    const verdicts = await runChecks(ALL_CHECKS, ctx);
    res.json({ decision: decide(verdicts, settings), ...(isAdmin ? { settings } : {}) });
  });

  router.get('/api/moderation/privacy/export', admin, async (req, res) => {
    const { email } = parseBody(privacyEmail, req.query);
    const data = await exportByEmail(deps.pool, email);
    res
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', `attachment; filename="personal-data-${email.replace(/[^\w.@-]/g, '_')}.json"`)
      .json(data);
  });

  router.post('/api/moderation/privacy/erase', admin, async (req, res) => {
    const body = parseBody(eraseBody, req.body);
    const actor = principalOf(res).actor;
    const queued = await deps.eraseFromRedis?.(body.email, body.bodies);
    // Readers' reports (before the comments lose their addresses): issue 24.
    const reports = await eraseReaderReports(deps.pool, deps.config.FORM_TOKEN_SECRET, body.email, (req.body as Record<string, unknown>).readerToken);
    const result = await eraseByEmail(deps.pool, body.email, body.bodies, { actor, note: body.note ?? 'personal data erased on request' }, erasureScrubber);
    if (deps.feed && result.ids.length) {
      await deps.feed.publish({ type: 'changed', commentIds: result.ids, to: body.bodies === 'delete' ? 'deleted' : 'edited', actor, at: new Date().toISOString() });
    }
    res.json({ email: body.email, bodies: body.bodies, comments: result.ids.length, queueJobs: queued?.jobs ?? 0, reports });
  });

  return router;
}
