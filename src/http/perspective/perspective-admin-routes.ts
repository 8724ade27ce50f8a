import { Router } from 'express';
import { z } from 'zod';
import { insertPerspectiveKey, listPerspectiveKeys, revokePerspectiveKey } from '../../db/perspective-key-repository';
import type { Pool } from '../../db/pool';
import { NotFoundError } from '../../errors';
import type { Logger } from '../../logger';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from '../moderators/auth';
import { parseBody, parseQuery } from '../moderators/schemas';
import { newPerspectiveKey } from './keys';
import { takeBackPerspectiveLessons } from './setup';
import { isUuid } from '../../lib/uuid';

const keyBody = z.object({ label: z.string().trim().max(200, 'A label has at most 200 characters.').default('') });
const revokeQuery = z.object({ takeBackLessons: z.enum(['0', '1', 'true', 'false']).optional() });

/**
 * Admins manage the Perspective-compatible API's keys as they manage the Akismet-compatible ones:
 * list, create (the key is shown once, only its digest is stored), revoke, and optionally take back
 * every lesson a revoked key taught through comments:suggestscore. `npm run perspective:key` does the
 * same from a shell.
 */
export function perspectiveKeyRoutes(deps: { pool: Pool; log: Logger; publicUrl: string }): Router {
  const router = Router();
  router.use('/api/moderation/perspective-keys', authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin'));

  router.get('/api/moderation/perspective-keys', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ keys: await listPerspectiveKeys(deps.pool) });
  });

  router.post('/api/moderation/perspective-keys', async (req, res) => {
    const { label } = parseBody(keyBody, req.body ?? {});
    const fresh = newPerspectiveKey();
    const row = await insertPerspectiveKey(deps.pool, { keyHash: fresh.keyHash, keyHint: fresh.keyHint, label });
    deps.log.info({ keyId: row.id, by: principalOf(res).actor }, 'perspective key created');
    res.status(201).set('Cache-Control', 'no-store').json({ key: fresh.key, ...row });
  });

  router.delete('/api/moderation/perspective-keys/:id', async (req, res) => {
    const id = String(req.params.id);
    const { takeBackLessons } = parseQuery(revokeQuery, req.query);
    const row = isUuid(id) ? await revokePerspectiveKey(deps.pool, id) : null;
    if (!row) throw new NotFoundError('No key with this id.');
    const lessonsTakenBack = takeBackLessons === '1' || takeBackLessons === 'true' ? await takeBackPerspectiveLessons(deps.pool, deps.log, row.id) : 0;
    deps.log.info({ keyId: row.id, by: principalOf(res).actor, lessonsTakenBack }, 'perspective key revoked');
    res.json({ id: row.id, revoked: true, lessonsTakenBack });
  });

  return router;
}
