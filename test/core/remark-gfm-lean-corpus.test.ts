/**
 * remark-gfm-lean on every Markdown file of the shared corpus: the same tree as remark-gfm, positions included,
 * alone and, for the Gen3 guides, with the MkDocs dialect their mkdocs.yml asks for (its syntax extensions come
 * after GFM's). Skipped when the corpus is not there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { unified, type Pluggable, type PluggableList } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkGfmLean, { unusableConstructs } from '../../src/core/remark-gfm-lean.ts';
import { remarkMkdocsDialect } from '../../src/render/remark-mkdocs-dialect.ts';

const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const snapshot = path.join(corpus, 'github');
const present = existsSync(path.join(snapshot, 'uc-cdis', 'fence'));
if (!present) console.log(`remark-gfm-lean corpus test skipped: no corpus at ${snapshot} (set CORPUS_DIR)`);

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:md|markdown|mdx)$/i.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();

const processor = (plugin: Pluggable, after: PluggableList = []) => unified().use(remarkParse).use([plugin]).use(after);

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

  it('gives every page of the guides, with the MkDocs dialect, the tree remark-gfm gives', () => {
    const guides = path.join(snapshot, 'uc-cdis', 'docs-gen3', 'files');
    // Its Python tags (!!python/name:...) are read as plain strings, not needed here.
    const mkdocsYml = YAML.parse(readFileSync(path.join(guides, 'mkdocs.yml'), 'utf8'), { logLevel: 'silent' }) as { markdown_extensions: Array<string | Record<string, unknown>> };
    const dialect = remarkMkdocsDialect({ extensions: mkdocsYml.markdown_extensions }).plugins;
    const lean = processor(remarkGfmLean, dialect);
    const gfm = processor(remarkGfm, dialect);
    const files = markdownFiles(guides);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(lean.runSync(lean.parse(text)), path.relative(guides, file)).toEqual(gfm.runSync(gfm.parse(text)));
    }
  });
});
