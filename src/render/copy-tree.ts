/**
 * A copy of a Markdown tree that the Markdown export can change while the renderer changes the original: each
 * node and `children` array is new, the rest (positions, `data`, a table's `align`) is shared, as neither side
 * changes those in place. structuredClone copied every position object too and showed up in profiles.
 */
import type { Nodes } from 'mdast';

export function copyTree<T extends Nodes>(node: T): T {
  const copy = { ...node };
  if ('children' in node) (copy as { children: Nodes[] }).children = node.children.map((child) => copyTree(child));
  return copy;
}
