import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeLongCells from '../../src/render/rehype-long-cells.ts';

const render = (md: string, maxLength?: number) =>
  String(unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeLongCells, { maxLength }).use(rehypeStringify).processSync(md));

describe('rehype-long-cells', () => {
  it('folds a long code value of a cell into details that show its start', () => {
    const value = `{${'"KEY":"value",'.repeat(20)}"END":1}`;
    const html = render(`| Key | Default |\n| --- | --- |\n| config | \`${value}\` |\n| name | \`"short"\` |\n`);
    expect(html).toContain(`<td><details class="cell-value"><summary><code>${value.slice(0, 24)}…</code></summary><code>${value}</code></details></td>`);
    // Short values, and code outside tables, stay as they are.
    expect(html).toContain('<td><code>"short"</code></td>');
    expect(render(`\`${value}\``)).toBe(`<p><code>${value}</code></p>`);
  });

  it('takes the longest plain value as an option, counted in characters', () => {
    expect(render('| a |\n| - |\n| `ééééé` |\n', 5)).toContain('<td><code>ééééé</code></td>');
    expect(render('| a |\n| - |\n| `éééééé` |\n', 5)).toContain('<details class="cell-value">');
  });
});
