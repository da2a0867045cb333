/**
 * Author text of an OpenAPI document as Markdown trees. Descriptions are CommonMark by the specification, so
 * they are parsed as Markdown (GFM); the page's renderer sanitizes whatever raw HTML they hold, as on any page.
 * Their headings are moved below the page's own, so a description cannot add a title or a section.
 */
import type { PhrasingContent, Root, RootContent } from 'mdast';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { toString } from 'mdast-util-to-string';

const parser = unified().use(remarkParse).use(remarkGfmLean);

/** Longest description kept; longer ones are cut (a page is not the place for a book). */
const MAX_DESCRIPTION = 20_000;

const cut = (text: string) => (text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text);

/**
 * One line in which no Markdown construct can start: no character that opens or escapes one anywhere (emphasis,
 * code, links, HTML, entities, tables, strikethrough, autolinks), nothing at its start that opens a block (list,
 * heading, quote, indented code), no surrounding space. Most descriptions are such ("The user's id."): their
 * tree is their text, and parsing them (a second of the corpus's API stage) is skipped.
 */
// eslint-disable-next-line no-control-regex
const PLAIN = /^(?![\s\d+=-])[^\\`*_[\]<>!&#|~@:\u0000-\u001f\u007f]*(?<!\s)$/;
const isPlain = (text: string) => PLAIN.test(text) && !/www\./i.test(text);

/** Parsed descriptions by text: documents repeat theirs (a shared parameter, a schema's fields in every operation). */
const parsed = new Map<string, Root>();
const MAX_REMEMBERED = 5000;

/** A description's Markdown tree (a copy: callers change it). */
export function parseDescription(text: string): Root {
  const value = cut(text);
  if (isPlain(value)) return { type: 'root', children: value ? [{ type: 'paragraph', children: [{ type: 'text', value }] }] : [] };
  let tree = parsed.get(value);
  if (!tree) {
    tree = parser.parse(value) as Root;
    if (parsed.size >= MAX_REMEMBERED) parsed.clear();
    parsed.set(value, tree);
  }
  return structuredClone(tree);
}

/** A description as block Markdown, its headings at least `minDepth` deep. */
export function blockMarkdown(text: string, minDepth: 1 | 2 | 3 | 4 | 5 | 6 = 4): RootContent[] {
  const tree = parseDescription(text);
  visit(tree, 'heading', (node) => {
    node.depth = Math.min(6, Math.max(minDepth, node.depth + minDepth - 1)) as typeof node.depth;
  });
  // Definitions are only meaningful in their own text; the page's serializer would hoist them anyway.
  return tree.children;
}

/** A description as inline Markdown (for a table cell or a list line): its blocks' text joined by spaces. */
export function inlineMarkdown(text: string): PhrasingContent[] {
  const tree = parseDescription(text);
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
