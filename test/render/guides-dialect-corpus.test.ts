/** Every Gen3 guide page of the corpus (skipped without it) rendered with the dialect its mkdocs.yml lists. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { visit, SKIP } from 'unist-util-visit';
import type { Text } from 'hast';
import { renderMarkdown } from '../../src/render/render.ts';
import { mkdocsDialectOf } from '../../src/render/dialect.ts';
import type { Warning } from '../../src/core/warning.ts';
import { context, doc } from './helpers.ts';

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
