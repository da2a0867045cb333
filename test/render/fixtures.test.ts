/**
 * Fixture folders for the remark plugins: test/render/fixtures/<plugin>/<case>/ holds input.md, the
 * expected output.html and, when the case needs them, the plugin's options.json. Each case runs through
 * unified with only that plugin added to CommonMark + GFM, so a diff names the plugin at fault. A new case is
 * a new folder; `UPDATE_FIXTURES=1 npx vitest run test/render/fixtures.test.ts` writes the outputs of the
 * cases that have none (review them before committing).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unified, type Plugin } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import remarkAlerts from '../../src/render/remark-alerts.ts';
import remarkMkdocsAdmonitions from '../../src/render/remark-mkdocs-admonitions.ts';
import remarkMkdocsAttrList from '../../src/render/remark-mkdocs-attr-list.ts';
import remarkMkdocsDefList from '../../src/render/remark-mkdocs-def-list.ts';
import remarkMkdocsInlineMarks from '../../src/render/remark-mkdocs-inline-marks.ts';
import remarkMkdocsMdInHtml from '../../src/render/remark-mkdocs-md-in-html.ts';
import remarkMkdocsSmartsymbols from '../../src/render/remark-mkdocs-smartsymbols.ts';
import remarkPlaceholders from '../../src/render/remark-placeholders.ts';
import { mkdocsDialectHastHandlers } from '../../src/render/remark-mkdocs-dialect.ts';

const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));

// Each plugin's folder name is its file name in src/render/.
const PLUGINS: Record<string, unknown> = {
  'remark-alerts': remarkAlerts,
  'remark-mkdocs-admonitions': remarkMkdocsAdmonitions,
  'remark-mkdocs-attr-list': remarkMkdocsAttrList,
  'remark-mkdocs-def-list': remarkMkdocsDefList,
  'remark-mkdocs-inline-marks': remarkMkdocsInlineMarks,
  'remark-mkdocs-md-in-html': remarkMkdocsMdInHtml,
  'remark-mkdocs-smartsymbols': remarkMkdocsSmartsymbols,
  'remark-placeholders': remarkPlaceholders,
};

const folders = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function render(plugin: unknown, markdown: string, options: unknown): string {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(plugin as Plugin<[unknown?]>, options)
    .use(remarkRehype, { allowDangerousHtml: true, handlers: mkdocsDialectHastHandlers })
    .use(rehypeRaw)
    .use(rehypeStringify);
  return `${String(processor.processSync(markdown)).trim()}\n`;
}

describe('plugin fixtures', () => {
  it('has a folder of cases for every plugin listed, and no folder for another', () => {
    expect(folders(FIXTURES)).toEqual(Object.keys(PLUGINS).sort());
  });

  for (const name of folders(FIXTURES)) {
    describe(name, () => {
      for (const name_ of folders(path.join(FIXTURES, name))) {
        it(name_, () => {
          const dir = path.join(FIXTURES, name, name_);
          const plugin = PLUGINS[name];
          expect(plugin, `no plugin registered for fixtures/${name}`).toBeDefined();
          const input = readFileSync(path.join(dir, 'input.md'), 'utf8');
          const options = existsSync(path.join(dir, 'options.json')) ? JSON.parse(readFileSync(path.join(dir, 'options.json'), 'utf8')) : undefined;
          const actual = render(plugin!, input, options);
          const expectedFile = path.join(dir, 'output.html');
          if (!existsSync(expectedFile) && process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, actual);
          expect(existsSync(expectedFile), `${expectedFile} is missing; write it, or run with UPDATE_FIXTURES=1 and review it`).toBe(true);
          expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
        });
      }
    });
  }
});
