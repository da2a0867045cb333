/** Raw HTML and link schemes in the Markdown export: what could run code never reaches md/. */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.ts';
import { exportMarkdown } from '../../src/publish/markdown-export.ts';
import type { Config } from '../../src/config/types.ts';
import type { RenderedPage } from '../../src/normalize/types.ts';
import type { RepoContent } from '../../src/sources/types.ts';

const SHA = 'a'.repeat(40);

async function exportOne(markdown: string): Promise<string> {
  const config: Config = { file: 'x', site: { title: 'T', baseUrl: '/' }, repositories: [{ repo: 'o/r', section: 'S' }] };
  const content: RepoContent = {
    meta: { fullName: 'o/r', owner: 'o', name: 'r', defaultBranch: 'main', description: null, htmlUrl: '', pushedAt: null, archived: false, fork: false, topics: [] },
    ref: 'main',
    commitSha: SHA,
    tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: 'b'.repeat(40) }],
    treeTruncated: false,
    tags: [],
    documents: [{ repo: 'o/r', path: 'README.md', text: markdown, blobSha: 'b'.repeat(40), commitSha: SHA, sourceUrl: '' }],
  };
  const catalog = buildCatalog({ config, services: [{ config: config.repositories[0]!, content }] });
  const rendered = new Map(catalog.pages.map((p) => [p, { title: 'R', description: '', frontMatter: {} } as RenderedPage]));
  const { files } = await exportMarkdown({ catalog, rendered, site: config.site });
  const page = files.find((f) => f.path === 'md/services/r/index.md')!;
  return String(page.content).replace(/^---\n[\s\S]*?\n---\n\n/, '');
}

describe('Markdown export sanitizing', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', 'onerror'],
    ['<a href="jav&#x61;script:alert(1)">x</a>', 'script:'],
    ['<a href="java\tscript:alert(1)">x</a>', 'script:'],
    ['<A HREF=" JAVASCRIPT:alert(1)">x</A>', 'JAVASCRIPT'],
    ['<a href="vbscript:msgbox(1)">x</a>', 'vbscript'],
    ['<iframe src="data:text/html,<script>alert(1)</script>"></iframe>', 'data:'],
    ['<div><svg><script>alert(1)</script></svg></div>', 'script'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>', 'math'],
    ['<object data="x.swf"></object>', 'object'],
    ['<embed src="x.swf">', 'embed'],
    ['<form action="https://evil.example"><input></form>', 'form'],
    ['<style>body{display:none}</style>', 'style'],
    ['<base href="https://evil.example/">', 'base'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example">', 'meta'],
    ['<details open ontoggle=alert(1)><summary>x</summary></details>', 'ontoggle'],
    ['<iframe srcdoc="<script>alert(1)</script>"></iframe>', 'srcdoc'],
  ])('drops %s', async (html, needle) => {
    const out = await exportOne(`# T\n\n${html}\n\ntext after\n`);
    expect(out.toLowerCase()).not.toContain(needle.toLowerCase());
    expect(out).toContain('text after');
  });

  it('leaves what CommonMark does not take for a tag as escaped text', async () => {
    // "<img/src=x/onerror=...>" is no HTML tag for CommonMark: it stays text, and its "<" is escaped so no
    // other Markdown parser takes it for one either.
    const out = await exportOne('# T\n\n<img/src=x/onerror=alert(1)>\n');
    expect(out).toContain('\\<img/src=x/onerror=alert(1)>');
  });

  it.each([
    ['[x](javascript:alert(1))', 'x'],
    ['[x](JaVaScRiPt:alert(1))', 'x'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', 'x'],
    ['![alt](javascript:alert(1))', 'alt'],
  ])('keeps only the text of %s', async (md, text) => {
    const out = await exportOne(`# T\n\nBefore ${md} after.\n`);
    expect(out).toContain(`Before ${text} after.`);
    expect(out).not.toMatch(/script:|data:/i);
  });

  it('neutralises a definition with an unsafe URL', async () => {
    const out = await exportOne('# T\n\nSee [x].\n\n[x]: javascript:alert(1)\n');
    expect(out).not.toMatch(/javascript/i);
  });

  it('keeps harmless HTML as written, with its relative links sent to GitHub', async () => {
    const out = await exportOne('# T\n\n<details><summary>More</summary>\n\nHidden <kbd>Ctrl</kbd> text.\n\n</details>\n\n<a href="src/x.py" title="x">code</a>\n');
    expect(out).toContain('<details><summary>More</summary>');
    expect(out).toContain('<kbd>Ctrl</kbd>');
    expect(out).toContain('</details>');
    expect(out).toContain(`<a href="https://github.com/o/r/blob/${SHA}/src/x.py" title="x">code</a>`);
  });

  it('keeps images as data URLs only for raster types', async () => {
    const png = await exportOne('# T\n\n![p](data:image/png;base64,iVBORw0KGgo=)\n');
    expect(png).toContain('![p](data:image/png;base64,iVBORw0KGgo=)');
    const svg = await exportOne('# T\n\n![s](data:image/svg+xml;base64,PHN2Zz4=)\n');
    expect(svg).not.toContain('data:');
  });
});
