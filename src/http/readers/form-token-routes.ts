import { Router } from 'express';
import { ValidationError } from '../../errors';
import { commentSubmissionSchema } from '../../moderation/comment-schema';
import { signFormToken } from '../../moderation/form-token';
import type { ModerationSettings } from '../../moderation/types';

export interface FormTokenRouteDeps {
  secret: string;
  settings: () => Promise<ModerationSettings>;
  /** The clock a token's issue time comes from. */
  now: () => Date;
}

/**
 * `GET /api/form-token?articleId=…` → `{ token, issuedAt, expiresAt }`: the comment form fetches one
 * when it is shown and posts it back as `formToken` (form field `form_token`). Never cached: the
 * issue time is the point.
 */
export function formTokenRoutes(deps: FormTokenRouteDeps): Router {
  const router = Router();
  router.get('/api/form-token', async (req, res) => {
    const parsed = commentSubmissionSchema.shape.articleId.safeParse(req.query.articleId);
    if (!parsed.success) throw new ValidationError([{ field: 'articleId', message: parsed.error.issues[0]?.message ?? 'The article id is not valid.' }]);
    const settings = await deps.settings();
    const issuedAt = deps.now();
    const expiresAt = new Date(issuedAt.getTime() + settings.formTokenMaxAgeSeconds * 1000);
    res.set('Cache-Control', 'no-store').json({ token: signFormToken(deps.secret, parsed.data, issuedAt), issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() });
  });
  return router;
}
