/** Dates of export files, normalised to `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMinutes = 0): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
  const d = new Date(ms);
  // Date.UTC rolls 31 February over into March: refuse instead.
  if (offsetMinutes === 0 && (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1)) return null;
  if (Number.isNaN(ms) || year < 1) return null;
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

const WORDPRESS_GMT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** WordPress `comment_date_gmt` (`YYYY-MM-DD HH:MM:SS`); null when empty, all zeros or unparseable. */
export function wordpressGmt(text: string): string | null {
  if (text.length !== 19) return null;
  const m = WORDPRESS_GMT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year === 0) return null;
  return utc(year, month, day, hour, minute, second);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Disqus `createdAt` (ISO 8601): fractional seconds dropped, an offset applied; a value without a
 * zone is read as UTC (`zoneless` tells the caller, for a note). Null when unparseable.
 */
export function isoGmt(text: string): { value: string | null; zoneless: boolean } {
  const m = text.length <= 40 ? ISO.exec(text) : null;
  if (!m) return { value: null, zoneless: false };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const zone = m[7];
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offset = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const value = offset === 0 ? utc(year, month, day, hour, minute, second) : checkedOffset(year, month, day, hour, minute, second, offset);
  return { value, zoneless: !zone };
}

function checkedOffset(year: number, month: number, day: number, hour: number, minute: number, second: number, offset: number): string | null {
  return utc(year, month, day, hour, minute, second) === null ? null : utc(year, month, day, hour, minute, second, offset);
}
