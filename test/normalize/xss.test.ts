/**
 * Hostile input: every vector is rendered through the whole stage and the output is parsed back into a tree;
 * a generic checker asserts that no dangerous element, attribute or URL survived, and each vector also states
 * what must (not) be left of it.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/normalize/render.ts';
import { context, doc } from './helpers.ts';
import { unsafeParts } from './unsafe.ts';

interface Vector {
  name: string;
  input: string;
  /** Text that must still be visible (the harmless part), if any. */
  keeps?: string;
  /** Substrings that must not appear in the HTML at all. */
  drops?: string[];
}

const vectors: Vector[] = [
  { name: 'script element', input: 'a <script>alert(1)</script> b', keeps: 'a', drops: ['alert(1)'] },
  { name: 'script block', input: '<script>\nalert(1)\n</script>', drops: ['alert'] },
  { name: 'script with src', input: '<script src="https://evil.example/x.js"></script>', drops: ['evil.example'] },
  { name: 'img onerror', input: '<img src=x onerror=alert(1)>', drops: ['onerror', 'alert'] },
  { name: 'img onerror in markdown paragraph', input: 'see <img src="a.png" onerror="alert(1)"> here', keeps: 'here', drops: ['onerror'] },
  { name: 'svg onload', input: '<svg onload=alert(1)><circle r="1"/></svg>', drops: ['onload', '<svg'] },
  { name: 'svg script', input: '<svg><script>alert(1)</script></svg>', drops: ['alert'] },
  { name: 'svg xlink:href', input: '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', drops: ['javascript', 'xlink'] },
  { name: 'math href', input: '<math><mtext><a href="javascript:alert(1)">m</a></mtext></math>', drops: ['javascript'] },
  { name: 'math mglyph style trick', input: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', drops: ['onerror'] },
  { name: 'javascript: inline link', input: '[click](javascript:alert(1))', keeps: 'click', drops: ['javascript'] },
  { name: 'javascript: reference link', input: '[click][r]\n\n[r]: javascript:alert(1)', keeps: 'click', drops: ['javascript'] },
  { name: 'javascript: image', input: '![pic](javascript:alert(1))', drops: ['javascript'] },
  { name: 'javascript: reference image', input: '![pic][r]\n\n[r]: javascript:alert(1)', drops: ['javascript'] },
  { name: 'javascript: autolink', input: '<javascript:alert(1)>', drops: ['href="javascript'] },
  { name: 'mixed-case scheme', input: '[x](JaVaScRiPt:alert(1))', keeps: 'x', drops: ['alert'] },
  { name: 'entity-encoded scheme in markdown', input: '[x](&#106;avascript:alert(1))', drops: ['alert'] },
  { name: 'entity-encoded scheme in html', input: '<a href="&#106;&#97;vascript:alert(1)">x</a>', keeps: 'x', drops: ['alert'] },
  { name: 'hex entities without semicolons', input: '<a href="&#x6A&#x61&#x76&#x61script:alert(1)">x</a>', drops: ['alert'] },
  { name: 'tab inside scheme', input: '<a href="java\tscript:alert(1)">x</a>', drops: ['alert'] },
  { name: 'newline inside scheme', input: '<a href="java\nscript:alert(1)">x</a>', drops: ['alert'] },
  { name: 'leading space and control chars', input: '<a href=" \u0001javascript:alert(1)">x</a>', drops: ['alert'] },
  { name: '&colon; entity', input: '<a href="javascript&colon;alert(1)">x</a>', drops: ['alert'] },
  { name: 'vbscript', input: '<a href="vbscript:msgbox(1)">x</a> [y](vbscript:msgbox(2))', drops: ['msgbox'] },
  { name: 'data:text/html link', input: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', drops: ['data:'] },
  { name: 'data:text/html markdown link', input: '[x](data:text/html,<script>alert(1)</script>)', drops: ['data:text', 'alert'] },
  { name: 'data: svg image', input: '<img src="data:image/svg+xml,<svg onload=alert(1)>">', drops: ['data:', 'onload'] },
  { name: 'iframe', input: '<iframe src="https://evil.example"></iframe>', drops: ['evil.example', 'iframe'] },
  { name: 'iframe srcdoc', input: '<iframe srcdoc="<script>alert(1)</script>"></iframe>', drops: ['srcdoc', 'alert'] },
  { name: 'iframe with javascript src', input: '<iframe src="javascript:alert(1)"></iframe>', drops: ['alert'] },
  { name: 'object', input: '<object data="https://evil.example/x.swf"></object>', drops: ['evil.example'] },
  { name: 'embed', input: '<embed src="https://evil.example/x.swf">', drops: ['evil.example'] },
  { name: 'style element', input: '<style>body{background:url(javascript:alert(1))}</style>', drops: ['background', 'alert'] },
  { name: 'style attribute', input: '<p style="background:url(javascript:alert(1))">x</p>', keeps: 'x', drops: ['style', 'alert'] },
  { name: 'meta refresh', input: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', drops: ['refresh', 'alert'] },
  { name: 'base href', input: '<base href="https://evil.example/">', drops: ['evil.example'] },
  { name: 'form action', input: '<form action="https://evil.example/steal"><input name="p"></form>', drops: ['evil.example', 'action'] },
  { name: 'input onfocus autofocus', input: '<input onfocus=alert(1) autofocus>', drops: ['onfocus', 'alert'] },
  { name: 'button formaction', input: '<button formaction="javascript:alert(1)">go</button>', drops: ['formaction', 'alert'] },
  { name: 'action on a div', input: '<div action="javascript:alert(1)">x</div>', drops: ['alert'] },
  { name: 'alt attribute breaking', input: '![x"><script>alert(1)</script>](a.png)', drops: ['<script'] },
  { name: 'title attribute breaking', input: '[x](https://example.org "\\"><script>alert(1)</script>")', drops: ['<script'] },
  { name: 'raw alt breaking', input: '<img alt=""><script>alert(1)</script>" src="a.png">', drops: ['<script'] },
  { name: 'details ontoggle', input: '<details open ontoggle=alert(1)><summary>s</summary>x</details>', keeps: 's', drops: ['ontoggle'] },
  { name: 'noscript parser differential', input: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', drops: ['<img'] },
  { name: 'template', input: '<template><img src=x onerror=alert(1)></template>', drops: ['onerror', 'template'] },
  { name: 'link rel=import', input: '<link rel="import" href="https://evil.example/x.html">', drops: ['evil.example'] },
  { name: 'srcset with javascript', input: '<picture><source srcset="javascript:alert(1) 1x"><img src="a.png"></picture>', drops: ['javascript'] },
  { name: 'img srcset with javascript', input: '<img srcset="javascript:alert(1)" src="a.png">', drops: ['javascript'] },
  { name: 'a with onclick and fine href', input: '<a href="https://example.org" onclick="alert(1)">ok</a>', keeps: 'ok', drops: ['onclick'] },
  { name: 'onmouseover via unquoted attribute', input: '<b onmouseover=alert(1)>b</b>', keeps: 'b', drops: ['onmouseover'] },
  { name: 'id clobbering the template', input: '<div id="site-nav">x</div><a name="site-search"></a>', drops: ['id="site-nav"', 'name="site-search"'] },
  { name: 'video embed from elsewhere', input: '<video src="x.mp4" onerror="alert(1)"></video>', drops: ['onerror'] },
  { name: 'html comment breaking', input: '<!--><script>alert(1)</script>-->', drops: ['<script'] },
  { name: 'cdata in html', input: '<![CDATA[<script>alert(1)</script>]]>', drops: ['<script'] },
  { name: 'placeholder with handler stays text', input: 'use <your-commons onmouseover=alert(1)> here', keeps: 'here' },
  { name: 'javascript in footnote', input: 'a[^1]\n\n[^1]: [x](javascript:alert(1))', drops: ['javascript'] },
  { name: 'javascript in table cell', input: '| a |\n|---|\n| <a href="javascript:alert(1)">x</a> |', drops: ['javascript'] },
  { name: 'alert title injection', input: '> [!NOTE]\n> <img src=x onerror=alert(1)>', drops: ['onerror'] },
  { name: 'code fence language injection', input: '```js" onmouseover="alert(1)\nx\n```', drops: ['onmouseover="'] },
];

describe('hostile markup is inert', () => {
  it('has at least 40 vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  it.each(vectors)('$name', async (vector) => {
    const page = await renderMarkdown(doc(`# Page\n\n${vector.input}\n`), context());
    expect(unsafeParts(page.html), page.html).toEqual([]);
    for (const bad of vector.drops ?? []) expect(page.html.toLowerCase(), page.html).not.toContain(bad.toLowerCase());
    if (vector.keeps) expect(page.html).toContain(vector.keeps);
  });

  it('front matter with HTML comes out as text in title and description, and escaped in the H1', async () => {
    const page = await renderMarkdown(doc('---\ntitle: "<img src=x onerror=alert(1)>Hi"\ndescription: "<script>alert(2)</script>"\n---\nBody.\n'), context());
    expect(page.title).toBe('<img src=x onerror=alert(1)>Hi');
    expect(page.description).toBe('<script>alert(2)</script>');
    expect(unsafeParts(page.html)).toEqual([]);
    expect(page.html).toContain('<h1>&#x3C;img src=x onerror=alert(1)>Hi</h1>');
  });

  it('a title taken from the H1 is plain text', async () => {
    const page = await renderMarkdown(doc('# A <b>bold</b> <img src=x onerror=alert(1)> title\n'), context());
    expect(page.title).toBe('A bold title');
  });

  it('the checker itself catches what it should', () => {
    expect(unsafeParts('<a href="java\tscript:x">x</a><img onerror="x"><iframe></iframe><source srcset="a.png, javascript:x">')).toHaveLength(4);
  });
});
