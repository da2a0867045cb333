/**
 * The renderer's dialects: a guide page (MkDocs) and a repository page (GitHub) with the same text, and every
 * Gen3 guide page (skipped without the corpus) rendered with the dialect its mkdocs.yml lists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { visit, SKIP } from 'unist-util-visit';
import type { Text } from 'hast';
import { renderMarkdown } from '../../src/render/render.ts';
import { dialectKey, mkdocsDialectOf } from '../../src/render/dialect.ts';
import type { Warning } from '../../src/core/warning.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { renderPages } from '../../src/render/render-pages.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { makeLinkIndex } from '../../src/render/link-index.ts';
import { context, doc, trees } from './helpers.ts';

const ADMONITION = '# Setup\n\n!!! info "Before you start"\n    You need **Helm** 3.\n\n    And a cluster.\n\nAfter.\n';
const guides = { name: 'mkdocs' as const, extensions: ['admonition', 'pymdownx.details', 'pymdownx.mark'] };

/** Text outside <code> and <pre>. */
function prose(html: string): string {
  const texts: string[] = [];
  visit(fromHtml(html, { fragment: true }), (node) => {
    if (node.type === 'element' && (node.tagName === 'code' || node.tagName === 'pre')) return SKIP;
    if (node.type === 'text') texts.push((node as Text).value);
    return undefined;
  });
  return texts.join('\n');
}

describe('dialect per page', () => {
  it('renders an admonition on a guide page', async () => {
    const page = await renderMarkdown(doc(ADMONITION), { ...context(), dialect: guides });
    expect(page.html).toMatch(/<div class="admonition info">\s*<p class="admonition-title">Before you start<\/p>\s*<p>You need <strong>Helm<\/strong> 3.<\/p>/);
    expect(page.html).not.toContain('!!!');
    expect(page.html).not.toContain('<pre');
    expect(page.warnings).toEqual([]);
  });

  it("reports a dialect plugin's messages as warnings of the page, with their rule and place", async () => {
    const page = await renderMarkdown(doc('# Setup\n\n!!! "Title only"\n    An admonition needs a kind.\n'), { ...context(), dialect: guides });
    expect(page.warnings).toEqual([expect.objectContaining({ file: 'acme/widget/docs/setup.md', line: 3, column: 1, ruleId: 'admonition-malformed' })]);
  });

  it('keeps the same text as GitHub renders it on a repository page', async () => {
    const page = await renderMarkdown(doc(ADMONITION), context());
    // CommonMark: the indented line continues the paragraph, the next indented block is code.
    expect(page.html).toContain('<p>!!! info "Before you start"\nYou need <strong>Helm</strong> 3.</p>');
    expect(page.html).toMatch(/<pre[^>]*><code>And a cluster.\n<\/code><\/pre>/);
    expect(page.html).not.toContain('admonition');
  });

  it('allows the dialect markup on guides only, and no foreign class', async () => {
    const text = '??? warning "Open me"\n    ==marked==\n\n!!! served\n    Body.\n\n<div class="admonition tip">x</div>\n';
    const guide = await renderMarkdown(doc(text), { ...context(), dialect: guides });
    expect(guide.html).toMatch(/<details class="warning">\s*<summary>Open me<\/summary>/);
    expect(guide.html).toContain('<mark>marked</mark>');
    expect(guide.html).toMatch(/<div class="admonition">\s*<p class="admonition-title">Served<\/p>/);
    const repo = await renderMarkdown(doc(text), context());
    expect(repo.html).not.toContain('<mark>');
    expect(repo.html).not.toContain('class="admonition');
  });

  it('carries the dialect to worker threads and keys cached renders by it', async () => {
    const cache = new RenderCache(await mkdtemp(path.join(tmpdir(), 'dialect-cache-')));
    const page = doc(ADMONITION);
    const jobs = (dialect?: typeof guides) => [{ doc: page, pageUrl: 'services/widget/docs/setup/', dialect }];
    const options = { context: () => context(), linkIndex: () => makeLinkIndex([], [['acme/widget', trees['acme/widget']!]]), cache };
    const github = await renderPages({ ...options, jobs: jobs(), workers: 0 });
    expect(github.pages[0]!.html).not.toContain('admonition');
    // The GitHub render is in the cache, but not for the MkDocs dialect: rendered again, in a worker.
    const mkdocs = await renderPages({ ...options, jobs: jobs(guides), workers: 1 });
    expect(mkdocs.stats).toEqual({ cached: 0, rendered: 1, workers: 1 });
    expect(mkdocs.pages[0]!.html).toContain('<div class="admonition info">');
    const again = await renderPages({ ...options, jobs: jobs(guides), workers: 0 });
    expect(again.stats.cached).toBe(1);
    expect(again.pages[0]!.html).toBe(mkdocs.pages[0]!.html);
  }, 60_000);

  it('keys dialects by their extension list', () => {
    expect(dialectKey(undefined)).toBe('github');
    expect(dialectKey(guides)).not.toBe(dialectKey({ name: 'mkdocs', extensions: ['admonition'] }));
  });

  it('warns once per listed extension it does not implement, naming the mkdocs.yml', () => {
    const warnings: Warning[] = [];
    const yml = 'markdown_extensions:\n  - admonition\n  - pymdownx.tabbed\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:pymdownx.emoji.to_svg\n';
    const dialect = mkdocsDialectOf(yml, 'acme/site/mkdocs.yml', warnings);
    expect(dialect.extensions).toHaveLength(3);
    expect(warnings.map((w) => [w.file, w.message])).toEqual([
      ['acme/site/mkdocs.yml', expect.stringContaining('pymdownx.tabbed')],
      ['acme/site/mkdocs.yml', expect.stringContaining('pymdownx.emoji')],
    ]);
  });
});

const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const guidesDir = path.join(corpus, 'github', 'uc-cdis', 'docs-gen3', 'files');
const present = existsSync(path.join(guidesDir, 'mkdocs.yml'));
if (!present) console.log(`guide dialect corpus test skipped: no Gen3 guides at ${guidesDir} (set CORPUS_DIR)`);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

describe.skipIf(!present)('the Gen3 guides as the renderer shows them', () => {
  it('leaves no admonition marker as text outside code on any guide page', async () => {
    const warnings: Warning[] = [];
    const dialect = mkdocsDialectOf(readFileSync(path.join(guidesDir, 'mkdocs.yml'), 'utf8'), 'uc-cdis/docs-gen3/mkdocs.yml', warnings);
    expect(dialect.extensions).toContain('admonition');
    const files = markdownFiles(path.join(guidesDir, 'docs'));
    expect(files.length).toBeGreaterThan(50);
    const leftovers: string[] = [];
    let admonitions = 0;
    for (const file of files) {
      const rel = path.relative(guidesDir, file);
      // Rendered as a page of the test catalog: links do not matter here, the markers do.
      const page = await renderMarkdown(doc(readFileSync(file, 'utf8'), rel), { ...context(rel), dialect });
      admonitions += (page.html.match(/class="admonition[ "]|<details/g) ?? []).length;
      for (const line of prose(page.html).split('\n')) if (/(^|\s)(!!!|\?\?\?\+?) /.test(line)) leftovers.push(`${rel}: ${line.trim()}`);
    }
    expect(leftovers).toEqual([]);
    expect(admonitions).toBeGreaterThan(10);
  }, 120_000);
});
