/**
 * Fixture cases of the remark plugins, kept the way remark-gfm keeps its own:
 *   test/fixtures/plugins/<plugin>/<case>/input.md     the Markdown
 *   test/fixtures/plugins/<plugin>/<case>/output.html  what it renders to
 *   test/fixtures/plugins/<plugin>/<case>/messages.txt optional: the messages expected, one `line:column ruleId` a line
 *   test/fixtures/plugins/<plugin>/options.json        optional: the plugin's options, for every case of the folder
 * `<plugin>` names a file src/render/<plugin>.ts; `remark-mkdocs-dialect` runs the whole MkDocs preset. Each case is
 * rendered with remark-parse, remark-gfm, the plugin, remark-rehype (with the dialect's hast handlers) and
 * rehype-stringify, raw HTML passed through. UPDATE_FIXTURES=1 writes the outputs and messages that are
 * missing, to be read and checked (against MkDocs or GitHub, as the plugin's dialect) before they are committed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified, type Pluggable } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { VFile } from 'vfile';
import { mkdocsDialectHastHandlers, remarkMkdocsDialect } from '../../src/render/remark-mkdocs-dialect.ts';
import { isRuleId } from '../../src/core/warning.ts';

const root = path.resolve('test/fixtures/plugins');
const update = process.env.UPDATE_FIXTURES === '1';

async function pluginFor(folder: string, options: unknown): Promise<Pluggable> {
  if (folder === 'remark-mkdocs-dialect') return remarkMkdocsDialect(options as Parameters<typeof remarkMkdocsDialect>[0]);
  const mod = (await import(`../../src/render/${folder}.ts`)) as { default: Pluggable };
  return options === undefined ? mod.default : ([mod.default, options] as Pluggable);
}

export async function renderFixture(folder: string, input: string, options?: unknown): Promise<VFile> {
  const file = new VFile({ value: input, path: 'input.md' });
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use([await pluginFor(folder, options)])
    .use(remarkRehype, { allowDangerousHtml: true, handlers: mkdocsDialectHastHandlers })
    .use(rehypeStringify, { allowDangerousHtml: true });
  return processor.process(file);
}

const messagesOf = (file: VFile) => file.messages.map((m) => `${m.line ?? 0}:${m.column ?? 0} ${m.ruleId}`).join('\n');

for (const plugin of readdirSync(root).sort()) {
  const dir = path.join(root, plugin);
  const optionsFile = path.join(dir, 'options.json');
  const options: unknown = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : undefined;
  const cases = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  describe(plugin, () => {
    it.each(cases)('%s', async (name) => {
      const caseDir = path.join(dir, name);
      const input = readFileSync(path.join(caseDir, 'input.md'), 'utf8');
      const started = performance.now();
      const file = await renderFixture(plugin, input, options);
      // Guards against runaway cost (a hang or a quadratic blow-up), not a speed target.
      expect(performance.now() - started).toBeLessThan(20_000);
      // Every message names a rule the README documents, so the build reports it as such.
      for (const m of file.messages) expect(isRuleId(m.ruleId), `${m.ruleId} is not a documented rule`).toBe(true);
      const outputFile = path.join(caseDir, 'output.html');
      const messagesFile = path.join(caseDir, 'messages.txt');
      if (update && !existsSync(outputFile)) writeFileSync(outputFile, `${String(file).trim()}\n`);
      if (update && !existsSync(messagesFile) && file.messages.length) writeFileSync(messagesFile, `${messagesOf(file)}\n`);
      expect(String(file).trim()).toBe(readFileSync(outputFile, 'utf8').trim());
      const expected = existsSync(messagesFile) ? readFileSync(messagesFile, 'utf8').trim() : '';
      expect(messagesOf(file)).toBe(expected);
    });
  });
}
