import { normalizeText, stripHtml } from '../normalize';
import type { Check, CheckResult } from '../types';

const ASK = String.raw`(?:like|thumbs?[ -]?up|upvote)`;

/**
 * Requests for likes, each with the name a moderator sees. Written to match the request itself,
 * not the word: "I'd like if you explained…", "I like this comment" and "like so many others" do
 * not match. Applied to the normalised text (lower case, look-alike letters folded).
 */
const REQUESTS: readonly { name: string; pattern: RegExp }[] = [
  // "like this comment if…", "please like my comment", "don't like this comment if…"; not "I like this comment".
  { name: 'like this comment', pattern: new RegExp(String.raw`(?<!\bi\s)(?<!\bi really\s)(?<!\bi do\s)\b${ASK}\s+(?:this|my)\s+comment\b`) },
  // "like if you…" opening a sentence, "thumbs up if…" anywhere.
  { name: 'like if you', pattern: /(?:^|[.!?:;\n(]\s*|\bplease\s+)(?:like|upvote)\s+if\s+(?:you|u|ur|your|you're|youre|ya)\b/ },
  { name: 'thumbs up if', pattern: /\bthumbs?[ -]?up\s+if\b/ },
  // "like and subscribe", "like & share".
  { name: 'like and subscribe', pattern: new RegExp(String.raw`\b${ASK}\s*(?:and|&|\+)\s*(?:subscribe|sub|share)\b`) },
  { name: 'give it a like', pattern: /\bgive\s+(?:it|this|me|us|this comment)\s+an?\s+(?:like|thumbs?[ -]?up|upvote)\b/ },
  { name: 'how many likes', pattern: /\bhow many (?:likes|thumbs up)\b/ },
  { name: 'like for like', pattern: /\blike\s*(?:4|for)\s*like\b/ },
];

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
    const text = normalizeText(stripHtml(comment.body ?? ''));
    if (!MENTIONS_LIKES.test(text)) return { check: 'engagement_bait', verdict: 'pass', score: 0, reasons: [] };
    for (const { name, pattern } of REQUESTS) {
      const found = pattern.exec(text);
      if (!found) continue;
      return {
        check: 'engagement_bait',
        verdict: 'review',
        score: 0,
        reasons: [
          {
            code: 'asks_for_likes',
            message: `Asks readers for likes ("${name}"): held for a moderator.`,
            field: 'body',
            match: found[0].trim().slice(0, 80),
          },
        ],
      };
    }
    return { check: 'engagement_bait', verdict: 'pass', score: 0, reasons: [] };
  },
};
