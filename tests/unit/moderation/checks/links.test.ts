import { BBCODE_SCORE, linksCheck } from '../../../../src/moderation/checks/links';
import { findLinks } from '../../../../src/moderation/link-scan';
import { checkContext } from '../../../helpers/check-context';

const run = (body: string, settings = {}) => linksCheck.run(checkContext({ comment: { body }, settings }));

describe('findLinks', () => {
  it('counts URLs, bare www hosts, <a href> and BBCode, each link once', () => {
    const links = findLinks('a https://x.example/p b www.y.example c <a href="https://z.example">z</a> d [url=http://w.example]w[/url]');
    expect(links.map((l) => l.kind)).toEqual(['url', 'www', 'html', 'bbcode']);
  });

  it('does not count the www of a URL or an email twice', () => {
    expect(findLinks('see http://www.x.example and me@www.mail.example')).toHaveLength(1);
  });

  it('finds full-width URLs', () => {
    expect(findLinks('ｈｔｔｐｓ://spam.example')).toHaveLength(1);
  });
});

describe('linksCheck', () => {
  it('passes a comment with fewer links than commentMaxLinks', async () => {
    expect(await run('Source: https://news.example/a')).toEqual({ check: 'links', verdict: 'pass', score: 0, reasons: [] });
  });

  it('returns review at commentMaxLinks links (WordPress default 2)', async () => {
    const r = await run('https://a.example and www.b.example');
    expect(r.verdict).toBe('review');
    expect(r.reasons[0]).toMatchObject({ code: 'too_many_links', field: 'body', match: 'https://a.example' });
  });

  it('never holds for links when commentMaxLinks is 0', async () => {
    expect((await run('https://a.example https://b.example https://c.example', { commentMaxLinks: 0 })).verdict).toBe('pass');
  });

  it('adds spam points for BBCode links', async () => {
    const r = await run('nice [url=http://pills.example]pills[/url]');
    expect(r.score).toBe(BBCODE_SCORE);
    expect(r.reasons.map((x) => x.code)).toEqual(['bbcode_link']);
  });
});
