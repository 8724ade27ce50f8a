/**
 * Spam signals that carry across sites: the forms spam takes whatever the site and topic (a
 * support number, a messaging handle, an earnings claim, praise wrapped around a link). Each is a
 * plain function of the normalised text (lower case, look-alike letters folded), cut to
 * MAX_SIGNAL_TEXT first. Every pattern here is linear: no nested or overlapping unbounded
 * quantifiers, and the only bounded repetition is short.
 */

import { normalizeText, stripHtml } from './normalize';

/** The last body read by `matchingText`, and its text (one entry: the checks read each comment in turn). */
let lastBody: string | null = null;
let lastText = '';

/**
 * `normalizeText(stripHtml(body))`, the text the spam checks match on. spam_signals, curated_lists
 * and engagement_bait each read the same comment: the last answer is kept, so it is worked out once.
 */
export function matchingText(body: string): string {
  if (body !== lastBody) {
    lastText = normalizeText(stripHtml(body));
    lastBody = body;
  }
  return lastText;
}

/** Signals read at most this much text: spam says what it wants early, and the cost stays bounded. */
export const MAX_SIGNAL_TEXT = 4000;

export interface SignalHit {
  code: string;
  message: string;
  /** What matched, cut short, for the moderator. */
  match: string;
}

/** 9 to 15 digits written as one number, with spaces, dots, dashes or brackets between groups. */
const PHONE = /\+?\d[\d ().-]{7,20}\d/g;
/** Words that ask the reader to call or write to a number, or dress it as a service line. */
const CALL_TO_ACTION = /\b(?:call|calling|dial|phone|ring|text|sms|whatsapp|contact|helpline|hotline|help ?desk|support|customer (?:care|service)|toll[ -]?free|24 ?[x/] ?7|booking|reservations?)\b/;

/** Messaging apps and direct-message requests. */
const MESSAGING = /\b(?:whats ?app|telegram|wechat|viber|signal app|kik|snapchat|dm me|dm him|dm her|in my dm|a dm|by dm|inbox me|inbox him|inbox her|message me|text me|pm me|hit me up|contact me|reach (?:him|her|me|them) (?:on|via|through|at)|contact (?:him|her|me|them) (?:on|via|through|at))\b/;
/** An @handle after a word that sends readers to it ("thanks to @x", "invest with @x", "dm @x"). */
const HANDLE_AFTER = /\b(?:with|to|thanks|thank|contact|dm|inbox|message|via|follow|recommend|out|reach|on|by|help|helped|through)\s+@[a-z0-9_.]{3,30}/;
/** An address spelt out to dodge filters: "name at protonmail dot com", "gmail (dot) com". */
const SPELT_ADDRESS = /\b(?:protonmail|gmail|yahoo|outlook|hotmail|proton|mail)\s*(?:dot|\(dot\)|\[dot\]|\.)\s*(?:com|me|net)\b/;

/** A sum of money: "$3000", "€12,544", "£5", "56k", "6 grand", "500 dollars". */
const MONEY = /(?:[$€£]\s?\d[\d,.]{0,12}k?|\b\d[\d,.]{0,12}\s?(?:k|grand|grands|dollars|usd|bucks|euros?|pounds|btc|usdt)\b)/;
const HAS_DIGIT = /\d/;
/** Earnings and investment words. */
const EARNING = /\b(?:earn|earned|earning|earns|profit|profits|profitable|a return of|returns of|invested|deposited|withdrew|withdrawal|payout|passive income|from home|per hour|an hour|trading|forex|crypto|bitcoin|btc)\b/;
/** The writer or reader as the one who earns ("I made", "you can earn"). */
const PERSONAL = /\b(?:i|i'm|im|i've|my|me|you|you can|your)\b/;

/** Generic praise that says nothing about the article: SEO spam's wrapper around a link. */
const PRAISE = /\b(?:great|nice|good|awesome|amazing|excellent|wonderful|informative|helpful|useful|fantastic|brilliant) (?:post|article|blog|content|information|info|read|write[ -]?up|work|job|site|website|share|stuff)\b|\bthanks? (?:you )?for (?:sharing|this (?:post|article|information|info))\b|\bkeep (?:it up|up the good work|posting|sharing)\b|\bvery (?:informative|helpful|useful|nice)\b|\bwell written\b/;

/**
 * Self-promotion: a request to visit or subscribe to the writer's own channel, blog or shop, and the
 * video-site forms of it ("my new channel", "sub my channel", "check me out", "follow me on …", "if
 * I get 100 subs"). None of them occurs in the 5,000 news comments of civil-comments.
 */
const SELF_PROMOTION =
  /\b(?:check out|checkout|visit|subscribe to|sub to|follow|watch|listen to|support) (?:my|our) (?:new )?(?:channel|blog|website|web site|site|page|video|videos|music|song|songs|playlist|shop|store|profile|instagram|youtube|twitter|tiktok|podcast|account)\b|\bsub ?(?:4|for) ?sub\b|\bsubscribe (?:to me|me|back)\b|\b(?:my|our) (?:new |own |youtube |yt |music |gaming |first )?(?:channel|chanel|channal|vids|vid|vidios|mixtape|remixes|youtube)\b|\b(?:subscribe|suscribe|subcribe|sub) (?:to )?(?:my|us|our)\b|\b(?:check|checking) (?:me|us) out\b|\bfollow (?:me|us) on (?:twitter|instagram|insta|ig|tiktok|youtube|facebook|fb|snapchat|twitch|soundcloud|spotify)\b|\b(?:i|we) (?:get|reach|hit) \d{1,7} (?:subs|subscribers)\b|\bsubscribe (?:and|&) like\b|\blike (?:and|&) subscribe\b/;

