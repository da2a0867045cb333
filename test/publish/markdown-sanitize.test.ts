/** Raw HTML and link schemes in the Markdown export: what could run code never reaches md/. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type CatalogPage } from '../../src/catalog/catalog.ts';
import { exportMarkdown } from '../../src/publish/markdown-export.ts';
import { markdownPage } from '../../src/render/markdown-page.ts';
import type { Config } from '../../src/config/types.ts';
import type { RenderedPage } from '../../src/render/types.ts';
import type { RepoContent } from '../../src/sources/types.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';

const SHA = 'a'.repeat(40);

/** Exports a repository o/r made of these files; returns each page's body by md/ path. */
async function exportPages(files: Record<string, string>): Promise<Map<string, string>> {
  const config: Config = { file: 'x', site: { title: 'T', baseUrl: '/' }, repositories: [{ repo: 'o/r', section: 'S' }] };
  const paths = Object.keys(files);
  const content: RepoContent = {
    meta: { fullName: 'o/r', owner: 'o', name: 'r', defaultBranch: 'main', description: null, htmlUrl: '', pushedAt: null, archived: false, fork: false, topics: [] },
    ref: 'main',
    commitSha: SHA,
    tree: [...(paths.some((p) => p.startsWith('docs/')) ? [{ path: 'docs', mode: '040000', type: 'tree' as const, sha: 'd'.repeat(40) }] : []), ...paths.map((p) => ({ path: p, mode: '100644', type: 'blob' as const, sha: 'b'.repeat(40) }))],
    treeTruncated: false,
    tags: [],
    documents: paths.map((p) => ({ repo: 'o/r', path: p, text: files[p]!, blobSha: 'b'.repeat(40), commitSha: SHA, sourceUrl: '' })),
  };
  const catalog = buildCatalog({ config, services: [{ config: config.repositories[0]!, content }] });
  // Each page's Markdown body made as the render job makes it; images stay on GitHub here.
  const rendered = new Map<CatalogPage, RenderedPage>();
  for (const page of catalog.pages) {
    const markdown = await markdownPage(page.doc, {
      repo: page.doc.repo,
      path: page.doc.path,
      commitSha: page.doc.commitSha,
      pageUrl: page.url,
      pageUrlForFile: (repo, filePath) => catalog.pageForFile(repo, filePath)?.url,
      treeOf: (repo) => catalog.treeOf(repo),
      publishAsset: async () => undefined,
    });
    rendered.set(page, { title: 'R', description: '', frontMatter: {}, markdown } as RenderedPage);
  }
  const out = await exportMarkdown({ catalog, rendered, site: config.site });
  return new Map(out.files.filter((f) => f.path.endsWith('.md')).map((f) => [f.path, String(f.content).replace(/^---\n[\s\S]*?\n---\n\n/, '')]));
}

