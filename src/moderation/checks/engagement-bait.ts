import { matchingText } from '../spam-signals';
import type { Check, CheckResult } from '../types';

const ASK = String.raw`(?:like|thumbs?[ -]?up|upvote)`;

/**
 * Requests for likes, each with the name a moderator sees. Written to match the request itself,
 * not the word: "I'd like if you explained…", "I like this comment" and "like so many others" do
 * not match. Applied to the normalised text (lower case, look-alike letters folded).
 */
const REQUESTS: readonly { name: string; find: (text: string) => string | null }[] = [
  // "like this comment if…", "please like my comment", "don't like this comment if…"; not "I like this comment".
  { name: 'like this comment', find: first(new RegExp(String.raw`(?<!\bi\s)(?<!\bi really\s)(?<!\bi do\s)\b${ASK}\s+(?:this|my)\s+comment\b`)) },
  // "like if you…" opening a sentence, "thumbs up if…" anywhere.
  { name: 'like if you', find: likeIfYou },
  { name: 'thumbs up if', find: first(/\bthumbs?[ -]?up\s+if\b/) },
  // "like and subscribe", "like & share".
  { name: 'like and subscribe', find: first(new RegExp(String.raw`\b${ASK}\s*(?:and|&|\+)\s*(?:subscribe|sub|share)\b`)) },
  { name: 'give it a like', find: first(/\bgive\s+(?:it|this|me|us|this comment)\s+an?\s+(?:like|thumbs?[ -]?up|upvote)\b/) },
  { name: 'how many likes', find: first(/\bhow many (?:likes|thumbs up)\b/) },
  { name: 'like for like', find: first(/\blike\s*(?:4|for)\s*like\b/) },
];

function first(pattern: RegExp): (text: string) => string | null {
  return (text) => pattern.exec(text)?.[0] ?? null;
}

const LIKE_IF_YOU = /(?:like|upvote)\s+if\s+(?:you|u|ur|your|you're|youre|ya)\b/g;
const OPENERS = '.!?:;(';
const SPACE = /\s/;
const WORD_CHAR = /\w/;

/**
 * "like if you…" where a sentence opens, as
 * `/(?:^|[.!?:;\n(]\s*|\bplease\s+)(?:like|upvote)\s+if\s+(?:you|…)\b/` finds it: the request is
 * found first, then what stands before it is read back once. (The pattern started again at every
 * line break of a run of blank lines and read the whole run each time: quadratic.)
 */
function likeIfYou(text: string): string | null {
  LIKE_IF_YOU.lastIndex = 0;
  for (let m = LIKE_IF_YOU.exec(text); m; m = LIKE_IF_YOU.exec(text)) {
    const at = m.index;
    let spaces = at; // where the whitespace before the request starts
    while (spaces > 0 && SPACE.test(text[spaces - 1])) spaces -= 1;
    let start = -1;
    if (at === 0) start = 0;
    else if (spaces > 0 && OPENERS.includes(text[spaces - 1])) start = spaces - 1;
    else {
      for (let i = spaces; i < at && start < 0; i++) if (text[i] === '\n') start = i;
    }
    const please = spaces - 6;
    if (spaces < at && please >= 0 && text.startsWith('please', please) && (please === 0 || !WORD_CHAR.test(text[please - 1]))) {
      start = start < 0 ? please : Math.min(start, please);
    }
    if (start >= 0) return text.slice(start, at + m[0].length);
    LIKE_IF_YOU.lastIndex = at + 1;
  }
  return null;
}

/** Most comments never mention likes: one cheap test before the patterns. */
const MENTIONS_LIKES = /like|thumb|upvote/;

/**
 * Engagement bait: a comment that asks readers for likes ("like this comment if you're reading in
 * 2026", "thumbs up if…", "like and subscribe"). It adds nothing to the discussion and is the
 * commonest link-less spam in the YouTube Spam Collection, where the words around it change with
 * every video and the request does not. Held for a moderator, never blocked on its own: a reader
 * may ask in earnest, and one "not spam" decision teaches the model.
 */
export const engagementBaitCheck: Check = {
  name: 'engagement_bait',
  run({ comment }): CheckResult {
    const text = matchingText(comment.body ?? '');
    if (!MENTIONS_LIKES.test(text)) return { check: 'engagement_bait', verdict: 'pass', score: 0, reasons: [] };
    for (const { name, find } of REQUESTS) {
      const found = find(text);
      if (found === null) continue;
      return {
        check: 'engagement_bait',
        verdict: 'review',
        score: 0,
        reasons: [
          {
            code: 'asks_for_likes',
            message: `Asks readers for likes ("${name}"): held for a moderator.`,
            field: 'body',
            match: found.trim().slice(0, 80),
          },
        ],
      };
    }
    return { check: 'engagement_bait', verdict: 'pass', score: 0, reasons: [] };
  },
};
