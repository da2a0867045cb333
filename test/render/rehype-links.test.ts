import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import rehypeLinks from '../../src/render/rehype-links.ts';
import { pageData } from '../../src/render/page-data.ts';
import { warningOf } from '../../src/core/warning.ts';
import { context, OTHER_SHA, SHA } from './helpers.ts';

async function run(md: string, filePath = 'docs/setup.md') {
  const published: string[] = [];
  const file = new VFile({ value: md, data: { renderContext: context(filePath, 'acme/widget', published) } });
  const html = String(await unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeLinks).use(rehypeStringify).process(file));
  return { html, data: pageData(file), warnings: file.messages.map((m) => warningOf(m, pageData(file).file)), published };
}
const href = (html: string) => [...html.matchAll(/(?:href|src|srcset)="([^"]*)"/g)].map((m) => m[1]);
const blob = (p: string) => `https://github.com/acme/widget/blob/${SHA}/${p}`;

describe('rehype-links: relative links', () => {
  it('goes to bundle pages, keeping the fragment', async () => {
    const { html, data, warnings } = await run('[a](guide/install.md) [b](./guide/install.md#step-2) [c](../README.md) [d](README.md) [e](guide/Advanced%20Topics.md)');
    expect(href(html)).toEqual(['../guide/install/index.html', '../guide/install/index.html#step-2', '../../index.html', '../index.html', '../guide/Advanced%20Topics/index.html']);
    expect(data.crossLinks).toEqual([{ href: '../guide/install/index.html#step-2', targetUrl: 'services/widget/docs/guide/install/', fragment: 'step-2', line: 1 }]);
    expect(data.linksRewritten).toBe(5);
    expect(warnings).toEqual([]);
  });

  it('maps folders with a README to their page, others to GitHub trees', async () => {
    const { html } = await run('[a](../) [b](..) [c](/Docs-Only) [d](../../examples) [e](/)', 'docs/guide/install.md');
    expect(href(html)).toEqual(['../../index.html', '../../index.html', '../../../Docs-Only/index.html', `https://github.com/acme/widget/tree/${SHA}/examples`, '../../../index.html']);
  });

  it('resolves root-relative links from the repository root', async () => {
    const { html } = await run('[a](/docs/setup.md) [b](/src/main.py#L3)', 'docs/guide/install.md');
    expect(href(html)).toEqual(['../../setup/index.html', `${blob('src/main.py')}#L3`]);
  });

  it('sends files that are not pages to GitHub at the commit', async () => {
    const { html } = await run('[a](notes.txt) [b](../LICENSE) [c](../src/main.py?plain=1)');
    expect(href(html)).toEqual([blob('docs/notes.txt'), blob('LICENSE'), blob('src/main.py')]);
  });

  it('warns about links to nothing, with file and line, and links to GitHub', async () => {
    const { html, data, warnings } = await run('Text\n\n[gone](missing.md#x)');
    expect(href(html)).toEqual([`${blob('docs/missing.md')}#x`]);
    expect(data.linksBroken).toBe(1);
    expect(warnings).toEqual([{ file: 'acme/widget/docs/setup.md', line: 3, column: 1, message: expect.stringContaining('missing.md'), ruleId: 'broken-link' }]);
  });

  it('stays at the root when ../ goes beyond it', async () => {
    expect(href((await run('[a](../../../../README.md)')).html)).toEqual(['../../index.html']);
  });

  it('accepts a link whose case differs, with a warning', async () => {
    const { html, warnings } = await run('[a](Guide/INSTALL.md)');
    expect(href(html)).toEqual(['../guide/install/index.html']);
    expect(warnings[0]!.message).toMatch(/case/);
  });

  it('understands MkDocs spellings of pages', async () => {
    expect(href((await run('[a](guide/install/) [b](guide/install.html) [c](guide/install/index.html)')).html)).toEqual([
      '../guide/install/index.html',
      '../guide/install/index.html',
      '../guide/install/index.html',
    ]);
  });

  it('leaves external links, mail and same-page anchors alone', async () => {
    const { html, data } = await run('[a](https://example.org/x) [b](mailto:a@b.c) [c](#here) [d](//cdn.example/x)');
    expect(href(html)).toEqual(['https://example.org/x', 'mailto:a@b.c', '#here', '//cdn.example/x']);
    expect(data.linksRewritten).toBe(0);
  });

  it('rewrites raw HTML links too', async () => {
    expect(href((await run('<p><a href="guide/install.md">x</a></p>')).html)).toEqual(['../guide/install/index.html']);
  });
});

