/**
 * Heading ids of guide pages as MkDocs' toc extension makes them, with GitHub's id kept as an alias where it
 * differs. The expected MkDocs ids were read off Python-Markdown 3.4's toc for the same text (test:slow compares
 * with a real MkDocs build of the guides).
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/render.ts';
import { mkdocsSlug, mkdocsUnique } from '../../src/render/rehype-headings.ts';
import { renderJob } from '../../src/render/render-job.ts';
import { prefixAnchorLinks } from '../../src/render/markdown-anchors.ts';
import { context, doc } from './helpers.ts';

const PAGE = [
  '# Helm to configure & deploy Gen3',
  '## :rocket: Jump to quick-start videos!',
  '## Step 1: Install `kubectl`',
  '## Step 1: Install `kubectl`',
  '## Café — résumé',
  '## a_1',
  '## Overview',
  '## Overview',
  '## Overview_1',
  "## What's new? (v2.0)",
  '## <b>Bold</b> heading',
  '',
  '[same page, GitHub style](#step-1-install-kubectl-1) [MkDocs style](#overview_2)',
].join('\n\n');

const guides = { name: 'mkdocs' as const, extensions: ['attr_list', 'toc'] };
const headingIds = (html: string) => [...html.matchAll(/<h\d id="([^"]*)"/g)].map((m) => m[1]);

describe('MkDocs heading ids', () => {
  it('slugify and number as Python-Markdown does', () => {
    expect(mkdocsSlug('Café — résumé')).toBe('cafe-resume');
    expect(mkdocsSlug("What's new? (v2.0)")).toBe('whats-new-v20');
    const used = new Set(['x']);
    expect(['x', 'x', 'x_1', ''].map((id) => mkdocsUnique(id, used))).toEqual(['x_1', 'x_2', 'x_3', '_1']);
  });

  it('are the ids of guide headings, GitHub ids kept as aliases where they differ', async () => {
    const page = await renderMarkdown(doc(PAGE), { ...context(), dialect: guides });
    expect(headingIds(page.html)).toEqual([
      'helm-to-configure-deploy-gen3',
      'jump-to-quick-start-videos', // an emoji leaves no text in the slug (with pymdownx.emoji, as the guides list)
      'step-1-install-kubectl',
      'step-1-install-kubectl_1',
      'cafe-resume',
      'a_1',
      'overview',
      'overview_1',
      'overview_2',
      'whats-new-v20',
      'bold-heading',
    ]);
    // GitHub's spellings of the same headings still land.
    for (const alias of ['helm-to-configure--deploy-gen3', 'step-1-install-kubectl-1', 'café--résumé', 'overview-1']) expect(page.ids).toContain(alias);
    expect(page.html).toContain('<h2 id="step-1-install-kubectl_1"><span id="step-1-install-kubectl-1"></span>');
    // The table of contents uses MkDocs' ids and the heading text without the alias.
    expect(page.toc.find((t) => t.id === 'overview_2')?.text).toBe('Overview_1');
    expect(page.warnings).toEqual([]);
  });

  it('are GitHub\'s in the Markdown export, where links to them follow', async () => {
    const page = await renderJob(doc(PAGE), { ...context(), dialect: guides }, true);
    // Third "Overview" heading: overview_2 for MkDocs, overview_1 for GitHub (which the second got as overview-1).
    expect(page.githubIds).toMatchObject({ 'step-1-install-kubectl_1': 'step-1-install-kubectl-1', overview_1: 'overview-1', overview_2: 'overview_1' });
    expect(page.githubIds).not.toHaveProperty('a_1');
    expect(page.markdown!.body).toContain('[MkDocs style](#overview_1)');
    expect(page.markdown!.body).toContain('[same page, GitHub style](#step-1-install-kubectl-1)');
    // From another exported page: the fragment names the target's MkDocs id, the export gets GitHub's.
    const from = { body: '[x](guide.md#overview_2) [y](guide.md#overview) [z](guide.md#raw)\n', stats: page.markdown!.stats, fragmentLinks: ['overview_2', 'overview', 'raw'].map((f) => ({ url: `guide.md#${f}`, target: 'md/guide.md', fragment: f })) };
    expect(prefixAnchorLinks(from, () => new Set(['raw']), (t) => (t === 'md/guide.md' ? page.githubIds : undefined))).toBe('[x](guide.md#overview_1) [y](guide.md#overview) [z](guide.md#user-content-raw)\n');
  });

  it('leave repository pages with GitHub ids only', async () => {
    const page = await renderMarkdown(doc(PAGE), context());
    expect(headingIds(page.html)).toContain('step-1-install-kubectl-1');
    expect(page.html).not.toContain('<span id=');
    expect(page.githubIds).toBeUndefined();
  });
});
