import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { remarkMkdocsDialect, type MkdocsExtensionEntry } from '../../src/normalize/remark-mkdocs-dialect.ts';

const render = (md: string, extensions: MkdocsExtensionEntry[]) =>
  String(unified().use(remarkParse).use(remarkGfm).use(remarkMkdocsDialect({ extensions })).use(remarkRehype).use(rehypeStringify).processSync(md));

describe('remarkMkdocsDialect', () => {
  it('names the listed extensions it does not implement, once each, in the order listed', () => {
    const dialect = remarkMkdocsDialect({
      extensions: ['admonition', 'pymdownx.emoji', { 'pymdownx.tabbed': { alternate_style: true } }, 'markdown.extensions.abbr', 'footnotes', 'pymdownx.emoji'],
    });
    expect(dialect.unsupported).toEqual(['pymdownx.emoji', 'pymdownx.tabbed', 'abbr']);
    expect(dialect.plugins).toHaveLength(1);
  });

  it('enables only what is listed', () => {
    const source = '!!! note\n    x\n\n??? tip\n    y\n\n==m== H~2~O (c)\n';
    const none = render(source, []);
    expect(none).not.toContain('admonition');
    expect(none).toContain('<del>2</del>');
    const some = render(source, ['admonition', 'pymdownx.mark']);
    expect(some).toContain('<div class="admonition note">');
    expect(some).not.toContain('<details');
    expect(some).toContain('<mark>m</mark>');
    expect(some).toContain('(c)');
  });

  it('passes an extension configuration on', () => {
    const html = render('x^2^ and ^^ins^^ and (c) 1/2', [{ 'pymdownx.caret': { insert: false } }, { 'pymdownx.smartsymbols': { fractions: false } }]);
    expect(html).toBe('<p>x<sup>2</sup> and ^^ins^^ and © 1/2</p>');
  });
});
