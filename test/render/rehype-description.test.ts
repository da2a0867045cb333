import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeDescription, { truncateAtWord } from '../../src/render/rehype-description.ts';
import { pageData } from '../../src/render/page-data.ts';

function describeMd(md: string, given?: string, maxLength?: number) {
  const file = new VFile({ value: md });
  if (given) file.data.frontMatterDescription = given;
  unified().use(remarkParse).use(remarkRehype).use(rehypeDescription, { maxLength }).use(rehypeStringify).processSync(file);
  return pageData(file).description;
}

describe('rehype-description', () => {
  it('takes the first paragraph with words, as plain text', () => {
    expect(describeMd('# T\n\n[![badge](b.svg)](x)\n\nFence is an **auth** service\nfor `Gen3`.\n\nMore.')).toBe('Fence is an auth service for Gen3.');
  });

  it('prefers the front matter description', () => {
    expect(describeMd('Body text.', 'Given <b>text</b>')).toBe('Given <b>text</b>');
  });

  it('cuts at a word boundary', () => {
    const long = describeMd(`${'word '.repeat(100)}end`, undefined, 50) ?? '';
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long).toMatch(/word…$/);
    expect(truncateAtWord('short', 200)).toBe('short');
  });

  it('is empty when there is no paragraph', () => {
    expect(describeMd('# Only a title')).toBe('');
  });
});
