/**
 * remark-gfm-lean on every Markdown file of the shared corpus: the same tree as remark-gfm, positions included.
 * Skipped when the corpus is not there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified, type Pluggable } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkGfmLean, { unusableConstructs } from '../../src/render/remark-gfm-lean.ts';

const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const snapshot = path.join(corpus, 'github');
const present = existsSync(path.join(snapshot, 'uc-cdis', 'fence'));
if (!present) console.log(`remark-gfm-lean corpus test skipped: no corpus at ${snapshot} (set CORPUS_DIR)`);

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:md|markdown|mdx)$/i.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();

const processor = (plugin: Pluggable) => unified().use(remarkParse).use([plugin]);

describe.skipIf(!present)('remark-gfm-lean on the corpus', () => {
  it('gives every Markdown file the tree remark-gfm gives', () => {
    const lean = processor(remarkGfmLean);
    const gfm = processor(remarkGfm);
    const files = markdownFiles(snapshot);
    expect(files.length).toBeGreaterThan(400);
    let pruned = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (unusableConstructs(text).length) pruned += 1;
      expect(lean.runSync(lean.parse(text)), path.relative(snapshot, file)).toEqual(gfm.runSync(gfm.parse(text)));
    }
    // The comparison means something only if most files are parsed without some construct.
    expect(pruned).toBeGreaterThan(files.length / 2);
  });
});
