import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Code } from 'mdast';
import { fenceLanguage, scanFences } from '../../src/render/fences.ts';

/** The code blocks remark-parse finds, as line, language and value: what the scan must agree with. */
function parsedFences(markdown: string) {
  const tree = unified().use(remarkParse).parse(markdown);
  return tree.children.filter((n): n is Code => n.type === 'code' && /^ {0,3}[`~]{3}/.test(markdown.split('\n')[n.position!.start.line - 1]!)).map((n) => ({ line: n.position!.start.line, lang: (n.lang ?? '').toLowerCase(), value: n.value }));
}

const cases: Record<string, string> = {
  'backticks and tildes': 'a\n\n```js\nx\n```\n\n~~~ Mermaid\ngraph TD\n~~~\nb',
  'a longer closing run': '````\n```\nstill code\n`````\nafter',
  'a closing run with text after it does not close': '```\ncode\n``` not a close\nmore\n```\n',
  'unclosed: code to the end': 'text\n\n~~~~python\nprint(1)\n\n# not a heading',
  'backticks in the info string: no fence': '``` a`b\n```mermaid\ngraph\n```',
  'indented opening: the body loses as much': '  ```mermaid\n  graph TD\n    A-->B\n B\n  ```',
  'a fence of the other character inside': '~~~\n```mermaid\n~~~\n',
};

describe('scanFences', () => {
  it.each(Object.entries(cases))('%s: same blocks as remark-parse', (_name, markdown) => {
    const { blocks } = scanFences(markdown);
    expect(blocks.map((b) => ({ line: b.line, lang: fenceLanguage(b), value: b.body.join('\n') }))).toEqual(parsedFences(markdown));
  });

  it('keeps the lines outside the blocks', () => {
    expect(scanFences('a\n```\n![x](y.png)\n```\nb ![z](w.png)').outside).toEqual(['a', 'b ![z](w.png)']);
  });
});
