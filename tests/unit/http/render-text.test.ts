import { renderCommentBody, safeHref } from '../../../src/http/readers/render-text';

describe('renderCommentBody', () => {
  it('escapes markup and keeps line breaks and paragraphs', () => {
    expect(renderCommentBody('<b>bold</b> & "quoted"\nnext line\r\n\r\nnew paragraph')).toBe(
      '<p>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;<br>next line</p><p>new paragraph</p>',
    );
  });

  it('links http(s) URLs only, marked as user content, without trailing punctuation', () => {
    expect(renderCommentBody('See https://example.org/a?b=1&c=2. Or (http://example.org/x_(y)).')).toBe(
      '<p>See <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>. ' +
        'Or (<a href="http://example.org/x_(y)" rel="nofollow ugc noopener">http://example.org/x_(y)</a>).</p>',
    );
    expect(renderCommentBody('javascript:alert(1) data:text/html,x ftp://example.org')).toBe('<p>javascript:alert(1) data:text/html,x ftp://example.org</p>');
  });

  it('never lets a URL break out of its attribute', () => {
    const html = renderCommentBody('http://example.org/"onmouseover="alert(1) https://example.org/<script>');
    expect(html).not.toMatch(/<script|"onmouseover/);
    expect(html).toContain('<a href="http://example.org/" rel="nofollow ugc noopener">http://example.org/</a>&quot;onmouseover=&quot;alert(1)');
  });
});

describe('safeHref', () => {
  it.each([
    ['https://example.org/x', 'https://example.org/x'],
    ['  http://example.org ', 'http://example.org/'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['data:text/html,<script>', null],
    ['//example.org', null],
    ['example.org', null],
    ['', null],
    [null, null],
  ])('%p → %p', (raw, expected) => {
    expect(safeHref(raw)).toBe(expected);
  });
});
