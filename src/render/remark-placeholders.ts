/**
 * Placeholders in prose such as `<your-commons>`, `<hostname>` or `<GUID>` parse as raw HTML, which GitHub's
 * sanitizer (and ours) would silently drop. Tags whose name is not an HTML element are turned back into
 * visible text here, in mdast, before remark-rehype:
 *  - an inline `html` node that is exactly one such tag becomes a `text` node;
 *  - in a block `html` node, each such tag is entity-escaped in place, so the HTML around it still parses
 *    (`<td><hostname></td>`); a block that starts with one becomes a paragraph of text.
 * Options: `knownTags`, extra tag names to treat as HTML (lower case), e.g. for SVG or MathML children.
 */
import type { Root, Html, Paragraph, Parent, RootContent, Text } from 'mdast';
import type { Plugin } from 'unified';
import { htmlTagNames } from 'html-tag-names';

export interface PlaceholderOptions {
  knownTags?: string[];
}

// SVG and MathML names that appear inside inline <svg>/<math>: not placeholders.
const FOREIGN = ['path', 'g', 'circle', 'rect', 'line', 'polyline', 'polygon', 'ellipse', 'text', 'tspan', 'defs', 'use', 'symbol', 'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'pattern', 'foreignobject', 'mi', 'mo', 'mn', 'ms', 'mrow', 'msup', 'msub', 'mfrac', 'msqrt', 'mtext', 'annotation', 'semantics'];
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9_.:-]*)((?:\s+[^<>]*)?)(\/?)>/g;
const SINGLE_TAG = /^<\/?([A-Za-z][A-Za-z0-9_.:-]*)(?:\s[^<>]*)?\/?>$/;

const remarkPlaceholders: Plugin<[PlaceholderOptions?], Root> = (options = {}) => {
  const known = new Set([...htmlTagNames, ...FOREIGN, ...(options.knownTags ?? [])]);
  const isPlaceholder = (name: string) => !known.has(name.toLowerCase());
  /** The node that replaces an `html` node (itself, changed in place, for most block HTML). */
  const replace = (node: Html, parent: Parent): RootContent => {
    const value = node.value;
    const inline = parent.type !== 'root' && parent.type !== 'blockquote' && parent.type !== 'listItem' && parent.type !== 'footnoteDefinition';
    if (inline) {
      const single = SINGLE_TAG.exec(value.trim());
      return single && isPlaceholder(single[1]!) ? ({ type: 'text', value, position: node.position } satisfies Text) : node;
    }
    const first = /^\s*<\/?([A-Za-z][A-Za-z0-9_.:-]*)/.exec(value);
    if (first && isPlaceholder(first[1]!)) {
      // A block that opens with a placeholder is prose ("<hostname> is the ..."), not markup.
      return { type: 'paragraph', children: [{ type: 'text', value: value.trim() }], position: node.position } satisfies Paragraph;
    }
    node.value = value.replace(TAG, (tag, _close: string, name: string) =>
      isPlaceholder(name) ? tag.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : tag,
    );
    return node;
  };
  // A plain walk: unist-util-visit's list of ancestors at every node showed up in profiles of the corpus build.
  const walk = (parent: Parent) => {
    const children = parent.children as RootContent[];
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.type === 'html') children[i] = replace(child, parent);
      else if ('children' in child) walk(child);
    }
  };
  return (tree) => walk(tree);
};

export default remarkPlaceholders;
