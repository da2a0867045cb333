/**
 * The renderer's dialects: a guide page (MkDocs) and a repository page (GitHub) with the same text. Worker
 * threads: test/render/workers.test.ts; every Gen3 guide page: test/render/guides-dialect-corpus.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/render.ts';
import { dialectKey, mkdocsDialectOf } from '../../src/render/dialect.ts';
import type { Warning } from '../../src/core/warning.ts';
import { context, doc } from './helpers.ts';

const ADMONITION = '# Setup\n\n!!! info "Before you start"\n    You need **Helm** 3.\n\n    And a cluster.\n\nAfter.\n';
const guides = { name: 'mkdocs' as const, extensions: ['admonition', 'pymdownx.details', 'pymdownx.mark'] };

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
