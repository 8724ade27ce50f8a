import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { readIntegrationSettings, readNotifyHeld, setNotifyHeld, updateIntegrationSettings } from '../../db/integration-settings-repository';
import type { Pool } from '../../db/pool';
import { disableWebhookEndpoint, insertWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from '../../db/webhook-repository';
import { NotFoundError, ValidationError } from '../../errors';
import { COMMENT_EVENTS } from '../../integrations/comment-events';
import { parseWebhookUrl, RefusedTargetError, resolveTarget } from '../../integrations/webhooks/target-guard';
import { authenticate, principalOf, refuseCrossSiteWrites, requireRole } from '../moderators/auth';
import { parseBody } from '../moderators/schemas';
import { isUuid } from '../../lib/uuid';

const endpointBody = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z.array(z.enum(COMMENT_EVENTS)).min(1, 'Pick at least one event.').max(COMMENT_EVENTS.length),
  /** Optional: a secret of the admin's own (at least 16 characters); default: one is made and shown once. */
  secret: z.string().min(16, 'At least 16 characters.').max(200).optional(),
});
const settingsBody = z.object({ webhooksAllowPrivate: z.boolean().optional(), mailDigestMinutes: z.number().int().min(0).max(1440).optional() }).strict();
const notifyBody = z.object({ heldComments: z.boolean() }).strict();

export interface IntegrationRouteDeps {
  pool: Pool;
  publicUrl: string;
  /** Told when endpoints or settings change, so this process's emitters see it at once. */
  onEndpointsChanged?: () => Promise<void> | undefined;
}

/**
 * Admins: webhook endpoints (register, list, disable, delivery log) and the integration settings
 * (private webhook targets, e-mail digest). Every moderator: their own e-mail opt-in.
 */
export function integrationRoutes(deps: IntegrationRouteDeps): Router {
  const router = Router();
  const guard = [authenticate(deps.pool), refuseCrossSiteWrites(deps.publicUrl)];
  router.use(['/api/moderation/webhooks', '/api/moderation/integrations', '/api/moderation/me/notifications'], ...guard);
  const admin = requireRole('admin');
  const changed = async () => {
    await deps.onEndpointsChanged?.();
  };

  router.get('/api/moderation/webhooks', admin, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ endpoints: await listWebhookEndpoints(deps.pool), events: COMMENT_EVENTS });
  });

  router.post('/api/moderation/webhooks', admin, async (req, res) => {
    const body = parseBody(endpointBody, req.body);
    try {
      const url = parseWebhookUrl(body.url);
      await resolveTarget(url, (await readIntegrationSettings(deps.pool)).webhooksAllowPrivate);
    } catch (err) {
      if (err instanceof RefusedTargetError) throw new ValidationError([{ field: 'url', message: `This URL is refused: ${err.message}.` }]);
      throw err;
    }
    const secret = body.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const endpoint = await insertWebhookEndpoint(deps.pool, { url: body.url, secret, events: [...new Set(body.events)], createdBy: principalOf(res).actor });
    await changed();
    res.status(201).set('Cache-Control', 'no-store').json({ ...endpoint, secret });
  });

  router.delete('/api/moderation/webhooks/:id', admin, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await disableWebhookEndpoint(deps.pool, id))) throw new NotFoundError('No enabled webhook endpoint with this id.');
    await changed();
    res.json({ id, disabled: true });
  });

  router.get('/api/moderation/webhooks/:id/deliveries', admin, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new NotFoundError('No webhook endpoint with this id.');
    res.set('Cache-Control', 'no-store').json({ deliveries: await listWebhookDeliveries(deps.pool, id) });
  });

  router.get('/api/moderation/integrations/settings', admin, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ settings: await readIntegrationSettings(deps.pool) });
  });

  router.put('/api/moderation/integrations/settings', admin, async (req, res) => {
    const settings = await updateIntegrationSettings(deps.pool, parseBody(settingsBody, req.body));
    await changed();
    res.json({ settings });
  });

  router.get('/api/moderation/me/notifications', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ heldComments: await readNotifyHeld(deps.pool, principalOf(res).moderator.id) });
  });

  router.put('/api/moderation/me/notifications', async (req, res) => {
    const { heldComments } = parseBody(notifyBody, req.body);
    await setNotifyHeld(deps.pool, principalOf(res).moderator.id, heldComments);
    await changed();
    res.json({ heldComments });
  });

  return router;
}
