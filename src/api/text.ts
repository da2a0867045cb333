/**
 * Author text of an OpenAPI document as Markdown trees. Descriptions are CommonMark by the specification, so
 * they are parsed as Markdown (GFM); the page's renderer sanitizes whatever raw HTML they hold, as on any page.
 * Their headings are moved below the page's own, so a description cannot add a title or a section.
 */
import type { PhrasingContent, Root, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { toString } from 'mdast-util-to-string';

const parser = unified().use(remarkParse).use(remarkGfm);

/** Longest description kept; longer ones are cut (a page is not the place for a book). */
const MAX_DESCRIPTION = 20_000;

const cut = (text: string) => (text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text);

/** A description as block Markdown, its headings at least `minDepth` deep. */
export function blockMarkdown(text: string, minDepth: 1 | 2 | 3 | 4 | 5 | 6 = 4): RootContent[] {
  const tree = parser.parse(cut(text)) as Root;
  visit(tree, 'heading', (node) => {
    node.depth = Math.min(6, Math.max(minDepth, node.depth + minDepth - 1)) as typeof node.depth;
  });
  // Definitions are only meaningful in their own text; the page's serializer would hoist them anyway.
  return tree.children;
}

/** A description as inline Markdown (for a table cell or a list line): its blocks' text joined by spaces. */
export function inlineMarkdown(text: string): PhrasingContent[] {
  const tree = parser.parse(cut(text)) as Root;
  const out: PhrasingContent[] = [];
  for (const block of tree.children) {
    if (out.length) out.push({ type: 'text', value: ' ' });
    if (block.type === 'paragraph' || block.type === 'heading') out.push(...block.children);
    else if (block.type === 'html') out.push({ type: 'html', value: block.value.replace(/\s*\n\s*/g, ' ') });
    else out.push({ type: 'text', value: toString(block).replace(/\s*\n\s*/g, ' ') });
  }
  // A line break cannot live in a table cell: every one becomes a space.
  const root: Root = { type: 'root', children: [{ type: 'paragraph', children: out.map((n) => (n.type === 'break' ? { type: 'text', value: ' ' } : n)) }] };
  visit(root, (node) => {
    if ((node.type === 'text' || node.type === 'inlineCode' || node.type === 'html') && 'value' in node) node.value = node.value.replace(/\s*\n\s*/g, ' ');
  });
  return (root.children[0] as { children: PhrasingContent[] }).children;
}
