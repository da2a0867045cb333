import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import rehypeHeadings from '../../src/render/rehype-headings.ts';
import { pageData } from '../../src/render/page-data.ts';

function run(md: string, frontMatterTitle?: string) {
  const file = new VFile({ value: md });
  if (frontMatterTitle) file.data.frontMatterTitle = frontMatterTitle;
  const html = String(unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeHeadings, { fallbackTitle: 'From file' }).use(rehypeStringify).processSync(file));
  return { html, data: pageData(file) };
}

describe('rehype-headings', () => {
  it('makes ids the way github.com does, duplicates numbered', () => {
    const { html } = run('# Release\n## New Features\n## New Features\n## New Features\n## OIDC & OAuth2\n## `code` *and* [link](x)\n## Ünïcode über\n## 🎉 Party');
    expect(html).toContain('<h2 id="new-features">');
    expect(html).toContain('<h2 id="new-features-1">');
    expect(html).toContain('<h2 id="new-features-2">');
    expect(html).toContain('<h2 id="oidc--oauth2">');
    expect(html).toContain('<h2 id="code-and-link">');
    expect(html).toContain('<h2 id="ünïcode-über">');
    expect(html).toContain('<h2 id="-party">');
  });

  it('keeps ids written in raw HTML and honours {#custom-id}', () => {
    const { html, data } = run('# T\n<h2 id="kept">Raw</h2>\n\n## Sftp Setup {#sftp-setup}');
    expect(html).toContain('<h2 id="kept">Raw</h2>');
    expect(html).toContain('<h2 id="sftp-setup">Sftp Setup</h2>');
    expect(data.toc.map((t) => t.id)).toEqual(['kept', 'sftp-setup']);
  });

  it('keeps the first H1 as title and demotes later ones', () => {
    const { html, data } = run('# First\ntext\n# Second\n### Deep');
    expect(data.title).toBe('First');
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<h2 id="second">Second</h2>');
    expect(data.toc).toEqual([
      { depth: 2, id: 'second', text: 'Second' },
      { depth: 3, id: 'deep', text: 'Deep' },
    ]);
  });

  it('inserts an H1 from the title, without an id, when there is none', () => {
    const { html, data } = run('Intro\n\n## Fence\n', 'Fence');
    expect(data.title).toBe('Fence');
    expect(html.startsWith('<h1>Fence</h1>')).toBe(true);
    expect(html).toContain('<h2 id="fence">'); // same id as on GitHub, not fence-1
  });

  it('titles a page that opens with a lower heading by that heading, which becomes its H1 and keeps its id', () => {
    const { html, data } = run('## Quickstart with Helm\n\nText.\n\n## Install\n');
    expect(data.title).toBe('Quickstart with Helm');
    expect(html.startsWith('<h1 id="quickstart-with-helm">Quickstart with Helm</h1>')).toBe(true);
    expect(data.toc.map((t) => t.id)).toEqual(['install']);
    // A heading after a paragraph is a section, not the title.
    expect(run('Intro.\n\n## Install\n').data.title).toBe('From file');
  });

  it('falls back to the file title, and front matter wins over the H1', () => {
    expect(run('no headings').data.title).toBe('From file');
    expect(run('# Body title', 'Matter').data.title).toBe('Matter');
  });

  it('inserts the title as text, never as markup', () => {
    const { html } = run('x', '<img src=x onerror=alert(1)>');
    expect(html).toContain('<h1>&#x3C;img src=x onerror=alert(1)></h1>');
  });
});
