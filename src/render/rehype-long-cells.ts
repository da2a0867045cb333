/**
 * Long values in table cells: a chart's default value can be a whole configuration as one line of JSON (7,000
 * characters in gen3-helm's fence chart), which would make its row thousands of pixels tall however the table
 * wraps. Such inline code in a `td` is folded into a `<details>` whose summary shows its start, so the row is
 * as tall as its other cells until the reader opens it. Runs after the sanitizer. Option: `maxLength`, the
 * longest value shown as it is (default 160 characters).
 */
import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { toString } from 'hast-util-to-string';
import { eachElement } from './walk.ts';

export interface LongCellsOptions {
  maxLength?: number;
}

const PREVIEW = 24;

const rehypeLongCells: Plugin<[LongCellsOptions?], Root> = (options = {}) => (tree) => {
  const max = options.maxLength ?? 160;
  eachElement(tree, (node) => {
    if (node.tagName !== 'td') return;
    node.children = node.children.map((child) => {
      if (child.type !== 'element' || child.tagName !== 'code') return child;
      const text = toString(child);
      if ([...text].length <= max) return child;
      const preview: Element = { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: `${[...text].slice(0, PREVIEW).join('')}…` }] };
      return {
        type: 'element',
        tagName: 'details',
        properties: { className: ['cell-value'] },
        children: [{ type: 'element', tagName: 'summary', properties: {}, children: [preview] }, child],
      };
    });
    return 'skip';
  });
};

export default rehypeLongCells;