async function exportOne(markdown: string): Promise<string> {
  return (await exportPages({ 'README.md': markdown })).get('md/services/r/index.md')!;
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

  it('keeps the author\'s text and escapes a placeholder tag right after a bare URL without the URL taking the escape', async () => {
    const out = await exportOne('Title\n=====\n\n* Open http://localhost:8000/status/<workflowname> now.\n');
    expect(out).toContain('Title\n=====');
    expect(out).toContain('<http://localhost:8000/status/>\\<workflowname> now.');
    expect(await exportOne('See www.example.org and https://example.org/a_b.\n')).toContain('See [www.example.org](http://www.example.org) and <https://example.org/a_b>.');
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

  it('removes a style attribute: a full-screen overlay with a fake sign-in link keeps only its text and link', async () => {
    const overlay =
      '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;background:#fff">\n' +
      '<p align="center" style="font-size:3em">Your session expired. <a href="https://evil.example/login" style="color:red">Sign in again</a></p>\n</div>';
    const out = await exportOne(`# T\n\n${overlay}\n\ntext after\n`);
    expect(out).not.toMatch(/style|position|z-index/i);
    expect(out).toContain('<div>');
    expect(out).toContain('<p align="center">Your session expired. <a href="https://evil.example/login">Sign in again</a></p>');
    expect(out).toContain('text after');
  });

  it('sanitises raw HTML inside a list item, keeping the item\'s indentation', async () => {
    const out = await exportOne('# T\n\n- item\n\n  <div style="position:fixed">\n  <a href="src/x.py">x</a>\n  </div>\n- next\n');
    expect(out).toContain(`-   item\n\n    <div>\n    <a href="https://github.com/o/r/blob/${SHA}/src/x.py">x</a>\n    </div>\n-   next`);
  });

  it('drops an onclick handler, in a block and inline', async () => {
    const out = await exportOne('# T\n\n<div onclick="steal()">x</div>\n\nA <a href="https://example.org" onclick="steal()">link</a> here.\n');
    expect(out).not.toMatch(/onclick|steal/);
    expect(out).toContain('here.');
  });

  it('reads tags as a browser does, wherever they land: <body onload>, a lone <tr onclick>, a tag left open', async () => {
    for (const html of ['<body onload="alert(1)">', '<tr onclick="alert(1)">', '<td style="position:fixed">', '<div title="x\nstill the tag']) {
      const out = await exportOne(`# T\n\n${html}\n\ntext after\n`);
      expect(out, html).not.toMatch(/onload|onclick|style|<body|<tr|title=/);
      expect(out).toContain('text after');
    }
  });

  it('removes classes and the tags the site does not allow, keeping their content', async () => {
    const out = await exportOne('# T\n\n<center><font color="red" class="big">Hello</font> <span class="x">there</span></center>\n');
    expect(out).toContain('Hello <span>there</span>');
    expect(out).not.toMatch(/center|font|class/);
  });

  it('keeps tables and details as the site keeps them, written as they were', async () => {
    const html = '<table>\n<tr><th colspan="2">H</th></tr>\n<tr><td align="center">x</td><td>y</td></tr>\n</table>';
    const out = await exportOne(`# T\n\n${html}\n\n<details open><summary>More</summary>\n\nHidden.\n\n</details>\n`);
    expect(out).toContain(html);
    expect(out).toContain('<details open><summary>More</summary>');
  });

  it('keeps the author\'s spelling of a tag whose only change is its URL, and a closing slash MDX needs', async () => {
    const out = await exportOne('# T\n\n<img src="img/logo.png" width=250px />\n\n<img src="https://example.org/a.png" style="float:left" />\n');
    expect(out).toContain(`<img src="https://raw.githubusercontent.com/o/r/${SHA}/img/logo.png" width=250px />`);
    expect(out).toContain('<img src="https://example.org/a.png" />');
  });

  it('prefixes ids and names like the site, and links on the page follow them', async () => {
    const out = await exportOne('# T\n\n[Queries](#query) and <a href="#query">again</a>.\n\n<a name="query"></a>\n\n<img id="body" name="querySelector" src="https://example.org/x.png">\n\n## Other\n');
    expect(out).toContain('<a name="user-content-query"></a>');
    expect(out).toContain('<img id="user-content-body" name="user-content-querySelector" src="https://example.org/x.png">');
    expect(out).toContain('[Queries](#user-content-query)');
    expect(out).toContain('<a href="#user-content-query">again</a>');
  });

  it('leaves a link to a heading alone when an anchor of the same name exists', async () => {
    const out = await exportOne('# T\n\n[Setup](#setup)\n\n<a name="setup"></a>\n\n## Setup\n');
    expect(out).toContain('[Setup](#setup)');
  });

  it('points links from other pages at the prefixed anchor', async () => {
    const pages = await exportPages({
      'README.md': '# R\n\n[Filter](docs/queries.md#filter) [Top](docs/queries.md#queries)\n',
      'docs/queries.md': '# Queries\n\n<a name="filter"></a>\n\nFiltering.\n',
    });
    const readme = pages.get('md/services/r/index.md')!;
    expect(readme).toContain('[Filter](docs/queries.md#user-content-filter)');
    expect(readme).toContain('[Top](docs/queries.md#queries)');
    expect(pages.get('md/services/r/docs/queries.md')).toContain('<a name="user-content-filter"></a>');
  });
});

describe('Markdown export of a whole build', () => {
  const OVERLAY =
    '<div style="position:fixed;inset:0;z-index:99999;background:#fff" onclick="location=\'https://evil.example/login\'">\n' +
    '<p>Your session expired. <a href="https://evil.example/login" style="font-size:3em">Sign in again</a></p>\n</div>';
  let snap: HostileSnapshot;
  let run: CliRun;
  afterAll(removeTemporaryFolders);

  beforeAll(() => {
    snap = makeHostileSnapshot([
      {
        name: 'overlay',
        files: [
          { path: 'README.md', content: `# Overlay\n\n${OVERLAY}\n\nText after.\n\n- [Guide](docs/guide.md)\n` },
          { path: 'docs/guide.md', content: `# Guide\n\nInline <span style="position:fixed;top:0">overlay</span> and <b onclick="steal()">bold</b>.\n` },
        ],
      },
    ]);
    run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out, '--no-search']);
  }, 180_000);

  it('never writes a style overlay or an onclick into out/md/', () => {
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(path.join(snap.out, 'md'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const text = readFileSync(path.join(snap.out, 'md', file), 'utf8');
      expect(text, file).not.toMatch(/style=|position:\s*fixed|onclick|steal\(/i);
    }
    const guide = readFileSync(path.join(snap.out, 'md/services/overlay/docs/guide.md'), 'utf8');
    // The handler's tag is dropped with its end tag, its text kept; the style attribute alone is removed.
    expect(guide).toContain('Inline <span>overlay</span> and bold.');
    expect(readFileSync(path.join(snap.out, 'md/services/overlay/index.md'), 'utf8')).toContain('Text after.');
  });
});
