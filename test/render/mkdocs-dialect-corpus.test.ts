/**
 * Every page of the Gen3 guides (uc-cdis/docs-gen3, written for MkDocs Material) rendered with the dialect its
 * mkdocs.yml asks for: no admonition marker may be left as text. Skipped when the corpus is not there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { fromHtml } from 'hast-util-from-html';
import { visit, SKIP } from 'unist-util-visit';
import type { Root as HastRoot, Text } from 'hast';
import { mkdocsDialectHastHandlers, remarkMkdocsDialect } from '../../src/render/remark-mkdocs-dialect.ts';

const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const guides = path.join(corpus, 'github', 'uc-cdis', 'docs-gen3', 'files');
const present = existsSync(path.join(guides, 'mkdocs.yml'));
if (!present) console.log(`dialect corpus tests skipped: no Gen3 guides at ${guides} (set CORPUS_DIR)`);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** Text of the page outside code, one string per text node. */
function proseOf(tree: HastRoot): string[] {
  const texts: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'element' && (node.tagName === 'code' || node.tagName === 'pre')) return SKIP;
    if (node.type === 'text') texts.push((node as Text).value);
    return undefined;
  });
  return texts;
}

/** Lines of the source that open a block, outside fenced code: what the output must hold as many blocks of. */
function markerLines(source: string): number {
  let fence: string | undefined;
  let count = 0;
  for (const line of source.split('\n')) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && open[1]!.startsWith(fence)) fence = undefined;
      continue;
    }
    if (open) fence = open[1]!;
    else if (/^ {0,3}(!!!|\?\?\?\+?) ?[\w-]/.test(line)) count++;
  }
  return count;
}

describe.skipIf(!present)('the Gen3 guides with the MkDocs dialect', () => {
  it('renders every page with no admonition marker left in the prose', async () => {
    // mkdocs.yml holds Python tags (!!python/name:...): they are read as plain strings, not needed here.
    const config = YAML.parse(readFileSync(path.join(guides, 'mkdocs.yml'), 'utf8'), { logLevel: 'silent' }) as {
      markdown_extensions: Array<string | Record<string, unknown>>;
    };
    const dialect = remarkMkdocsDialect({ extensions: config.markdown_extensions });
    const processor = unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(dialect)
      .use(remarkRehype, { allowDangerousHtml: true, handlers: mkdocsDialectHastHandlers })
      .use(rehypeStringify, { allowDangerousHtml: true });
    const files = markdownFiles(guides);
    expect(files.length).toBeGreaterThan(50);
    let blocks = 0;
    let pagesWithBlocks = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const html = String(await processor.process(source));
      const tree = fromHtml(html, { fragment: true });
      const leftOver = proseOf(tree).filter((text) => /(?:^|\n)\s*(?:!!!|\?\?\?)\s/.test(text));
      expect(leftOver, path.relative(guides, file)).toEqual([]);
      // Authors also write <details> in raw HTML: those pass through and are counted on both sides.
      const expected = markerLines(source) + (source.match(/<details[\s>]/g) ?? []).length;
      const found = (html.match(/<div class="admonition[ "]|<details[\s>]/g) ?? []).length;
      expect(found, path.relative(guides, file)).toBe(expected);
      blocks += found;
      if (found) pagesWithBlocks++;
    }
    // The snapshot's guides hold 23 admonitions on 3 pages; a newer snapshot may hold more, never none.
    expect(pagesWithBlocks).toBeGreaterThanOrEqual(3);
    expect(blocks).toBeGreaterThanOrEqual(20);
  });
});
