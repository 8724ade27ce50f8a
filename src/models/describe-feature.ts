/**
 * Turns a model feature into words a moderator reads ("host youtube.com", "many capitals"), so the
 * classifier's reason says what it saw, not how it encodes it.
 */
const SHAPES: Readonly<Record<string, string>> = {
  'shape:shouting': 'mostly capitals',
  'shape:title_case': 'Every Word Capitalised',
  'shape:exclaims': 'repeated "!!"',
  'shape:question': 'a question',
  'shape:emoji': 'emoji',
  'shape:non_latin': 'mostly non-Latin script',
  'shape:multiline': 'several lines',
  'shape:money': 'a sum of money',
  'shape:long_number': 'a long number',
  'shape:email': 'an email address',
  'shape:hashtag': 'a hashtag',
  'shape:stretched': 'stretched letters',
  'shape:long_word': 'a very long word',
  'shape:links_0': 'no link',
  'shape:links_1': 'one link',
  'shape:links_2': 'several links',
  'link:disguised': 'a disguised link ("site . com")',
  'link:video_ref': 'a video link',
  'link:channel_ref': 'a channel link',
  'link:referral': 'a referral link',
  'link:timestamp': 'a link to a moment in a video',
  'link:share_format': 'a "Title: link" share',
  'link:malformed': 'a malformed link',
  'link:source': 'a link to a news, government or reference site',
};

export function describeFeature(feature: string): string {
  const known = SHAPES[feature];
  if (known) return known;
  const colon = feature.indexOf(':');
  if (colon < 0) return `"${feature}"`;
  const kind = feature.slice(0, colon);
  const value = feature.slice(colon + 1);
  switch (kind) {
    case 'domain':
    case 'host':
      return `host ${value}`;
    case 'tld':
      return `a .${value} link`;
    case 'name':
      return `author name "${value}"`;
    case 'spelling':
      return `the spelling of "${value}"`;
    case 'shape':
      return `length ${value.replace(/^words_/, '').replace('_plus', '+').replace('_', '–')} words`;
    default:
      return `"${feature}"`;
  }
}

/**
 * English function words: they carry a little weight in every comment (short spam and long ham use
 * them alike) and tell a moderator nothing, so they are never shown or highlighted as evidence.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves im ive id ill its dont doesnt didnt isnt wasnt cant wont also get got go going one would s t u ur ya yeah oh ok lol'
  ).split(' '),
);

/** Weights under this are not shown as evidence: they did not carry the decision. */
const MIN_EVIDENCE_WEIGHT = 0.25;

/**
 * Whether a feature, with the weight it added to a comment's score, is evidence worth naming to a
 * moderator: it carried weight, and it is not a function word ("for", "our", "have"), a pair of
 * them ("out of"), a length bucket or "no link".
 */
export function isEvidence(feature: string, weight: number): boolean {
  if (!(weight >= MIN_EVIDENCE_WEIGHT)) return false;
  if (feature.startsWith('shape:words_') || feature === 'shape:links_0') return false;
  // A word's spelling (its character runs: TokenizerOptions.charGrams) is evidence as the word is.
  if (feature.startsWith('spelling:')) return !FUNCTION_WORDS.has(feature.slice(9).replace(/'/g, ''));
  if (feature.includes(':')) return true;
  return !feature.split(' ').every((word) => FUNCTION_WORDS.has(word.replace(/'/g, '')));
}
