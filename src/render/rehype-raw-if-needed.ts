/**
 * rehype-raw, skipped for pages without raw HTML: rehype-raw re-parses the whole tree through parse5 even when
 * there is nothing to parse, which costs more than any other step after the Markdown parse. Options: those of
 * rehype-raw.
 */
import type { Root, Nodes } from 'hast';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import rehypeRaw, { type Options } from 'rehype-raw';

function hasRaw(node: Nodes): boolean {
  if (node.type === 'raw') return true;
  if ('children' in node) for (const child of node.children) if (hasRaw(child)) return true;
  return false;
}

const rehypeRawIfNeeded: Plugin<[Options?], Root> = function (options) {
  const raw = rehypeRaw.call(this, options) as (tree: Root, file: VFile) => Root;
  return (tree, file) => (hasRaw(tree) ? raw(tree, file) : tree);
};

export default rehypeRawIfNeeded;
