import { z } from 'zod';
import { CHECK_CATALOG, CHECK_NAMES } from './check-catalog';
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
  // Chosen by cross-validation on Civil Comments reweighted to a real site's mix (docs/civility.md).
  civilityHoldThreshold: 0.195,
  civilityAllowList: [],
  // Articles (docs/articles.md): no closing by age (WordPress's default), no hiding by reports,
  // surges at 60 comments in 5 minutes or 5× the previous hour's rate, held for 30 minutes.
  closeAfterDays: null,
  hideAfterReports: 0,
  surgeCount: 60,
  surgeWindowSeconds: 300,
  surgeFactor: 5,
  surgeMinCount: 20,
  surgeHoldSeconds: 1800,
});

const wordListEntry = z.object({
  pattern: z.string({ error: 'Must be text.' }).trim().min(1, 'An entry cannot be empty.').max(500, 'An entry is at most 500 characters.'),
  kind: z.enum(['word', 'substring', 'regex'], { error: 'Must be word, substring or regex.' }).default('word'),
});

const MODES = ['enforce', 'observe', 'off'] as const;

// Messages say what a valid value is; the API names the field next to each (422 `fields`).
const flag = () => z.boolean({ error: 'Must be on or off (true or false).' });
const points = () => z.number({ error: 'Must be a number.' }).finite('Must be a number.').min(0, 'Must be 0 or more.');
const count = (min = 0) => z.number({ error: 'Must be a whole number.' }).int('Must be a whole number.').min(min, `Must be ${min} or more.`);
const seconds = (min: number, minText: string) => z.number({ error: 'Must be a duration.' }).finite('Must be a duration.').min(min, `Must be at least ${minText}.`);

/** Per-check modes: only the checks that exist, each in a mode it allows (a typo is refused, not ignored). */
const checkModes = z.record(z.string(), z.enum(MODES, { error: 'Must be enforce, observe or off.' })).superRefine((modes, ctx) => {
  for (const [name, mode] of Object.entries(modes)) {
    const check = CHECK_CATALOG.find((c) => c.name === name);
    if (!check) ctx.addIssue({ code: 'custom', path: [name], message: `There is no check named “${name}”. Checks: ${CHECK_NAMES.join(', ')}.` });
    else if (!check.modes.includes(mode)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} can only be ${check.modes.join(' or ')}.` });
  }
});

/** Validates a (partial) settings object; used by the settings API and when loading from the DB. */
export const settingsSchema = z
  .object({
    holdAll: flag(),
    spamThreshold: points(),
    holdThreshold: points(),
    commentMaxLinks: count(),
    moderationKeys: z.array(wordListEntry, { error: 'Must be a list of entries.' }).max(10000, 'At most 10,000 entries.'),
    disallowedKeys: z.array(wordListEntry, { error: 'Must be a list of entries.' }).max(10000, 'At most 10,000 entries.'),
    disallowedAction: z.enum(['spam', 'trash'], { error: 'Must be spam or trash.' }),
    previouslyApproved: flag(),
    minSubmitSeconds: seconds(0, '0 seconds'),
    formTokenMaxAgeSeconds: seconds(60, '1 minute').int('Must be a whole number of seconds.'),
    missingTokenScore: points(),
    floodSeconds: seconds(0, '0 seconds').int('Must be a whole number of seconds.'),
    hourlyLimitPerIp: count(),
    checkModes,
    civilityHoldThreshold: z.number({ error: 'Must be a number.' }).finite('Must be a number.').min(0.01, 'Must be at least 0.01.').max(1, 'Must be at most 1.'),
    civilityAllowList: z
      .array(z.string({ error: 'Must be text.' }).trim().toLowerCase().min(1, 'An entry cannot be empty.').max(60, 'An entry is at most 60 characters.'), { error: 'Must be a list of words.' })
      .max(1000, 'At most 1,000 words.'),
    closeAfterDays: count().max(36500, 'At most 36,500 days.').nullable(),
    hideAfterReports: count(),
    surgeCount: count(),
    surgeWindowSeconds: seconds(1, '1 second').max(3600, 'Must be at most an hour.').int('Must be a whole number of seconds.'),
    surgeFactor: points(),
    surgeMinCount: count(1),
    surgeHoldSeconds: seconds(1, '1 second').max(7 * 24 * 3600, 'Must be at most a week.').int('Must be a whole number of seconds.'),
  })
  .strict();

/** Merges stored values over the defaults; unknown or invalid stored keys are ignored. */
export function mergeSettings(stored: Record<string, unknown>): ModerationSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = settingsSchema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(stored)) {
    const field = shape[key];
    if (!field) continue;
    if (key === 'checkModes' && value && typeof value === 'object') {
      // One stale entry (a check since renamed) must not drop the valid ones.
      const known = Object.entries(value).filter(([name, mode]) => CHECK_CATALOG.find((c) => c.name === name)?.modes.includes(mode as never));
      merged[key] = Object.fromEntries(known);
      continue;
    }
    const parsed = field.safeParse(value);
    if (parsed.success) merged[key] = parsed.data;
  }
  return merged as unknown as ModerationSettings;
}
