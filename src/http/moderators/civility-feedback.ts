import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import { loadCivilityScorer, takeBackCivilityLesson, teachCivility, type CivilityLabel, type CivilityScorer } from '../../models/civility';

/** How often the API's copy of the civility model picks up what other processes learnt. */
const REFRESH_MS = 5000;

/** The civility model as moderators' tools use it: decisions teach it; the rule tester runs it. */
export interface CivilityFeedback {
  scorer: () => CivilityScorer | undefined;
  /** Teaches one decision (keyed `review:<comment id>`); label null takes the lesson under the key back. */
  learn(text: string, label: CivilityLabel | null, key: string): Promise<void>;
}

/**
 * The API's handle on the stored civility model (seeded from the shipped file if the database has
 * none, so a lesson never finds it missing). Without a model the API still runs: decisions then
 * teach nothing about civility.
 */
export async function createCivilityFeedback(pool: Pool, log: Logger): Promise<(CivilityFeedback & { close(): void }) | undefined> {
  try {
    const scorer = await loadCivilityScorer(pool, log, REFRESH_MS);
    return {
      scorer: () => scorer,
      async learn(text, label, key) {
        if (label === null) await takeBackCivilityLesson(pool, key);
        else await teachCivility(pool, { text, label, key });
        await scorer.refresh();
      },
      close: () => scorer.close(),
    };
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'civility model not loaded: moderators’ decisions will not teach it');
    return undefined;
  }
}
