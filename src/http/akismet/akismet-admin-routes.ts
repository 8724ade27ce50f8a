import { Router } from 'express';
import { z } from 'zod';
import { listAkismetKeys, revokeAkismetKey } from '../../db/akismet-repository';
import type { Pool } from '../../db/pool';
import { NotFoundError } from '../../errors';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from '../moderators/auth';
import { parseBody } from '../moderators/schemas';
import { createAkismetKey } from './akismet-keys';
import { isUuid } from '../../lib/uuid';

const keyBody = z.object({ blog: z.string().trim().min(1, 'Give the site URL the key is for.').max(2000) });

/** Admins manage Akismet-compatible API keys: list, create (the key is shown once), revoke. */
export function akismetKeyRoutes(deps: { pool: Pool; publicUrl: string }): Router {
  const router = Router();
  router.use('/api/moderation/akismet-keys', authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl), requireRole('admin'));

  router.get('/api/moderation/akismet-keys', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ keys: await listAkismetKeys(deps.pool) });
  });

  router.post('/api/moderation/akismet-keys', async (req, res) => {
    const { blog } = parseBody(keyBody, req.body);
    const { key, record } = await createAkismetKey(deps.pool, blog, principalOf(res).actor);
    res.status(201).set('Cache-Control', 'no-store').json({ key, ...record });
  });

  router.delete('/api/moderation/akismet-keys/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await revokeAkismetKey(deps.pool, id))) throw new NotFoundError('No live key with this id.');
    res.json({ id, revoked: true });
  });

  return router;
}
