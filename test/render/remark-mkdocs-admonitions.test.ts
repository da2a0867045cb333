import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import rehypeStringify from 'rehype-stringify';
import type { Root } from 'mdast';
import remarkMkdocsAdmonitions from '../../src/render/remark-mkdocs-admonitions.ts';

const toHtml = (md: string, options = {}) =>
  String(unified().use(remarkParse).use(remarkGfm).use(remarkMkdocsAdmonitions, options).use(remarkRehype).use(rehypeStringify).processSync(md));
const roundTrip = (md: string) => String(unified().use(remarkParse).use(remarkMkdocsAdmonitions).use(remarkStringify).processSync(md));

describe('remark-mkdocs-admonitions', () => {
  it('builds admonition nodes with the title as the first child', () => {
    const processor = unified().use(remarkParse).use(remarkMkdocsAdmonitions);
    const tree = processor.runSync(processor.parse('!!! danger highlight "Mind *this*"\n    Body.\n')) as Root;
    const node = tree.children[0]!;
    expect(node.type).toBe('admonition');
    if (node.type !== 'admonition') return;
    expect(node).toMatchObject({ variant: 'admonition', classes: ['danger', 'highlight'], open: false });
    expect(node.children.map((c) => c.type)).toEqual(['paragraph', 'paragraph']);
    expect((node.children[0]!.data as { mkdocsAdmonitionTitle?: string }).mkdocsAdmonitionTitle).toBe('written');
    expect(node.position?.start.line).toBe(1);
    expect(node.position?.end.line).toBe(2);
  });

  it('renders the same elements without the hast handler, only without line breaks', () => {
    expect(toHtml('!!! note\n    Body.\n')).toBe('<div class="admonition note"><p class="admonition-title">Note</p><p>Body.</p></div>');
    expect(toHtml('???+ tip "Open"\n    Body.\n')).toBe('<details class="tip" open><summary>Open</summary><p>Body.</p></details>');
  });

  it('reads only the markers it is asked to', () => {
    expect(toHtml('??? note\n    Body.\n', { details: false })).not.toContain('<details');
    expect(toHtml('!!! note\n    Body.\n', { admonition: false })).not.toContain('admonition');
    expect(toHtml('??? note\n    Body.\n', { admonition: false })).toContain('<details class="note">');
  });

  it('writes admonitions back in MkDocs syntax', () => {
    const source = '!!! note\n    Body with *emphasis*.\n\n    - a list\n\n??? tip "Title"\n\n???+ warning ""\n    x\n';
    const written = roundTrip(source);
    expect(written).toBe('!!! note\n    Body with *emphasis*.\n\n    * a list\n\n??? tip "Title"\n\n???+ warning ""\n    x\n');
    expect(roundTrip(written)).toBe(written);
  });

  it('reads thousands of admonitions in one page', () => {
    const html = toHtml('!!! note\n    x\n'.repeat(3_000));
    expect(html.match(/<div class="admonition note">/g)).toHaveLength(3_000);
  });
});
