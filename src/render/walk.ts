/**
 * Plain depth-first walks. unist-util-visit keeps a stack of ancestors for every node, which showed up in
 * profiles of the corpus build; the plugins here only need the parent, or no more than the node.
 */
import type { Element, Root } from 'hast';
import type { Nodes as MdastNodes } from 'mdast';

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

/**
 * Whether some text node of an mdast tree passes `test`, looking no further than the first that does; the
 * children of a node `skip` accepts are not looked at. For the checks that spare a page a plugin's full pass.
 */
export function someText(tree: MdastNodes, test: (value: string) => boolean, skip?: (node: MdastNodes) => boolean): boolean {
  if (tree.type === 'text') return test(tree.value);
  if (!('children' in tree) || skip?.(tree)) return false;
  for (const child of tree.children) if (someText(child, test, skip)) return true;
  return false;
}
