/**
 * Headings, title and table of contents.
 *  - ids as GitHub makes them: github-slugger over the heading's text, duplicates numbered -1, -2...,
 *    without the `user-content-` prefix (rehype-ids checks them). A heading that already has an id (raw HTML
 *    `<h2 id>`, prefixed by the sanitizer) keeps it. A trailing `{#custom-id}` (attribute-list syntax of
 *    MkDocs and Pandoc, used by some docs) sets the id and is removed from the text.
 *  - exactly one H1: the first H1 stays; later H1s become H2 (a page has one title; the rest are sections).
 *    Without an H1, one is inserted from the title, without an id so that the numbering of the other ids
 *    still matches GitHub's.
 *  - the title: `frontMatterTitle` in file.data, else the first H1's text, else the text of a heading that opens
 *    the page (`## Quickstart with Helm` first thing in the file: it becomes the H1, keeping its id), else the
 *    `fallbackTitle` option.
 *  - the table of contents: h2 and h3 with their ids.
 * Options: `fallbackTitle` (string or function of the file) for pages without title.
 */
import type { Root, Element, ElementContent, Text } from 'hast';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { eachElement } from './walk.ts';
import { toString } from 'hast-util-to-string';
import GithubSlugger from 'github-slugger';
import { pageData } from './page-data.ts';

export interface HeadingsOptions {
  fallbackTitle?: string | ((file: VFile) => string);
}

const HEADING = /^h[1-6]$/;
const CUSTOM_ID = /[ \t]*\{#([A-Za-z][\w.:-]*)\}[ \t]*$/;

const rehypeHeadings: Plugin<[HeadingsOptions?], Root> = (options = {}) => (tree, file) => {
  const data = pageData(file);
  const slugger = new GithubSlugger();
  let firstH1: Element | undefined;
  eachElement(tree, (node) => {
    if (!HEADING.test(node.tagName)) return;
    const custom = takeCustomId(node);
    const text = toString(node).replace(/\s+/g, ' ').trim();
    if (custom) node.properties.id = custom;
    else if (typeof node.properties.id !== 'string' || !node.properties.id) node.properties.id = slugger.slug(text);
    if (node.tagName === 'h1') {
      if (!firstH1) firstH1 = node;
      else node.tagName = 'h2';
    }
    if (node.tagName === 'h2' || node.tagName === 'h3') {
      data.toc.push({ depth: node.tagName === 'h2' ? 2 : 3, id: String(node.properties.id), text });
    }
    return 'skip';
  });
  if (!firstH1 && !file.data.frontMatterTitle) {
    const opening = tree.children.find((n) => n.type !== 'text' || n.value.trim() !== '');
    if (opening?.type === 'element' && HEADING.test(opening.tagName) && toString(opening).trim()) {
      const id = opening.properties.id;
      data.toc = data.toc.filter((t) => t.id !== id);
      opening.tagName = 'h1';
      firstH1 = opening;
    }
  }
  const fallback = typeof options.fallbackTitle === 'function' ? options.fallbackTitle(file) : options.fallbackTitle;
  const title = file.data.frontMatterTitle || (firstH1 && toString(firstH1).replace(/\s+/g, ' ').trim()) || fallback || 'Untitled';
  data.title = title;
  if (!firstH1) {
    const h1: Element = { type: 'element', tagName: 'h1', properties: {}, children: [{ type: 'text', value: title }] };
    tree.children.unshift(h1, { type: 'text', value: '\n' });
  }
};

/** Removes a trailing `{#id}` from the heading's last text node and returns the id. */
function takeCustomId(node: Element): string | undefined {
  const last = lastText(node);
  if (!last) return undefined;
  const match = CUSTOM_ID.exec(last.value);
  if (!match) return undefined;
  last.value = last.value.slice(0, match.index);
  return match[1];
}

function lastText(node: Element): Text | undefined {
  for (let i = node.children.length - 1; i >= 0; i--) {
    const child: ElementContent = node.children[i]!;
    if (child.type === 'text') {
      if (child.value.trim()) return child;
      continue;
    }
    if (child.type === 'element') return lastText(child);
  }
  return undefined;
}

export default rehypeHeadings;
