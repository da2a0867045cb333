import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import rehypeScrollFocus from '../../src/render/rehype-scroll-focus.ts';

const run = (html: string) => String(unified().use(rehypeParse, { fragment: true }).use(rehypeScrollFocus).use(rehypeStringify).processSync(html));

describe('rehype-scroll-focus', () => {
  it('makes every table and code block reachable by keyboard, and nothing else', () => {
    expect(run('<table><tr><td>a</td></tr></table><div><table></table></div><p>x</p><pre><code>y</code></pre><code>z</code>')).toBe(
      '<table tabindex="0"><tbody><tr><td>a</td></tr></tbody></table><div><table tabindex="0"></table></div><p>x</p><pre tabindex="0"><code>y</code></pre><code>z</code>',
    );
  });
});
