/** The export's source patches: what CommonMark reads from the patched text is what it read before, plus the edits. */
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import type { Root } from 'mdast';
import { applyEdits, definitionDestination, inlineDestination, layoutEdits, textEdits, writeDestination } from '../../src/render/markdown-patch.ts';

const parse = (text: string) => unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
const html = (text: string) => String(unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeStringify, { allowDangerousHtml: true }).processSync(text));
const layout = (text: string) => applyEdits(text, layoutEdits(parse(text), text)!)!;

describe('layout patches', () => {
  it('indents list content four columns, nested blocks shifted with it, and CommonMark reads the same', () => {
    const text = '- one\n  - nested\n    ```sh\n    alpha --serve\n    ```\n- two\n\n1. first\n   more text\n';
    const out = layout(text);
    expect(out).toBe('-   one\n    -   nested\n        ```sh\n        alpha --serve\n        ```\n-   two\n\n1.  first\n    more text\n');
    expect(html(out)).toBe(html(text));
  });

  it('shifts list items inside a block quote after the quote marker', () => {
    const text = '> - a\n>   - b\n';
    const out = layout(text);
    expect(out).toBe('> -   a\n>     -   b\n');
    expect(html(out)).toBe(html(text));
  });

  it('puts a blank line between a paragraph and the list right after it', () => {
    const text = 'Steps:\n- a\n- b\n\n> Quote:\n> - c\n';
    const out = layout(text);
    expect(out).toBe('Steps:\n\n-   a\n-   b\n\n> Quote:\n>\n> -   c\n');
    expect(html(out)).toBe(html(text));
  });

  it('does not shift the line after an unclosed fence, which micromark counts into the item', () => {
    const text = '- a\n\n  ``` x\n- b\n';
    const out = layout(text);
    expect(out).toBe('-   a\n\n    ``` x\n-   b\n');
    expect(html(out)).toBe(html(text));
  });

  it('writes ordered list markers with a period and starts a top-level closing fence at its line start', () => {
    const text = '1) a\n2) b\n\n```\ncode\n  ```\n';
    const out = layout(text);
    expect(out).toBe('1.  a\n2.  b\n\n```\ncode\n```\n');
    expect(html(out)).toBe(html(text));
  });

  it('moves a top-level block indented by up to three spaces to the margin, fenced code content unchanged', () => {
    const text = ' Example:\n\n ```\n query {\n  x\n }\n ```\n\n  # Title\n';
    const out = layout(text);
    expect(out).toBe('Example:\n\n```\nquery {\n x\n}\n```\n\n# Title\n');
    expect(html(out)).toBe(html(text));
  });

  it('gives up on tabs in a list indentation', () => {
    const text = '- a\n\t- b\n';
    expect(layoutEdits(parse(text), text)).toBeUndefined();
  });
});

describe('destinations', () => {
  it('finds the destination of a link after its label, past a nested image and a title', () => {
    const text = '[![img](a.png)](docs/x.md "T (x)") after';
    const link = parse(text).children[0]!;
    const node = (link as { children: { position: { start: { offset: number }; end: { offset: number } }; url: string }[] }).children[0]!;
    const at = inlineDestination(text, node.position.start.offset, node.position.end.offset, 'docs/x.md')!;
    expect(text.slice(at.from, at.to)).toBe('docs/x.md');
    expect(applyEdits(text, [{ ...at, text: writeDestination('../x y.md') }])).toBe('[![img](a.png)](<../x y.md> "T (x)") after');
  });

  it('finds a definition destination written in angle brackets', () => {
    const text = '[Beta API]: <docs/a b.md#x> "title"\n';
    const at = definitionDestination(text, 0, text.length - 1, 'docs/a b.md#x')!;
    expect(text.slice(at.from, at.to)).toBe('<docs/a b.md#x>');
  });

  it('writes destinations that read back the same', () => {
    for (const url of ['a.md', 'a b.md', 'a(b.md', 'x<y>.md', '']) {
      const text = `[t](${writeDestination(url)})`;
      const link = (parse(text).children[0] as { children: { url: string }[] }).children[0]!;
      expect(link.url).toBe(url);
    }
  });
});

describe('text patches', () => {
  it('escapes a "<" in text that another parser could take for a tag, not one already escaped or in code', () => {
    const text = 'a <img/src=x/onerror=alert(1)> b \\<kept> `<code>` 1 < 2\n';
    const out = applyEdits(text, textEdits(parse(text), text))!;
    expect(out).toBe('a \\<img/src=x/onerror=alert(1)> b \\<kept> `<code>` 1 < 2\n');
    expect(html(out)).toBe(html(text));
  });
});

describe('applyEdits', () => {
  it('refuses overlapping replacements and drops insertions inside a replaced span', () => {
    expect(applyEdits('abcdef', [{ from: 1, to: 4, text: 'X' }, { from: 2, to: 5, text: 'Y' }])).toBeUndefined();
    expect(applyEdits('abcdef', [{ from: 1, to: 4, text: 'X' }, { from: 2, to: 2, text: '!' }, { from: 1, to: 1, text: '>' }])).toBe('a>Xef');
  });
});
