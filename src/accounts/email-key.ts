/**
 * The one form of a moderator's email address that sign-in counts attempts under and looks the
 * account up by (stored as `moderators.email_key`): Unicode NFKC, then lower case, then NFKC again.
 * Lower-casing in JavaScript is the full Unicode mapping, locale-free, and the same in every
 * process, unlike Postgres's lower(), which follows the database's collation (under C.UTF-8 it maps
 * "İ" (U+0130) to "i", so "ADMİN@EXAMPLE.ORG" found admin@example.org while the attempt counter,
 * keyed by JavaScript's "i̇", counted a different account). With one function for both, an address
 * either is the account's, under the account's counter, or is not the account at all.
 */
export function emailKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}
