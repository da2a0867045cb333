/**
 * Plain depth-first walks. unist-util-visit keeps a stack of ancestors for every node, which showed up in
 * profiles of the corpus build; the plugins here only need the parent, or no more than the node. (The walk of
 * mdast text is core/mdast-text.ts, which the GFM parser shares with the renderer.)
 */
import type { Element, Root } from 'hast';

/** For eachElement: return 'skip' to not descend into the node. The callback may replace the node at its index. */
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
