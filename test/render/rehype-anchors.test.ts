import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import rehypeHeadings from '../../src/render/rehype-headings.ts';
import rehypeIds from '../../src/render/rehype-ids.ts';
import rehypeAnchors from '../../src/render/rehype-anchors.ts';
import { pageData } from '../../src/render/page-data.ts';
import { warningOf } from '../../src/core/warning.ts';
import { matchFragment } from '../../src/render/anchors.ts';

function run(md: string) {
  const file = new VFile({ value: md, path: 'doc.md' });
  const html = String(unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeHeadings).use(rehypeIds).use(rehypeAnchors).use(rehypeStringify).processSync(file));
  return { html, data: pageData(file), warnings: file.messages.map((m) => warningOf(m, pageData(file).file)) };
}

describe('rehype-anchors', () => {
  it('keeps anchors that exist, including <a name> and #top', () => {
    const { html, warnings } = run('# T\n## Install Steps\n<a name="query"></a>\n\n[a](#install-steps) [b](#query) [c](#top)');
    expect(html).toContain('href="#install-steps"');
    expect(html).toContain('href="#query"');
    expect(html).toContain('href="#top"');
    expect(warnings).toEqual([]);
  });

  it('matches fragments written as headings, in other case, or the MkDocs way', () => {
    const { html, data } = run('# T\n## Azure AD Registration\n## Getting started - quick videos\n## How to\n## How to\n[a](#Azure-AD-Registration) [b](#getting-started-quick-videos) [c](#how-to_1) [d](#AZURE-AD-REGISTRATION)');
    expect(html).toContain('<a href="#azure-ad-registration">a</a>');
    expect(html).toContain('<a href="#getting-started---quick-videos">b</a>');
    expect(html).toContain('<a href="#how-to-1">c</a>');
    expect(html).toContain('<a href="#azure-ad-registration">d</a>');
    expect(data.linksRewritten).toBe(4);
  });

  it('finds ids renamed away from the site- prefix', () => {
    expect(run('# T\n## Site setup\n[x](#site-setup)').html).toContain('href="#user-content-site-setup"');
  });

  it('points unknown anchors at the top, keeping the text, with a warning and its line', () => {
    const { html, data, warnings } = run('# T\n\ntext\n\n[Gone](#nowhere)');
    expect(html).toContain('<a href="#">Gone</a>');
    expect(data.linksBroken).toBe(1);
    expect(warnings).toEqual([{ file: 'doc.md', line: 5, column: 1, message: expect.stringContaining('#nowhere'), ruleId: 'broken-anchor' }]);
  });

  it('matchFragment reaches an anchor written in raw HTML through its user-content- prefix', () => {
    const ids = new Set(['install', 'user-content-query', 'user-content-Filter']);
    expect(matchFragment('query', ids)).toBe('user-content-query');
    expect(matchFragment('Query', ids)).toBe('user-content-query');
    expect(matchFragment('filter', ids)).toBe('user-content-Filter');
    expect(matchFragment('user-content-query', ids)).toBe('user-content-query');
  });

  it('matchFragment takes #user-content-x, copied from a page on github.com, to the heading x', () => {
    expect(matchFragment('user-content-install', new Set(['install']))).toBe('install');
  });

  it('matchFragment prefers a heading over a raw HTML anchor of the same name', () => {
    expect(matchFragment('setup', new Set(['user-content-setup', 'setup']))).toBe('setup');
  });

  it('matchFragment refuses ambiguous loose matches', () => {
    expect(matchFragment('a-b', new Set(['a--b', 'a---b']))).toBeUndefined();
    expect(matchFragment('x', new Set(['y']))).toBeUndefined();
  });
});
