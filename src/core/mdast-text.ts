/** A plain walk of mdast text, for the checks that spare a page a plugin's full pass (in every stage that parses Markdown). */
import type { Nodes as MdastNodes } from 'mdast';

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
