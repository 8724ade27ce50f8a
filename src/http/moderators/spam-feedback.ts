import { loadSharedClassifier } from '../../models/shared-model';
import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import type { SpamFeedback } from './index';

/** How often the API's copy of the model picks up what workers and other API processes learnt. */
const REFRESH_MS = 5000;

/**
 * The API's handle on the shared spam model: moderators' spam / not-spam decisions teach it (in
 * Postgres, so every worker's next refresh uses it), and the rule tester classifies with it.
 * Without a stored or shipped model the API still runs: decisions then teach nothing.
 */
export async function createSpamFeedback(pool: Pool, log: Logger): Promise<(SpamFeedback & { close(): void }) | undefined> {
  const shared = await loadSharedClassifier(pool, log, REFRESH_MS);
  if (!shared) {
    log.warn('spam model not loaded: moderators’ decisions will not teach the filter');
    return undefined;
  }
  return {
    classifier: () => shared.classifier,
    learn: (input, label, opts) => shared.learn(input, label, opts),
    close: () => shared.close(),
  };
}
