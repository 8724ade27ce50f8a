import { z } from 'zod';
import type { ModerationSettings } from './types';

/**
 * Defaults follow WordPress where WordPress has the setting (comment_max_links 2, flood 15 s,
 * previously approved on, hold-all off). Scores are points: each check adds some, and the totals
 * are compared with the two thresholds.
 */
export const DEFAULT_SETTINGS: Readonly<ModerationSettings> = Object.freeze({
  holdAll: false,
  spamThreshold: 10,
  holdThreshold: 5,
  commentMaxLinks: 2,
  moderationKeys: [],
  disallowedKeys: [],
  disallowedAction: 'spam',
  previouslyApproved: true,
  minSubmitSeconds: 3,
  formTokenMaxAgeSeconds: 2 * 24 * 3600,
  missingTokenScore: 1,
  floodSeconds: 15,
  hourlyLimitPerIp: 30,
  checkModes: {},
});

const wordListEntry = z.object({
  pattern: z.string().trim().min(1).max(500),
  kind: z.enum(['word', 'substring', 'regex']).default('word'),
});

/** Validates a (partial) settings object; used by the settings API and when loading from the DB. */
export const settingsSchema = z
  .object({
    holdAll: z.boolean(),
    spamThreshold: z.number().finite().min(0),
    holdThreshold: z.number().finite().min(0),
    commentMaxLinks: z.number().int().min(0),
    moderationKeys: z.array(wordListEntry).max(10000),
    disallowedKeys: z.array(wordListEntry).max(10000),
    disallowedAction: z.enum(['spam', 'trash']),
    previouslyApproved: z.boolean(),
    minSubmitSeconds: z.number().finite().min(0),
    formTokenMaxAgeSeconds: z.number().int().min(60),
    missingTokenScore: z.number().finite().min(0),
    floodSeconds: z.number().int().min(0),
    hourlyLimitPerIp: z.number().int().min(0),
    checkModes: z.record(z.string(), z.enum(['enforce', 'observe'])),
  })
  .strict();

/** Merges stored values over the defaults; unknown or invalid stored keys are ignored. */
export function mergeSettings(stored: Record<string, unknown>): ModerationSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = settingsSchema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(stored)) {
    const field = shape[key];
    if (!field) continue;
    const parsed = field.safeParse(value);
    if (parsed.success) merged[key] = parsed.data;
  }
  return merged as unknown as ModerationSettings;
}