/** Anchor text around a link: HTML `<a href>…</a>` or Markdown `[text](url)`. */
const HTML_ANCHOR = /<a\s[^>]{0,600}>[^<]{1,200}<\/a>/;
const MARKDOWN_ANCHOR = /\[[^\]\n]{1,200}\]\(\s*(?:https?:\/\/|www\.)[^)\s]{1,300}\)/;

/** Whether the text holds a phone number (9–15 digits) and which. */
export function findPhoneNumber(text: string): string | null {
  if (text === lastPhoneText) return lastPhone;
  lastPhone = phoneNumberIn(text);
  lastPhoneText = text;
  return lastPhone;
}
/** The last text `findPhoneNumber` read and its answer: spam_signals and curated_lists both ask. */
let lastPhoneText: string | null = null;
let lastPhone: string | null = null;

function phoneNumberIn(text: string): string | null {
  if (!/\d{3}/.test(text.replace(/[ ().-]/g, ''))) return null;
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m; m = PHONE.exec(text)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 9 && digits <= 15 && !/^\d{4}-\d{4}$/.test(m[0])) return m[0];
  }
  return null;
}

/**
 * The signals found in `normalized` (the visible text, normalised, lower case); anchors are looked
 * for in `body` (the comment as typed, where the markup is). `hasLink` says whether the comment
 * links anywhere besides cited sources (praise matters only around a link or a website).
 */
export function findSignals(normalized: string, body: string, opts: { hasLink: boolean; hasWebsite: boolean }): SignalHit[] {
  const text = normalized.slice(0, MAX_SIGNAL_TEXT);
  const hits: SignalHit[] = [];
  const phone = findPhoneNumber(text);
  if (phone) {
    const cta = CALL_TO_ACTION.exec(text);
    hits.push(
      cta
        ? { code: 'support_number', message: 'Gives a phone number and asks readers to call or write to it.', match: `${cta[0]} … ${phone}`.slice(0, 80) }
        : { code: 'phone_number', message: 'Gives a phone number.', match: phone.slice(0, 40) },
    );
  }
  // Guards a pattern cannot match without (an @ for a handle, a digit for money): most comments skip them.
  const messaging = MESSAGING.exec(text) ?? (text.includes('@') ? HANDLE_AFTER.exec(text) : null) ?? SPELT_ADDRESS.exec(text);
  if (messaging) hits.push({ code: 'messaging_contact', message: 'Sends readers to a messaging app, a direct message or an account to contact.', match: messaging[0].slice(0, 60) });
  const money = HAS_DIGIT.test(text) ? MONEY.exec(text) : null;
  if (money) {
    const earning = EARNING.exec(text);
    if (earning && PERSONAL.test(text)) hits.push({ code: 'earnings_claim', message: 'Claims money earned or promised (an earnings or investment pitch).', match: `${money[0]} … ${earning[0]}`.slice(0, 60) });
  }
  if (opts.hasLink || opts.hasWebsite) {
    const praise = PRAISE.exec(text);
    if (praise) hits.push({ code: 'praise_with_link', message: 'Generic praise wrapped around a link or a website, as SEO spam writes it.', match: praise[0].slice(0, 60) });
  }
  const promotion = SELF_PROMOTION.exec(text);
  if (promotion) hits.push({ code: 'self_promotion', message: "Asks readers to visit or subscribe to the writer's own channel, site or shop.", match: promotion[0].slice(0, 60) });
  const typed = body.slice(0, MAX_SIGNAL_TEXT);
  const anchor = typed.includes('href') || typed.includes('](') ? (HTML_ANCHOR.exec(typed.toLowerCase()) ?? MARKDOWN_ANCHOR.exec(typed)) : null;
  if (anchor && /href|\]\(/.test(anchor[0])) hits.push({ code: 'anchor_link', message: 'Hides a link behind anchor text, as SEO spam does.', match: anchor[0].slice(0, 80) });
  return hits;
}

/** Words that make an author name an advert ("Best SEO Services London"). */
const COMMERCIAL = /\b(?:seo|services?|agency|company|cheap|buy|best|loans?|casino|essays?|escorts?|repair|support|marketing|design|online|pills?|pharmacy|shop|store|sale|discount|deals?|insurance|lawyers?|attorney|plumbing|cleaning|movers|dentist|clinic|rehab|crypto|forex|hacker|recovery|writing|solutions|packers|tours?|travels?|hotel)\b/g;

/**
 * An author name stuffed with keywords: a link or a domain, or two commercial words, or a
 * commercial word in a name of four words or more. Real names ("Ann Design-Smith") rarely do.
 */
export function keywordAuthor(raw: string): string | null {
  const name = raw.slice(0, 200).toLowerCase();
  if (/(?:https?:\/\/|www\.|\.(?:com|net|org|info|biz|in|co)\b)/.test(name)) return name.slice(0, 60);
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const commercial = name.match(COMMERCIAL) ?? [];
  if (commercial.length >= 2 || (commercial.length >= 1 && words.length >= 4)) return name.slice(0, 60);
  return null;
}
