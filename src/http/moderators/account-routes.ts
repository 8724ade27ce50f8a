import { Router } from 'express';
import { hashPassword } from '../../accounts/password';
import { API_TOKEN_PREFIX, hashSecretToken, newSecretToken } from '../../accounts/secret-token';
import {
  countActiveAdmins,
  createApiToken,
  createModerator,
  listApiTokens,
  listModerators,
  revokeApiToken,
  updateModerator,
} from '../../db/moderator-repository';
import type { Pool } from '../../db/pool';
import { ConflictError, NotFoundError } from '../../errors';
import { authenticate, ForbiddenError, principalOf, refuseCrossSiteWrites, requireRole } from './auth';
import { createModeratorBody, parseBody, tokenBody, updateModeratorBody } from './schemas';
import { isUuid } from '../../lib/uuid';

/**
 * Accounts: admins manage moderators (create, change role, disable, reset a password); everyone
 * manages their own API tokens. A token is shown once, at creation; only its hash is stored.
 */
export function moderationAccountRoutes(deps: { pool: Pool; publicUrl: string }): Router {
  const router = Router();
  router.use('/api/moderation', authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl));
  const admin = requireRole('admin');

  router.get('/api/moderation/moderators', admin, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ moderators: await listModerators(deps.pool) });
  });

  router.post('/api/moderation/moderators', admin, async (req, res) => {
    const body = parseBody(createModeratorBody, req.body);
    const moderator = await createModerator(deps.pool, { email: body.email, name: body.name, role: body.role, passwordHash: await hashPassword(body.password) });
    res.status(201).json({ moderator });
  });

  router.patch('/api/moderation/moderators/:id', admin, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new NotFoundError('No moderator with this id.');
    const body = parseBody(updateModeratorBody, req.body);
    const target = (await listModerators(deps.pool)).find((m) => m.id === id);
    if (!target) throw new NotFoundError('No moderator with this id.');
    const losesAdmin = target.role === 'admin' && !target.disabled && (body.disabled === true || body.role === 'moderator');
    if (losesAdmin && (await countActiveAdmins(deps.pool)) <= 1) {
      throw new ConflictError('last_admin', 'This is the only admin: make another admin first.');
    }
    const moderator = await updateModerator(deps.pool, id, {
      role: body.role,
      name: body.name,
      disabled: body.disabled,
      passwordHash: body.password ? await hashPassword(body.password) : undefined,
    });
    res.json({ moderator });
  });

  router.get('/api/moderation/tokens', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ tokens: await listApiTokens(deps.pool, principalOf(res).moderator.id) });
  });

  /** Creates a token for scripts; the answer is the only time the token is shown. */
  router.post('/api/moderation/tokens', async (req, res) => {
    const principal = principalOf(res);
    if (principal.via !== 'session') throw new ForbiddenError('session_required', 'Create API tokens while signed in, not with another token.');
    const { name } = parseBody(tokenBody, req.body);
    const token = newSecretToken(API_TOKEN_PREFIX);
    const info = await createApiToken(deps.pool, principal.moderator.id, name, hashSecretToken(token));
    res.status(201).set('Cache-Control', 'no-store').json({ ...info, token });
  });

  router.delete('/api/moderation/tokens/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await revokeApiToken(deps.pool, principalOf(res).moderator.id, id))) throw new NotFoundError('No token with this id.');
    res.status(204).end();
  });

  return router;
}
