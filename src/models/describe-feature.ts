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
    case 'shape':
      return `length ${value.replace(/^words_/, '').replace('_plus', '+').replace('_', '–')} words`;
    default:
      return `"${feature}"`;
  }
}
