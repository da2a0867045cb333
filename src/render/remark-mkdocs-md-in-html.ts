/**
 * remark plugin: Python-Markdown `md_in_html`. A block of raw HTML whose opening tag carries `markdown`,
 * `markdown="1"` or `markdown="block"` holds Markdown: `<div markdown>\n# Title\n\n*text*\n</div>` becomes a
 * <div> with a heading and a paragraph. `markdown="span"`, and block tags MkDocs reads as span-level (p, h1-h6,
 * li, dt, dd, td, th, summary, figcaption), take inline Markdown only. The `markdown` attribute is dropped,
 * `markdown="0"` leaves the HTML as written.
 *
 * micromark ends an HTML block at a blank line, so such an element may span several nodes: its content is the
 * HTML node's text after the opening tag, the Markdown nodes that follow, and the text before the matching
 * closing tag (found by counting that tag's openings and closings). The text parts are parsed with the same
 * processor (same extensions); the element becomes an `mdInHtml` node naming its tag and attributes in
 * `data.hName` / `hProperties`, so no raw HTML pass is needed, and the sanitizer downstream judges the
 * attributes; `mdInHtmlToHast`, a remark-rehype handler, puts its blocks on their own lines. An element left
 * open ends with its parent (`md-in-html-unclosed`); one nested deeper than
 * `maxDepth` stays raw HTML (`md-in-html-too-deep`): each level parses its content once more.
 * Transforms of plugins that ran before this one do not see the parsed content: use it first.
 *
 * Options: { maxDepth?: number } (default 16; MkDocs pages nest such blocks two or three deep).
 */
import type { Html, Parent, Root, RootContent } from 'mdast';
import type { Processor } from 'unified';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import type { Element } from 'hast';
import type { State as ToHastState } from 'mdast-util-to-hast';

export interface MdInHtml extends Parent {
  type: 'mdInHtml';
  tagName: string;
  children: RootContent[];
}

declare module 'mdast' {
  interface RootContentMap {
    mdInHtml: MdInHtml;
  }
  interface BlockContentMap {
    mdInHtml: MdInHtml;
  }
}

export interface RemarkMkdocsMdInHtmlOptions {
  maxDepth?: number;
}

const OPENING = /^[ \t]*<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>/;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const MESSAGE_LIMIT = 10;
const SPAN_LEVEL = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'summary', 'figcaption', 'span']);
/** Tags that may not become elements here: their content is not Markdown whatever the attribute says. */
const RAW_ONLY = new Set(['script', 'style', 'textarea', 'pre', 'title', 'template', 'iframe', 'noscript', 'xmp']);

interface Opening {
  tagName: string;
  properties: Record<string, string | string[]>;
  mode: 'block' | 'span';
  length: number;
}

export default function remarkMkdocsMdInHtml(this: Processor, options: RemarkMkdocsMdInHtmlOptions = {}) {
  const processor = this;
  const maxDepth = options.maxDepth ?? 16;

  return (tree: Root, file: VFile) => {
    // At most 10 messages a page, then one with the count: a generated page could have thousands.
    let messages = 0;
    const message = (reason: string, place: Html, ruleId: string) => {
      if (++messages <= MESSAGE_LIMIT) file.message(reason, { place: place.position, ruleId, source: 'mkdocs-dialect' });
    };

    const parseFragment = (text: string, at: Point | undefined, mode: 'block' | 'span'): RootContent[] => {
      const root = processor.parse(text) as Root;
      shiftPositions(root, at);
      if (mode === 'span' && root.children.length === 1 && root.children[0]!.type === 'paragraph') return root.children[0]!.children;
      return root.children;
    };

    const walk = (parent: Parent, depth: number) => {
      const children = parent.children as RootContent[];
      for (let index = 0; index < children.length; index++) {
        const node = children[index]!;
        if (node.type !== 'html') {
          if ('children' in node) walk(node as Parent, depth);
          continue;
        }
        const opening = readOpening(node.value);
        if (!opening) continue;
        if (depth >= maxDepth) {
          message(`<${opening.tagName} markdown> nested more than ${maxDepth} deep: its content is left as HTML`, node, 'md-in-html-too-deep');
          continue;
        }
        const element = gather(children, index, opening, node);
        walk(element, depth + 1);
      }
    };

    // What follows the closing tag in the same HTML node is read as Markdown again, as MkDocs does.
    const remainder = (text: string, at: Point | undefined) => (text.trim() ? parseFragment(text, at, 'block') : []);

    /** Replaces the nodes from `index` to the closing tag with one element, and returns it. */
    const gather = (children: RootContent[], index: number, opening: Opening, first: Html): MdInHtml => {
      const content: RootContent[] = [];
      const after: RootContent[] = [];
      const rest = first.value.slice(opening.length);
      const startPoint = first.position ? advance(first.position.start, first.value.slice(0, opening.length)) : undefined;
      let end = index + 1;
      const close = findClose(rest, opening.tagName, 0);
      let closed = close.at !== undefined;
      if (close.at !== undefined) {
        content.push(...parseFragment(rest.slice(0, close.at), startPoint, opening.mode));
        after.push(...remainder(rest.slice(close.end!), startPoint && advance(startPoint, rest.slice(0, close.end))));
      } else {
        content.push(...parseFragment(rest, startPoint, opening.mode));
        let depth = close.depth;
        for (; end < children.length; end++) {
          const sibling = children[end]!;
          if (sibling.type !== 'html') {
            content.push(sibling);
            continue;
          }
          const found = findClose(sibling.value, opening.tagName, depth);
          if (found.at === undefined) {
            depth = found.depth;
            content.push(sibling);
            continue;
          }
          content.push(...parseFragment(sibling.value.slice(0, found.at), sibling.position?.start, opening.mode));
          const at = sibling.position && advance(sibling.position.start, sibling.value.slice(0, found.end));
          after.push(...remainder(sibling.value.slice(found.end!), at));
          closed = true;
          end++;
          break;
        }
      }
      if (!closed) message(`<${opening.tagName} markdown> is not closed: it ends with its parent`, first, 'md-in-html-unclosed');
      const element: MdInHtml = {
        type: 'mdInHtml',
        tagName: opening.tagName,
        children: content.filter((n) => !(n.type === 'html' && !n.value.trim())),
        data: { hName: opening.tagName, hProperties: opening.properties },
        position: first.position ? { start: first.position.start, end: (children[end - 1] ?? first).position?.end ?? first.position.end } : undefined,
      };
      children.splice(index, end - index, element, ...after);
      return element;
    };

    walk(tree, 0);
    if (messages > MESSAGE_LIMIT) {
      file.message(`${messages - MESSAGE_LIMIT} more HTML blocks with Markdown inside were left open or too deep`, { ruleId: 'md-in-html-unclosed', source: 'mkdocs-dialect' });
    }
  };
}

