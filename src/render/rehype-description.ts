/**
 * Description: plain text for the page's meta description and listings. `frontMatterDescription` in file.data
 * when given, else the text of the first top-level paragraph that has words in it (badges-only paragraphs and
 * alert titles skipped), whitespace collapsed, cut at a word boundary to at most `maxLength` characters (default
 * 200) with an ellipsis. Stored in `file.data.page.description`; the tree is not changed.
 */
import type { Root, Element } from 'hast';
import type { Plugin } from 'unified';
import { toString } from 'hast-util-to-string';
import { pageData } from './page-data.ts';

export interface DescriptionOptions {
  maxLength?: number;
}

export function truncateAtWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.\-–—]+$/, '')}…`;
}

const rehypeDescription: Plugin<[DescriptionOptions?], Root> = (options = {}) => (tree, file) => {
  const max = options.maxLength ?? 200;
  const given = file.data.frontMatterDescription;
  let text = given ?? '';
  if (!given) {
    for (const node of tree.children) {
      if (node.type !== 'element' || node.tagName !== 'p') continue;
      const t = toString(node as Element).replace(/\s+/g, ' ').trim();
      if (/[\p{L}\p{N}]{2,}/u.test(t)) {
        text = t;
        break;
      }
    }
  }
  pageData(file).description = truncateAtWord(text, max);
};

export default rehypeDescription;
