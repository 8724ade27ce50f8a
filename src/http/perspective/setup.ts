import type { Router } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import type { Config } from '../../config';
import type { Pool } from '../../db/pool';
import { deletePerspectiveLesson, listPerspectiveLessons } from '../../db/perspective-key-repository';
import type { Logger } from '../../logger';
import { takeBackCivilityLesson } from '../../models/civility';
import type { CivilityFeedback } from '../moderators/civility-feedback';
import { readCalibration } from './calibration';
import { perspectiveRoutes } from './index';

/**
 * The endpoint over the API process's copy of the site's civility model (the one moderators'
 * decisions teach, refreshed from Postgres). Without a model the API still starts: the endpoint
 * answers 503 until one is loaded.
 */
export function perspectiveApi(config: Config, log: Logger, pool: Pool, redis: Redis, civility: CivilityFeedback | undefined): Router {
  const calibration = readCalibration();
  if (!calibration) log.warn('models/perspective-calibration.json missing: the Perspective API serves the civility model’s own scores (npm run perspective:calibrate)');
  return perspectiveRoutes({
    calibration,
    pool,
    redis,
    log,
    keyPrefix: `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}`,
    requestsPerMinute: config.PERSPECTIVE_REQUESTS_PER_MINUTE,
    lessonsPerHour: config.PERSPECTIVE_LESSONS_PER_HOUR,
    scorer: () => civility?.scorer(),
    // Taught and refreshed in this process, so the client's next analyze here sees its own lesson.
    teacher: civility && {
      teach: (lesson) => civility.learn(lesson.text, lesson.label, lesson.key),
      takeBack: (key) => civility.learn('', null, key),
    },
  });
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
