import type { ModerationSettings } from './types';

/** Accepted comments on one article: in the current window, and in the hour before it. */
export interface SurgeCounts {
  window: number;
  previousHour: number;
}

type SurgeSettings = Pick<ModerationSettings, 'surgeCount' | 'surgeWindowSeconds' | 'surgeFactor' | 'surgeMinCount'>;

/**
 * Whether an article is in a surge, and why (docs/articles.md): `surgeCount` or more accepted
 * comments in the window; or, once at least `surgeMinCount` arrived in the window, `surgeFactor`
 * times the article's own rate over the hour before the window (scaled to the window's length), so
 * a quiet story that suddenly draws a crowd is caught before it reaches the absolute count.
 * `surgeCount` 0 turns surges off. Null: no surge.
 */
export function surgeReason(counts: SurgeCounts, s: SurgeSettings): string | null {
  if (s.surgeCount <= 0) return null;
  const m = Math.round((s.surgeWindowSeconds / 60) * 10) / 10;
  const minutes = `${m} minute${m === 1 ? '' : 's'}`;
  if (counts.window >= s.surgeCount) return `${counts.window} comments in ${minutes} (the limit is ${s.surgeCount}).`;
  if (s.surgeFactor <= 0 || counts.window < s.surgeMinCount) return null;
  const usual = (counts.previousHour * s.surgeWindowSeconds) / 3600;
  if (counts.window >= s.surgeFactor * usual) {
    return `${counts.window} comments in ${minutes}, ${usual > 0 ? `${Math.round(counts.window / usual)}×` : 'far above'} the previous hour's rate (${counts.previousHour} in the hour).`;
  }
  return null;
}
