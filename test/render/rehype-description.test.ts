import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeDescription, { readsAsDescription, truncateAtWord } from '../../src/render/rehype-description.ts';
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

  it('skips lead-ins and instructions for the paragraph that says what the thing is', () => {
    expect(describeMd('# S\n\nTo install S, make sure poetry is there and run:\n\n    poetry install\n\nS takes metadata submissions into the graph.')).toBe(
      'S takes metadata submissions into the graph.',
    );
    expect(describeMd('# F\n\nThis is a repository that requires npm v9 and Node 20.\n\nF is a front-end framework.')).toBe('F is a front-end framework.');
    expect(describeMd('# A\n\nIt answers questions such as:\n\n- who?')).toBe('');
  });

  it('tells descriptions from lead-ins and instructions', () => {
    for (const text of ['Arborist is a policy engine.', 'Sower dispatches Kubernetes jobs.', 'Helm charts for deploying Gen3 on any cluster.']) expect(readsAsDescription(text), text).toBe(true);
    for (const text of [
      'The audit service answers questions such as:',
      'To install sheepdog, ensure you have poetry installed and run',
      'The reason we need this service is that tokens expire.',
      'You will need Docker to run the tests.',
      'Run `npm install` first.',
      'This is a multi-workspace repo that requires npm v9.',
      ' — · — ',
    ])
      expect(readsAsDescription(text), text).toBe(false);
  });
});
