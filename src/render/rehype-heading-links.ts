/**
 * A permalink on every section heading (h2 to h6 with an id), as GitHub shows one: an empty link to the
 * heading whose mark is drawn by the stylesheet, so the heading's text, the table of contents and the search
 * index stay as they were. Runs after the ids are final (rehype-ids). No options.
 */
import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { toString } from 'hast-util-to-string';
import { eachElement } from './walk.ts';

const SECTION_HEADING = /^h[2-6]$/;

const rehypeHeadingLinks: Plugin<[], Root> = () => (tree) => {
  eachElement(tree, (node) => {
    if (!SECTION_HEADING.test(node.tagName)) return;
    const id = node.properties.id;
    if (typeof id !== 'string' || !id) return 'skip';
    const text = toString(node).replace(/\s+/g, ' ').trim();
    node.children.push({
      type: 'element',
      tagName: 'a',
      properties: { className: ['heading-anchor'], href: `#${id}`, ariaLabel: `Link to this section: ${text}` },
      children: [],
    });
    return 'skip';
  });
};

export default rehypeHeadingLinks;