describe('rehype-links: GitHub URLs', () => {
  it('goes to the bundle page of a loaded repository whatever the ref', async () => {
    const { html, data } = await run(
      '[a](https://github.com/acme/gadget/blob/master/docs/api.md#auth) [b](https://github.com/acme/gadget/tree/feature/x/docs) [c](https://github.com/Acme/Gadget/blob/v1.2/README.md)',
    );
    expect(href(html)).toEqual(['../../../gadget/docs/api/index.html#auth', 'https://github.com/acme/gadget/tree/feature/x/docs', '../../../gadget/index.html']);
    expect(data.crossLinks).toHaveLength(1);
  });

  it('keeps GitHub URLs of files that are not pages, of unknown repositories, and of source lines', async () => {
    const urls = ['https://github.com/acme/gadget/blob/main/docs/internal.md', 'https://github.com/other/repo/blob/main/README.md', 'https://github.com/acme/gadget/blob/main/README.md#L10-L20'];
    expect(href((await run(urls.map((u) => `[x](${u})`).join(' '))).html)).toEqual(urls);
  });
});

describe('rehype-links: images', () => {
  it('publishes repository images and makes the src relative to the page', async () => {
    const { html, published } = await run('![d](img/diagram.png "T") <img src="./img/diagram.png" width="200" alt="x">');
    expect(href(html)).toEqual(['../../../../assets/files/0123456789abcdef-diagram.png', '../../../../assets/files/0123456789abcdef-diagram.png']);
    expect(html).toContain('width="200"');
    expect(html).toContain('title="T"');
    expect(published).toEqual(['acme/widget:docs/img/diagram.png', 'acme/widget:docs/img/diagram.png']);
  });

  it('falls back to raw GitHub URLs when bytes are missing or the file is not in the tree', async () => {
    const { html, warnings } = await run('![a](img/big.png) ![b](img/none.png)');
    expect(href(html)).toEqual([`https://raw.githubusercontent.com/acme/widget/${SHA}/docs/img/big.png`, `https://raw.githubusercontent.com/acme/widget/${SHA}/docs/img/none.png`]);
    expect(warnings).toHaveLength(1);
  });

  it('turns GitHub blob URLs of images into raw URLs', async () => {
    const { html } = await run('![a](https://github.com/acme/gadget/blob/main/docs/shot.png) ![b](https://github.com/x/y/blob/dev/a/b.gif?raw=true)');
    expect(href(html)).toEqual(['https://raw.githubusercontent.com/acme/gadget/main/docs/shot.png', 'https://raw.githubusercontent.com/x/y/dev/a/b.gif']);
    expect(OTHER_SHA).toBeTruthy();
  });

  it('publishes images that links open, but keeps SVG documents on GitHub', async () => {
    const { html } = await run('[![d](img/diagram.png)](img/diagram.png) [svg](img/logo.svg)');
    expect(href(html)).toEqual(['../../../../assets/files/0123456789abcdef-diagram.png', '../../../../assets/files/0123456789abcdef-diagram.png', blob('docs/img/logo.svg')]);
  });

  it('turns an image of a file that is no image into a link to its GitHub page, its text alone inside a link', async () => {
    const { html, data } = await run('![Flow](img/flow.html) <img src="img/flow.html"> [![Badge](img/flow.html)](https://x.example/)');
    expect(html).toContain(`<a href="${blob('docs/img/flow.html')}">Flow</a>`);
    expect(html).toContain(`<a href="${blob('docs/img/flow.html')}">flow.html</a>`);
    expect(html).toContain('<a href="https://x.example/"><span>Badge</span></a>');
    expect(html).not.toMatch(/<img|raw\.githubusercontent/);
    expect(data.linksRewritten).toBe(3);
  });

  it('drops such a file from a srcset', async () => {
    const { html } = await run('<picture><source srcset="img/flow.html 2x, img/diagram.png 1x"><img src="img/diagram.png"></picture>');
    expect(html).toContain('srcset="../../../../assets/files/0123456789abcdef-diagram.png 1x"');
  });

  it('rewrites picture sources', async () => {
    const { html } = await run('<picture><source srcset="img/diagram.png 2x, https://x.example/a.png 1x"><img src="img/diagram.png"></picture>');
    expect(html).toContain('srcset="../../../../assets/files/0123456789abcdef-diagram.png 2x, https://x.example/a.png 1x"');
  });
});

describe('rehype-links: links to the guides\' old site', () => {
  it('go to the page in the bundle, fragment kept and checked like any cross link', async () => {
    const ctx = { ...context('README.md'), pageForOldSiteUrl: (url: string) => (url.startsWith('https://docs.widget.test/guide/') ? { targetUrl: 'guides/guide/', ...(url.includes('#') && { fragment: url.split('#')[1]! }) } : undefined) };
    const file = new VFile({ value: '[a](https://docs.widget.test/guide/) [b](https://docs.widget.test/guide/#install) [c](https://docs.widget.test/other/) ![d](https://docs.widget.test/guide/x.png)', data: { renderContext: ctx } });
    const html = String(await unified().use(remarkParse).use(remarkRehype).use(rehypeLinks).use(rehypeStringify).process(file));
    expect(href(html)).toEqual(['../../guides/guide/index.html', '../../guides/guide/index.html#install', 'https://docs.widget.test/other/', 'https://docs.widget.test/guide/x.png']);
    expect(pageData(file).crossLinks).toEqual([{ href: '../../guides/guide/index.html#install', targetUrl: 'guides/guide/', fragment: 'install', line: 1 }]);
  });
});
