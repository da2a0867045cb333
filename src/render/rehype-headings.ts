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
 *  - with `slugs: 'mkdocs'` (the guides), ids as MkDocs' `toc` extension makes them (Python-Markdown's slugify,
 *    duplicates numbered _1, _2..., ids already on the page taken), so that links to the old site still land;
 *    where GitHub's id differs, an empty element carrying it is kept at the start of the heading, so that links
 *    written GitHub's way land too.
 * Options: `fallbackTitle` (string or function of the file) for pages without title; `slugs`.
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
  /** Whose heading ids: GitHub's (default) or MkDocs'. */
  slugs?: 'github' | 'mkdocs';
}

/** Python-Markdown's toc slugify: NFKD, ASCII only, word characters, spaces and '-' kept, runs of both to one '-'. */
export function mkdocsSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '-');
}

/** Python-Markdown's toc `unique`: "x" taken -> "x_1"; "x_1" taken -> "x_2"; an empty id counts as taken. */
export function mkdocsUnique(id: string, used: Set<string>): string {
  let out = id;
  while (used.has(out) || !out) {
    const m = /^(.*)_([0-9]+)$/.exec(out);
    out = m ? `${m[1]}_${Number(m[2]) + 1}` : `${out}_1`;
  }
  used.add(out);
  return out;
}

const HEADING = /^h[1-6]$/;
const CUSTOM_ID = /[ \t]*\{#([A-Za-z][\w.:-]*)\}[ \t]*$/;

const rehypeHeadings: Plugin<[HeadingsOptions?], Root> = (options = {}) => (tree, file) => {
  const data = pageData(file);
  const slugger = new GithubSlugger();
  const mkdocs = options.slugs === 'mkdocs';
  // MkDocs numbers around every id already on the page (raw HTML ids carry the sanitizer's prefix here).
  const used = new Set<string>();
  if (mkdocs) eachElement(tree, (node) => void (typeof node.properties.id === 'string' && used.add(node.properties.id.replace(/^user-content-/, ''))));
  const aliases: [Element, string][] = [];
  let firstH1: Element | undefined;
  eachElement(tree, (node) => {
    if (!HEADING.test(node.tagName)) return;
    const custom = takeCustomId(node);
    const text = toString(node).replace(/\s+/g, ' ').trim();
    if (custom) {
      node.properties.id = custom;
      used.add(custom);
    } else if (typeof node.properties.id !== 'string' || !node.properties.id) {
      const github = slugger.slug(text);
      node.properties.id = mkdocs ? mkdocsUnique(mkdocsSlug(text), used) : github;
      if (mkdocs && github !== node.properties.id) {
        aliases.push([node, github]);
        // The Markdown export (md/) is read where headings get GitHub's ids: links to this one follow them there.
        if (github) (data.githubIds ??= {})[node.properties.id] = github;
      }
    }
    if (node.tagName === 'h1') {
      if (!firstH1) firstH1 = node;
      else node.tagName = 'h2';
    }
    if (node.tagName === 'h2' || node.tagName === 'h3') {
      data.toc.push({ depth: node.tagName === 'h2' ? 2 : 3, id: String(node.properties.id), text });
    }
    return 'skip';
  });
  // Aliases are added once every heading has its id, so that none takes an id MkDocs gave a later heading.
  for (const [node, alias] of aliases) {
    if (!alias || used.has(alias)) continue;
    used.add(alias);
    node.children.unshift({ type: 'element', tagName: 'span', properties: { id: alias }, children: [] });
  }
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
