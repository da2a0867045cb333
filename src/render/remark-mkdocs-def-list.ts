/**
 * remark plugin: Python-Markdown `def_list`, the PHP Markdown Extra definition lists MkDocs reads:
 *
 *   Apple
 *   :   Pomaceous fruit.
 *
 * The syntax and the tree come from micromark-extension-definition-list and mdast-util-definition-list
 * (maintained, PHP Markdown Extra's rules, which are Python-Markdown's). This registers them and names the
 * elements in the nodes' data (<dl>, <dt>, <dd>), so remark-rehype renders them without handlers; a definition
 * not separated by a blank line shows its text without <p>, as in MkDocs. `defListToHast` (remark-rehype
 * handlers) gives the same elements with line breaks between the blocks. No options.
 */
import type { Element } from 'hast';
import type { Nodes, Root } from 'mdast';
import type { Handler, State } from 'mdast-util-to-hast';
import type { Processor } from 'unified';
import { visit } from 'unist-util-visit';
import { defList } from 'micromark-extension-definition-list';
import { defListFromMarkdown, defListToMarkdown } from 'mdast-util-definition-list';

const ELEMENT: Record<string, string> = { defList: 'dl', defListTerm: 'dt', defListDescription: 'dd' };

export default function remarkMkdocsDefList(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(defList);
  (data.fromMarkdownExtensions ??= []).push(defListFromMarkdown);
  (data.toMarkdownExtensions ??= []).push(defListToMarkdown);
  return (tree: Root) => {
    visit(tree, (node: Nodes) => {
      const tagName = ELEMENT[node.type];
      if (!tagName) return;
      node.data = { ...node.data, hName: tagName };
      // A tight definition: its paragraph's text goes straight into the <dd>.
      if (node.type === 'defListDescription' && !node.spread) {
        const blocks: Nodes[] = node.children;
        (node as { children: unknown[] }).children = blocks.flatMap((child) => (child.type === 'paragraph' ? child.children : [child]));
      }
    });
  };
}

/** remark-rehype handlers: the element named in the data, blocks on their own lines. */
const toHast: Handler = (state: State, node: Nodes) => {
  const children = state.all(node);
  const loose = node.type === 'defList' || (node.type === 'defListDescription' && (node as { spread?: boolean }).spread);
  const result: Element = { type: 'element', tagName: 'div', properties: {}, children: loose ? state.wrap(children, true) : children };
  state.patch(node, result);
  return state.applyData(node, result);
};

export const defListToHast: Record<'defList' | 'defListTerm' | 'defListDescription', Handler> = {
  defList: toHast,
  defListTerm: toHast,
  defListDescription: toHast,
};
