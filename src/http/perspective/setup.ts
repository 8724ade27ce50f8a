import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import type { CivilityScorer, CivilityTeacher } from './civility-port';
import { perspectiveRoutes } from './index';
import { deletePerspectiveLesson, listPerspectiveLessons } from '../../db/perspective-key-repository';

// Until the civility model (issue 17) is merged: nothing to take back from.
const takeBackCivilityLesson = async (_pool: Pool, _key: string): Promise<void> => {
  throw new Error('the civility model is not available in this build');
};

/** The API process's Perspective endpoint: the routes, and what must stop with the process. */
export interface PerspectiveApi {
  router: Router;
  close(): void;
}

/**
 * Builds the endpoint over the civility model shared through Postgres. Without a loadable model
 * the API still starts: the endpoint answers 503 until one is stored.
 */
export async function createPerspectiveApi(config: Config, log: Logger, pool: Pool, redis: Redis): Promise<PerspectiveApi> {
  const scorer: CivilityScorer | undefined = undefined;
  const teacher: CivilityTeacher | undefined = undefined;
  const router = perspectiveRoutes({
    pool,
    redis,
    log,
    keyPrefix: `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}`,
    requestsPerMinute: config.PERSPECTIVE_REQUESTS_PER_MINUTE,
    lessonsPerHour: config.PERSPECTIVE_LESSONS_PER_HOUR,
    scorer: () => scorer,
    teacher,
  });
  return { router, close: () => undefined };
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