/** The opening tag at the start of an HTML node, when it asks for Markdown inside. */
function readOpening(value: string): Opening | undefined {
  const match = OPENING.exec(value);
  if (!match) return undefined;
  const tagName = match[1]!.toLowerCase();
  const properties: Record<string, string | string[]> = {};
  let markdown: string | undefined;
  for (const [, rawName, double, single, bare] of match[2]!.matchAll(ATTRIBUTE)) {
    const name = rawName!.toLowerCase();
    const value = double ?? single ?? bare ?? '';
    if (name === 'markdown') markdown = value;
    else if (name === 'class') properties.className = value.split(/\s+/).filter(Boolean);
    else properties[name] = value;
  }
  if (markdown === undefined || markdown === '0' || RAW_ONLY.has(tagName)) return undefined;
  const mode = markdown === 'span' || (markdown !== 'block' && SPAN_LEVEL.has(tagName)) ? 'span' : 'block';
  return { tagName, properties, mode, length: match[0].length };
}

/**
 * Where `</tag>` closes an element already `depth` levels open (0: the element itself), counting the same tag
 * opened and closed in between; `depth` is how many remain open when it is not in `text`.
 */
function findClose(text: string, tagName: string, depth: number): { at?: number; end?: number; depth: number } {
  const tags = new RegExp(`<(/?)${tagName}(?=[\\s/>])[^>]*>`, 'gi');
  for (const match of text.matchAll(tags)) {
    if (match[1]) {
      if (depth === 0) return { at: match.index, end: match.index + match[0].length, depth };
      depth--;
    } else if (!match[0].endsWith('/>')) depth++;
  }
  return { depth };
}

/** The point after `text` starting at `start`. */
function advance(start: Point, text: string): Point {
  const lines = text.split('\n');
  if (lines.length === 1) return { line: start.line, column: start.column + text.length, offset: start.offset === undefined ? undefined : start.offset + text.length };
  return { line: start.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1, offset: start.offset === undefined ? undefined : start.offset + text.length };
}

/** Moves the positions of a fragment parsed on its own to where the fragment is in the page. */
function shiftPositions(node: Root | RootContent, at: Point | undefined): void {
  if (node.position) {
    if (!at) node.position = undefined;
    else {
      const move = (p: Point): Point => ({
        line: p.line + at.line - 1,
        column: p.line === 1 ? p.column + at.column - 1 : p.column,
        offset: p.offset === undefined || at.offset === undefined ? undefined : p.offset + at.offset,
      });
      node.position = { start: move(node.position.start), end: move(node.position.end) };
    }
  }
  if ('children' in node) for (const child of node.children) shiftPositions(child, at);
}

/** remark-rehype handler: the element, its blocks on their own lines. */
export function mdInHtmlToHast(state: ToHastState, node: MdInHtml): Element {
  const result: Element = { type: 'element', tagName: 'div', properties: {}, children: state.wrap(state.all(node), true) };
  state.patch(node, result);
  return state.applyData(node, result) as Element;
}
