import type { Config } from '../config';
import { countActiveAdmins, createFirstAdmin } from '../db/moderator-repository';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { hashPassword } from './password';

/**
 * First start: when no admin exists and ADMIN_EMAIL / ADMIN_PASSWORD are set, creates that admin.
 * Later starts change nothing (the variables may stay set). Without them, says how to make one.
 */
export async function bootstrapAdmin(pool: Pool, config: Pick<Config, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>, log: Logger): Promise<boolean> {
  if ((await countActiveAdmins(pool)) > 0) return false;
  if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) {
    log.warn('no moderator admin yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run moderator:create -- --email you@example.org --role admin`');
    return false;
  }
  const created = await createFirstAdmin(pool, { email: config.ADMIN_EMAIL, name: 'Admin', passwordHash: await hashPassword(config.ADMIN_PASSWORD) });
  if (created) log.info('first admin created from ADMIN_EMAIL; sign in at /moderation');
  return created;
}
