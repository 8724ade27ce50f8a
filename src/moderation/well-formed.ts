/** A UTF-16 surrogate without its partner: what a JSON `\ud800` escape or a careless `slice` leaves. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string with every lone surrogate replaced by U+FFFD (String#toWellFormed). Postgres's json and
 * jsonb refuse lone surrogates, and UTF-8 cannot hold them, so text is made well-formed before it is
 * queued or stored: otherwise a comment's job would fail on every attempt.
 */
export function wellFormed(s: string): string {
  // isWellFormed is a native scan without a regex match: nearly every string is well-formed already.
  // (String#isWellFormed is in Node 20; the project's TypeScript lib, ES2022, does not declare it.)
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed() ? s : s.replace(LONE_SURROGATE, '\ufffd');
}
