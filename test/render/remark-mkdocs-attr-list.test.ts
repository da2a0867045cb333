import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import remarkMkdocsAttrList, { type RemarkMkdocsAttrListOptions } from '../../src/render/remark-mkdocs-attr-list.ts';

const render = (md: string, options?: RemarkMkdocsAttrListOptions) => {
  const file = unified().use(remarkParse).use(remarkMkdocsAttrList, options).use(remarkRehype).use(rehypeStringify).processSync(md);
  return { html: String(file), messages: file.messages.map((m) => m.ruleId) };
};

describe('remark-mkdocs-attr-list options', () => {
  it('keeps the classes and attributes it is told to, strings or patterns', () => {
    const { html, messages } = render('[x](https://example.com){ .grid-1 .grid-2 .other data-tab=one style="color:red" }', {
      classes: [/^grid-\d$/],
      attributes: ['data-tab', 'style'],
    });
    expect(html).toBe('<p><a href="https://example.com" class="grid-1 grid-2" data-tab="one" style="color:red">x</a></p>');
    expect(messages).toEqual(['attr-list-dropped']);
  });

  it('never keeps an event handler, even one listed as allowed', () => {
    const { html, messages } = render('![x](x.png){ onclick=go onload="go()" }', { attributes: ['onclick', 'onload'] });
    expect(html).toBe('<p><img src="x.png" alt="x"></p>');
    expect(messages).toEqual(['attr-list-dropped']);
  });

  it('keeps ids and nothing else with empty allowlists', () => {
    expect(render('## Title {#t .md-button title=x}', { classes: [], attributes: [] }).html).toBe('<h2 id="t">Title</h2>');
  });
});
