import { isSourceHost } from '../../../src/models/source-hosts';
import { modelFeatures } from '../../../src/models/tokenizer';

describe('isSourceHost', () => {
  it.each(['www.bbc.co.uk', 'bbc.com', 'en.wikipedia.org', 'www.nytimes.com', 'apnews.com', 'tsa.gov', 'ons.gov.uk', 'www.leeds.gov.uk', 'monash.edu', 'ox.ac.uk', 'who.int', 'gov.example', 'council.example.gov.uk', 'M.CBC.CA'])(
    'counts %s as a site readers cite',
    (host) => {
      expect(isSourceHost(host)).toBe(true);
    },
  );

  it.each(['bbc.co.uk.cheap-pills.ru', 'wikipedia.org.example.com', 'gov.spamsite.com', 'bestessays.com', 'youtube.com', 'stats.example', 'localhost', '', 'evilbbc.com'])(
    'does not count %s',
    (host) => {
      expect(isSourceHost(host)).toBe(false);
    },
  );
});

describe('a cited source in the spam model features', () => {
  it('reads a link to a source as link:source and its site, not as a link shape, TLD or long number', () => {
    const features = modelFeatures({ body: 'The BBC covered this: https://www.bbc.co.uk/news/uk-england-12345678', authorName: '' });
    expect(features).toEqual(expect.arrayContaining(['link:source', 'domain:bbc.co.uk', 'shape:links_0']));
    expect(features).not.toEqual(expect.arrayContaining(['tld:uk']));
    expect(features.some((f) => f === 'shape:long_number' || f === 'shape:stretched' || f === 'shape:links_1')).toBe(false);
  });

  it('still reads any other link as a link', () => {
    const features = modelFeatures({ body: 'cheap deals at https://www.best-deals-4u.com/offer?ref=123456789', authorName: '' });
    expect(features).toEqual(expect.arrayContaining(['domain:best-deals-4u.com', 'shape:links_1', 'link:referral']));
    expect(features).not.toContain('link:source');
  });
});
