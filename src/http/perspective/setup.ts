import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Pool } from '../../db/pool';
import { deletePerspectiveLesson, listPerspectiveLessons } from '../../db/perspective-key-repository';
import type { Logger } from '../../logger';
import { loadCivilityScorer, takeBackCivilityLesson, teachCivility, type SharedCivilityScorer } from '../../models/civility';
import { perspectiveRoutes } from './index';

/** How often the API's copy of the civility model picks up lessons taught elsewhere (moderators, other processes). */
const REFRESH_MS = 2000;

/** The API process's Perspective endpoint: the routes, and what must stop with the process. */
export interface PerspectiveApi {
  router: Router;
  close(): void;
}

/**
 * Builds the endpoint over the site's civility model (stored in Postgres, seeded from the shipped
 * file). Without a loadable model the API still starts: the endpoint answers 503 until a restart
 * finds one.
 */
export async function createPerspectiveApi(config: Config, log: Logger, pool: Pool, redis: Redis): Promise<PerspectiveApi> {
  let scorer: SharedCivilityScorer | undefined;
  try {
    scorer = await loadCivilityScorer(pool, log, REFRESH_MS);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'civility model not loaded: the Perspective API answers 503');
  }
  const router = perspectiveRoutes({
    pool,
    redis,
    log,
    keyPrefix: `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}`,
    requestsPerMinute: config.PERSPECTIVE_REQUESTS_PER_MINUTE,
    lessonsPerHour: config.PERSPECTIVE_LESSONS_PER_HOUR,
    scorer: () => scorer,
    teacher: {
      async teach(lesson) {
        await teachCivility(pool, lesson);
        // The client's next analyze through this process sees its own lesson at once; others within REFRESH_MS.
        await scorer?.refresh().catch(() => undefined);
      },
      takeBack: (key) => takeBackCivilityLesson(pool, key),
    },
  });
  return { router, close: () => scorer?.close() };
}

/** Takes back every civility lesson key `keyId` taught (after revoking it); returns how many. */
export async function takeBackPerspectiveLessons(pool: Pool, log: Logger, keyId: string): Promise<number> {
  const lessons = await listPerspectiveLessons(pool, keyId);
  for (const lessonKey of lessons) {
    await takeBackCivilityLesson(pool, lessonKey);
    await deletePerspectiveLesson(pool, lessonKey);
  }
  log.info({ keyId, lessons: lessons.length }, 'perspective key lessons taken back');
  return lessons.length;
}
