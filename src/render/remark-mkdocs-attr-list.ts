/**
 * remark plugin: Python-Markdown `attr_list`, `{#id .class key=value}` lists that set attributes, where MkDocs
 * reads them:
 *   - at the end of a heading (or table cell), after a space:      `## Install {#setup}`
 *   - on the last line of a paragraph, alone:                      `Text...\n{: .note }`
 *     (in a tight list item the attributes go to the item, as MkDocs puts them on the <li>)
 *   - right after an inline element, with no space:                `![Logo](logo.png){ width="120" }`,
 *                                                                  `[Docs](https://x.org){.md-button}`
 * The leading `:` is optional. Words are `#id`, `.class`, `key=value`, `key="value"`, `key='value'`, and a bare
 * `key` (meaning key="key"). The list is always removed from the text, as MkDocs removes it; of what it sets,
 * only the id, the allowed classes and the allowed attributes are kept (an mdast transform: the text is plain
 * text in the tree, and the attributes go to `data.hProperties`). Each word dropped is reported as
 * `mkdocs-dialect:attr-list-dropped`. Event handlers (`on*`) are dropped even when listed as allowed.
 *
 * Options:
 *   classes     allowed class names, strings or patterns; default: Material's buttons (`md-button`,
 *               `md-button--primary`) and `annotate`
 *   attributes  allowed attribute names besides id and class; default: `title`, `width`, `height`
 */
import type { Nodes, Parent, PhrasingContent, Root, Text } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

export interface RemarkMkdocsAttrListOptions {
  classes?: Array<string | RegExp>;
  attributes?: string[];
}

export const DEFAULT_ATTR_LIST_CLASSES: Array<string | RegExp> = ['md-button', 'md-button--primary', 'annotate'];
export const DEFAULT_ATTR_LIST_ATTRIBUTES = ['title', 'width', 'height'];

const LIST = String.raw`\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}`;
const AT_HEADING_END = new RegExp(String.raw`[ ]+${LIST}[ ]*$`);
const ON_LAST_LINE = new RegExp(String.raw`\n[ ]*${LIST}[ ]*$`);
const AT_START = new RegExp(`^${LIST}`);
const WORD = /[^ =]+="[^"]*"|[^ =]+='[^']*'|[^ =]+=[^ =]+|[^ =]+/g;

/** Inline elements that take attributes from a list right after them. */
const INLINE = new Set(['link', 'image', 'emphasis', 'strong', 'inlineCode', 'delete', 'linkReference', 'imageReference']);

export default function remarkMkdocsAttrList(options: RemarkMkdocsAttrListOptions = {}) {
  const classes = options.classes ?? DEFAULT_ATTR_LIST_CLASSES;
  const attributes = new Set((options.attributes ?? DEFAULT_ATTR_LIST_ATTRIBUTES).map((a) => a.toLowerCase()));
  const classAllowed = (name: string) => classes.some((c) => (typeof c === 'string' ? c === name : c.test(name)));

  return (tree: Root, file: VFile) => {
    const assign = (node: Nodes, list: string, at: Text) => {
      const target = node as { data?: { hProperties?: Record<string, unknown> } };
      const properties: Record<string, unknown> = { ...(target.data?.hProperties ?? {}) };
      const dropped: string[] = [];
      for (const [word] of list.matchAll(WORD)) {
        const equals = word.indexOf('=');
        if (word.startsWith('#') && equals === -1) {
          if (word.length > 1) properties.id = word.slice(1);
        } else if (word.startsWith('.') && equals === -1) {
          const name = word.slice(1);
          if (name && classAllowed(name)) {
            const current = Array.isArray(properties.className) ? (properties.className as string[]) : [];
            properties.className = [...current, name];
          } else dropped.push(word);
        } else {
          const key = (equals === -1 ? word : word.slice(0, equals)).toLowerCase();
          const value = equals === -1 ? word : word.slice(equals + 1).replace(/^(["'])(.*)\1$/s, '$2');
          if (attributes.has(key) && !key.startsWith('on')) properties[key] = value;
          else dropped.push(key);
        }
      }
      target.data = { ...target.data, hProperties: properties };
      if (dropped.length) {
        file.message(
          `attribute list \`{${list.trim()}}\`: dropped ${dropped.map((d) => `\`${d}\``).join(', ')} (only ids, the classes ${describe(classes)} and the attributes ${[...attributes].join(', ') || 'none'} are kept)`,
          { place: at.position, ruleId: 'attr-list-dropped', source: 'mkdocs-dialect' },
        );
      }
    };

    // Items of a loose list show their paragraphs as <p>, which then take the attributes.
    const looseItems = new WeakSet<Nodes>();
    visit(tree, (node, _index, parent) => {
      if (!('children' in node)) return;
      if (node.type === 'list' && (node.spread || node.children.some((item) => item.spread))) node.children.forEach((item) => looseItems.add(item));
      if (node.type === 'heading' || node.type === 'tableCell') {
        takeFromEnd(node, AT_HEADING_END, node.type === 'heading', (list, text) => assign(node, list, text));
      } else if (node.type === 'paragraph') {
        // A tight list item shows its paragraph without <p>: the attributes belong to the item, as in MkDocs.
        const target = parent?.type === 'listItem' && !looseItems.has(parent) ? parent : node;
        takeFromEnd(node, ON_LAST_LINE, false, (list, text) => assign(target, list, text));
      }
      const children = node.children as Nodes[];
      for (let i = 0; i < children.length - 1; i++) {
        const element = children[i]!;
        const next = children[i + 1]!;
        if (!INLINE.has(element.type) || next.type !== 'text') continue;
        const match = AT_START.exec(next.value);
        if (!match) continue;
        next.value = next.value.slice(match[0].length);
        assign(element, match[1]!, next);
        if (!next.value) children.splice(i + 1, 1);
      }
    });
  };
}

/** Removes a list matched by `pattern` from the end of `node`'s last text child and hands it over. */
function takeFromEnd(node: Parent, pattern: RegExp, trimHashes: boolean, take: (list: string, text: Text) => void): void {
  const last = node.children[node.children.length - 1] as PhrasingContent | undefined;
  if (last?.type !== 'text') return;
  const match = pattern.exec(last.value);
  if (!match) return;
  let rest = last.value.slice(0, match.index);
  if (trimHashes) rest = rest.replace(/#+$/, '').trimEnd();
  take(match[1]!, last);
  last.value = rest;
  if (!rest) node.children.pop();
}

function describe(classes: Array<string | RegExp>): string {
  return classes.length ? classes.map((c) => (typeof c === 'string' ? c : String(c))).join(', ') : 'none';
}
