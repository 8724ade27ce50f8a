/**
 * Hosts readers of a news site commonly cite: news organisations, governments and public bodies,
 * universities, and reference works. A link to one of them is how a reader backs a claim, not how
 * a spammer earns a click; the spam model reads it as `link:source` and the `link_hosts` check
 * names it. Matching is by the host's labels (a Set look-up per suffix), never a pattern over the text.
 */

/** Registrable domains (and a few hosts) of news and reference sites, lower-case, without "www.". */
const SOURCE_DOMAINS = new Set([
  // International and national news
  'bbc.co.uk', 'bbc.com', 'reuters.com', 'apnews.com', 'afp.com', 'nytimes.com', 'washingtonpost.com',
  'wsj.com', 'ft.com', 'economist.com', 'bloomberg.com', 'theguardian.com', 'guardian.co.uk',
  'independent.co.uk', 'telegraph.co.uk', 'thetimes.co.uk', 'ft.com', 'cnn.com', 'nbcnews.com',
  'cbsnews.com', 'abcnews.go.com', 'foxnews.com', 'npr.org', 'pbs.org', 'usatoday.com', 'latimes.com',
  'chicagotribune.com', 'bostonglobe.com', 'seattletimes.com', 'theatlantic.com', 'newyorker.com',
  'politico.com', 'politico.eu', 'thehill.com', 'axios.com', 'propublica.org', 'vox.com', 'time.com',
  'newsweek.com', 'aljazeera.com', 'dw.com', 'france24.com', 'euronews.com', 'lemonde.fr', 'spiegel.de',
  'cbc.ca', 'ctvnews.ca', 'theglobeandmail.com', 'nationalpost.com', 'thestar.com', 'abc.net.au',
  'smh.com.au', 'theage.com.au', 'rnz.co.nz', 'nzherald.co.nz', 'irishtimes.com', 'rte.ie',
  'scotsman.com', 'heraldscotland.com', 'texastribune.org', 'adn.com', 'oregonlive.com',
  'csmonitor.com', 'motherjones.com', 'nationalreview.com', 'reason.com', 'slate.com', 'salon.com',
  'huffpost.com', 'huffingtonpost.com', 'businessinsider.com', 'forbes.com', 'cnbc.com', 'marketwatch.com',
  'scientificamerican.com', 'newscientist.com', 'nature.com', 'science.org', 'sciencemag.org',
  'thelancet.com', 'nejm.org', 'bmj.com',
  // Reference, fact-checking, archives, research
  'wikipedia.org', 'wikimedia.org', 'wiktionary.org', 'britannica.com', 'archive.org', 'doi.org',
  'arxiv.org', 'jstor.org', 'ssrn.com', 'pubmed.ncbi.nlm.nih.gov', 'ourworldindata.org', 'statista.com',
  'snopes.com', 'factcheck.org', 'politifact.com', 'fullfact.org', 'law.cornell.edu', 'justia.com',
  'oyez.org', 'congress.gov', 'legislation.gov.uk', 'pewresearch.org', 'gallup.com', 'brookings.edu',
  // International bodies
  'un.org', 'who.int', 'europa.eu', 'oecd.org', 'imf.org', 'worldbank.org', 'nato.int', 'icrc.org',
  'parliament.uk', 'canada.ca', 'gc.ca', 'gouv.fr', 'bund.de', 'admin.ch',
]);

/** Labels that mark a government or academic registry when they are one of the last two labels. */
const PUBLIC_LABELS = new Set(['gov', 'gouv', 'gob', 'govt', 'mil', 'edu', 'ac', 'int', 'gv']);

/** Host as written in a URL: lower-cased, "www." and a trailing dot removed. */
function clean(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^(?:www\d?|m|mobile|amp)\./, '');
}

/**
 * Whether `host` belongs to a news, government, academic or reference site. Checks the host and
 * each parent domain ("en.wikipedia.org" → "wikipedia.org"), then the public registries
 * ("tsa.gov", "ons.gov.uk", "monash.edu", "ox.ac.uk", "gov.example").
 */
export function isSourceHost(raw: string): boolean {
  const host = clean(raw);
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (labels.length < 2) return false;
  for (let i = 0; i < labels.length - 1; i += 1) {
    if (SOURCE_DOMAINS.has(labels.slice(i).join('.'))) return true;
  }
  const last = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2] ?? '';
  return PUBLIC_LABELS.has(last) || PUBLIC_LABELS.has(second);
}
