/**
 * The rules that warnings name: each is documented (README, report schema), each is used somewhere in src/,
 * and render plugins report through unified's message channel with rule, place and source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeHeadings from '../../src/render/rehype-headings.ts';
import rehypeIds from '../../src/render/rehype-ids.ts';
import rehypeAnchors from '../../src/render/rehype-anchors.ts';
import { RULES, WARNING_SOURCE, warningOf } from '../../src/core/warning.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { listFiles } from '../support/files.ts';

const ids = Object.keys(RULES).sort();

describe('warning rules', () => {
  it('are each listed in the README, and the README lists no other', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Warnings'), readme.indexOf('\n## ', readme.indexOf('## Warnings') + 3));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(ids);
  });

  it('are the ruleId values the build report schema allows', () => {
    const schema = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'docs/schemas/build-report.schema.json'), 'utf8'));
    expect([...schema.properties.warnings.properties.items.items.properties.ruleId.enum].sort()).toEqual(ids);
  });

  it('are each reported somewhere in src/ (no rule documented but never fired)', () => {
    const src = path.join(PROJECT_ROOT, 'src');
    const code = listFiles(src)
      .filter((f) => f.endsWith('.ts') && f !== 'core/warning.ts')
      .map((f) => readFileSync(path.join(src, f), 'utf8'))
      .join('\n');
    expect(ids.filter((id) => !code.includes(`'${id}'`))).toEqual([]);
  });

  it('reach a plugin user as vfile messages with rule, place and source, and become one Warning each', () => {
    const file = new VFile({ value: '# T\n\nSee [there](#nowhere).\n', path: 'doc.md' });
    unified().use(remarkParse).use(remarkRehype).use(rehypeHeadings).use(rehypeIds).use(rehypeAnchors).use(rehypeStringify).processSync(file);
    expect(file.messages).toHaveLength(1);
    const [message] = file.messages;
    expect(message).toMatchObject({ ruleId: 'broken-anchor', source: WARNING_SOURCE, line: 3, column: 5, fatal: false });
    expect(warningOf(message!, 'o/r/doc.md')).toEqual({ file: 'o/r/doc.md', line: 3, column: 5, message: message!.reason, ruleId: 'broken-anchor' });
  });
});
