import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import remarkStringify from 'remark-stringify';
import { mkdocsDialectSanitizeAdditions, remarkMkdocsDialect, type MkdocsExtensionEntry } from '../../src/render/remark-mkdocs-dialect.ts';

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

describe('remarkMkdocsDialect on scrambled input', () => {
  // Pieces of every construct, cut in awkward places; micromark's development build (which the tests load)
  // asserts its token invariants, so a construct that mis-nests or leaves an empty token fails here.
  const pieces = [
    '!!! note', '!!! note "t', '??? "x"', '???+', '!!!', '    ', '\t', '\n', '\n\n', '> ', '- ', '1. ', '```', '~~~',
    '==', '^^', '^', '~', '~~', '(c)', '-->', '1/2', '{: #id .c onclick=x }', '{', '}', '<div markdown>', '</div>',
    '<p markdown="span">', '</p>', 'Term\n: def', ':   ', '[^1]', '[^1]: ', '*', '_', '`', '\\', '"', '| a | b |\n|---|---|',
    'text', '\r\n', '\r', '\u0000', '😀',
  ];
  it('renders 250 scrambled pages without throwing, and writes their trees back as Markdown', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const extensions = ['admonition', 'pymdownx.details', 'attr_list', 'md_in_html', 'def_list', 'footnotes', 'pymdownx.caret', 'pymdownx.mark', 'pymdownx.tilde', 'pymdownx.smartsymbols'];
    for (let page = 0; page < 250; page++) {
      let source = '';
      const length = 5 + Math.floor(random() * 40);
      for (let i = 0; i < length; i++) source += pieces[Math.floor(random() * pieces.length)];
      const html = render(source, extensions);
      expect(html, source).not.toContain('undefined');
      // The Markdown export starts from the parsed tree: every node the syntax makes must be writable.
      const writer = unified().use(remarkParse).use(remarkGfm).use(remarkMkdocsDialect({ extensions })).use(remarkStringify);
      expect(typeof writer.stringify(writer.parse(source)), source).toBe('string');
    }
  });
});

describe('mkdocsDialectSanitizeAdditions', () => {
  it('lets the dialect markup through a GitHub-style sanitizer, and no other class', async () => {
    const { default: rehypeSanitize, defaultSchema } = await import('rehype-sanitize');
    const { default: rehypeRaw } = await import('rehype-raw');
    const additions = mkdocsDialectSanitizeAdditions();
    const schema = {
      ...defaultSchema,
      tagNames: [...(defaultSchema.tagNames ?? []), ...additions.tagNames],
      attributes: {
        ...defaultSchema.attributes,
        ...Object.fromEntries(
          Object.entries(additions.attributes).map(([tag, rules]) => [tag, [...(defaultSchema.attributes?.[tag] ?? []), ...rules]]),
        ),
      },
    };
    const html = String(
      await unified()
        .use(remarkParse)
        .use(remarkMkdocsDialect({ extensions: ['admonition', 'pymdownx.details', 'pymdownx.mark'] }))
        .use(remarkRehype, { allowDangerousHtml: true })
        .use(rehypeRaw)
        .use(rehypeSanitize, schema)
        .use(rehypeStringify)
        .process('!!! warning "Title"\n    ==mark==\n\n!!! served\n    y\n\n???+ note\n    x\n\n<div class="hero" onclick="y()" style="z">raw</div>\n'),
    );
    expect(html).toContain('<div class="admonition warning"><p class="admonition-title">Title</p><p><mark>mark</mark></p></div>');
    expect(html).toContain('<div class="admonition"><p class="admonition-title">Served</p><p>y</p></div>');
    expect(html).toContain('<details class="note" open><summary>Note</summary><p>x</p></details>');
    expect(html).toMatch(/<div( class="")?>raw<\/div>/);
  });
});
