import { foldForModel, shapeFeatures, modelFeatures, modelWords } from '../../../src/models/tokenizer';
import { hostFeatures, scanLinks, urlFeatures } from '../../../src/models/url-features';

describe('modelFeatures', () => {
  it('returns sorted, unique features', () => {
    // Act
    const features = modelFeatures({ body: 'Subscribe subscribe SUBSCRIBE to my channel' });

    // Assert
    expect(features).toEqual([...new Set(features)].sort());
    expect(features.filter((f) => f === 'subscribe')).toHaveLength(1);
  });

  it('emits words, word pairs and shapes', () => {
    // Act
    const features = modelFeatures({ body: 'check out my channel' });

    // Assert
    expect(features).toEqual(expect.arrayContaining(['check', 'out', 'my', 'channel', 'check out', 'my channel', 'shape:links_0', 'shape:words_4_7']));
  });

  it('turns links into host features and keeps them out of the words', () => {
    // Act
    const features = modelFeatures({ body: 'win now http://www.free-prizes.example.com/claim?ref=42' });

    // Assert
    expect(features).toEqual(
      expect.arrayContaining(['domain:example.com', 'host:free-prizes.example.com', 'tld:com', 'link:referral', 'shape:links_1', 'win now']),
    );
    expect(features).not.toContain('claim');
  });

  it('marks author name words with their own prefix, and reads nothing of the website or e-mail', () => {
    // Act
    const features = modelFeatures({ body: 'hello', authorName: 'Official Gaming', authorUrl: 'https://spam.example.net', authorEmail: 'a@mail.example.org' });

    // Assert: lessons alone would teach website and e-mail features, one-sidedly (tokenizer.ts).
    expect(features).toEqual(expect.arrayContaining(['name:official', 'name:gaming']));
    expect(features).toEqual(modelFeatures({ body: 'hello', authorName: 'Official Gaming' }));
  });

  it('gives the same features whatever the invisible characters', () => {
    expect(modelFeatures({ body: 'nice\uFEFF song\u200B' })).toEqual(modelFeatures({ body: 'nice song' }));
  });

  it('can leave out pairs, author names and shapes', () => {
    // Act
    const features = modelFeatures({ body: 'my channel', authorName: 'Bob' }, { bigrams: false, authorName: false, shapes: false });

    // Assert
    expect(features).toEqual(['channel', 'my']);
  });
});

describe('scanLinks', () => {
  it('finds disguised links', () => {
    expect(scanLinks('visit kidsmediausa  . com now').features).toEqual(['link:disguised', 'domain:kidsmediausa.com', 'tld:com']);
    expect(scanLinks('go to mysite(dot)net').features).toContain('domain:mysite.net');
  });

  it('does not take a sentence break before "It" for a link', () => {
    expect(scanLinks('funny. It clicked').linkCount).toBe(0);
  });

  it('recognises a video timestamp link and a share-button "Title: link"', () => {
    expect(scanLinks('best part http://www.youtube.com/watch?v=abc&t=2m19s').features).toEqual(
      expect.arrayContaining(['link:timestamp', 'link:video_ref', 'domain:youtube.com']),
    );
    expect(scanLinks('Song - Title (Official): http://youtu.be/abc').features).toContain('link:share_format');
  });

  it('removes links from the remaining text', () => {
    expect(scanLinks('see www.example.com/x today').rest.split(/\s+/)).toEqual(['see', 'today']);
  });
});

describe('urlFeatures and hostFeatures', () => {
  it('keeps three labels for second-level registries', () => {
    expect(hostFeatures('shop.example.co.uk')).toEqual(['domain:example.co.uk', 'tld:uk', 'host:shop.example.co.uk']);
  });

  it('drops www. and m. from hosts', () => {
    expect(urlFeatures('https://m.facebook.com/page')).toEqual(['domain:facebook.com', 'tld:com']);
  });

  it('flags an unparsable link', () => {
    expect(urlFeatures('http://[bad')).toEqual(['link:malformed']);
  });
});

describe('modelWords and shapeFeatures', () => {
  it('lower-cases and shortens stretched letters', () => {
    expect(modelWords(foldForModel('Sooooo GOOD'))).toEqual(['soo', 'good']);
  });

  it('notices shouting, money and long numbers', () => {
    expect(shapeFeatures('WIN $500 NOW CALL 5551234567', 5, 0)).toEqual(expect.arrayContaining(['shape:shouting', 'shape:money', 'shape:long_number']));
  });
});
