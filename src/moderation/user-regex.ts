import RE2 from 're2';

/**
 * Regular expressions that moderators type (word-list entries of kind `regex`) run on comment text
 * that anyone can send, so they run in RE2 (the `re2` binding of Google's engine), whose running
 * time is linear in the text whatever the pattern: `(a+)+$` or `(\w+\s?)+$` cannot freeze the
 * worker. RE2 has no backreferences (`\1`) and no lookaround (`(?=…)`, `(?<!…)`): such patterns are
 * refused when settings are saved and skipped (and reported) if an older stored list holds one.
 * They are never handed to JavaScript's backtracking engine.
 */
export type UserRegex = RE2;

export type CompiledUserRegex =
  | { ok: true; regex: UserRegex }
  /** `unsupported`: JavaScript understands the pattern, but it needs what RE2 cannot do in linear time. */
  | { ok: false; unsupported: boolean; error: string };

/** Case-insensitive, Unicode-aware where the pattern allows it (the flags word lists always used). */
export function compileUserRegex(pattern: string): CompiledUserRegex {
  let refusal = '';
  for (const flags of ['iu', 'i']) {
    try {
      return { ok: true, regex: new RE2(pattern, flags) };
    } catch (err) {
      refusal ||= (err as Error).message;
    }
  }
  for (const flags of ['iu', 'i']) {
    try {
      new RegExp(pattern, flags); // compiled only, to tell "not a regex" from "not linear-time"
      return {
        ok: false,
        unsupported: true,
        error: `it cannot run in linear time (${refusal}): backreferences such as \\1 and lookaround such as (?=…) or (?<!…) are not supported, rewrite the pattern without them`,
      };
    } catch {
      /* try the next flags */
    }
  }
  return { ok: false, unsupported: false, error: refusal };
}

/** The first match of `regex` in `text` (UTF-8 bytes, converted once per text), or null. */
export function firstMatch(regex: UserRegex, text: Buffer): string | null {
  const m = regex.exec(text);
  return m ? m[0].toString('utf8') : null;
}
