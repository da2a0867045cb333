/**
 * A plain depth-first walk over the elements of a hast tree. unist-util-visit keeps a stack of ancestors for
 * every node, which showed up in profiles of the corpus build; the plugins here only need the parent.
 * Return 'skip' to not descend into the node. The callback may replace the node at its index.
 */
import type { Element, Root } from 'hast';

export type Walker = (node: Element, index: number, parent: Root | Element) => void | 'skip';

export function eachElement(tree: Root | Element, fn: Walker): void {
  const children = tree.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.type !== 'element') continue;
    if (fn(child, i, tree) === 'skip') continue;
    const current = children[i];
    if (current?.type === 'element') eachElement(current, fn);
  }
}
