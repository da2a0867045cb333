/**
 * DOM clobbering: no id or name of a page's content may shadow a property of `document` or `window`. Raw HTML
 * goes through the sanitizer with the site's schema, then the renderer's own ids through rehype-ids; the
 * plugins run as the renderer chains them.
 */
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { sanitizeSchema } from '../../src/render/sanitize-schema.ts';
import rehypeHeadings from '../../src/render/rehype-headings.ts';
import rehypeIds from '../../src/render/rehype-ids.ts';
import rehypeAnchors from '../../src/render/rehype-anchors.ts';
import { pageData } from '../../src/render/page-data.ts';
import { warningOf } from '../../src/core/warning.ts';

function render(md: string) {
  const file = new VFile({ value: md, path: 'doc.md' });
  const html = String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' })
      .use(rehypeRaw)
      .use(rehypeSanitize, sanitizeSchema)
      .use(rehypeHeadings)
      .use(rehypeIds)
      .use(rehypeAnchors)
      .use(rehypeStringify)
      .processSync(file),
  );
  return { html, data: pageData(file), warnings: file.messages.map((m) => warningOf(m, pageData(file).file)) };
}

/** Every id and name attribute of the output. */
const namesIn = (html: string) => [...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1]!);

describe('clobbering through raw HTML', () => {
  it('prefixes every id and name written in raw HTML, on any element', () => {
    const { html } = render(
      '# T\n\n<img name="querySelectorAll" src="a.png"> <img id="createElement" name="body"> <a id="documentElement">x</a>\n\n' +
        '<a name="addEventListener"></a>\n\n<div id="activeElement"><p id="cookie">y</p></div>\n',
    );
    expect(namesIn(html).filter((n) => n !== 't').sort()).toEqual(
      ['activeElement', 'addEventListener', 'body', 'cookie', 'createElement', 'documentElement', 'querySelectorAll'].map((n) => `user-content-${n}`).sort(),
    );
  });

  it('prefixes the id a raw HTML heading carries, and its table of contents entry follows', () => {
    const { html, data } = render('# T\n\n<h2 id="Setup">Setup</h2>\n\n[go](#Setup)\n');
    expect(html).toContain('<h2 id="user-content-Setup">Setup</h2>');
    expect(data.toc).toEqual([{ depth: 2, id: 'user-content-Setup', text: 'Setup' }]);
    expect(html).toContain('<a href="#user-content-Setup">go</a>');
  });

  it('prefixes the ids aria-labelledby and aria-describedby refer to, keeping them paired', () => {
    const { html } = render('# T\n\n<table aria-labelledby="lbl" aria-describedby="note"><tr><td id="lbl">Label</td></tr></table>\n\n<p id="note">n</p>\n');
    expect(html).toContain('<table aria-labelledby="user-content-lbl" aria-describedby="user-content-note">');
    expect(html).toContain('<td id="user-content-lbl">');
    expect(html).toContain('<p id="user-content-note">');
  });

  it('points a link to a raw HTML anchor at its prefixed name, without a warning', () => {
    const { html, warnings } = render('# T\n\n- [Queries](#query)\n- [Again](#Query)\n\n<a name="query"></a>\n\n## Queries\n');
    expect(html).toContain('<a name="user-content-query"></a>');
    expect(html).toContain('<a href="#user-content-query">Queries</a>');
    expect(html).toContain('<a href="#user-content-query">Again</a>');
    expect(warnings).toEqual([]);
  });

  it('keeps the heading slugs github.com makes unprefixed, so links from outside still land', () => {
    const { html, data } = render('# T\n\n## Getting Started\n\n### Query Selector All\n');
    expect(html).toContain('<h2 id="getting-started">');
    expect(html).toContain('<h3 id="query-selector-all">');
    expect(data.ids).toEqual(['t', 'getting-started', 'query-selector-all']);
  });

  it('prefixes footnote ids once and keeps footnote links pointing at them', () => {
    const { html, data, warnings } = render('# T\n\nText.[^1]\n\n[^1]: The note.\n');
    const hrefs = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toEqual(['user-content-fn-1', 'user-content-fnref-1']);
    for (const href of hrefs) expect(data.ids).toContain(href);
    expect(html).not.toContain('user-content-user-content');
    expect(warnings).toEqual([]);
  });
});
