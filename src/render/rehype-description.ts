/**
 * Description: plain text for the page's meta description and listings. `frontMatterDescription` in file.data
 * when given, else the text of the first top-level paragraph that reads as a description (badges-only paragraphs,
 * alert titles, lead-ins ending in ':' and install or usage instructions skipped), whitespace collapsed, cut at a word boundary to at most `maxLength` characters (default
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

/**
 * Whether a paragraph says what something is, rather than introducing what follows ("...such as:") or telling
 * the reader what to do first ("To install it, run", "This repo requires npm v9").
 */
export function readsAsDescription(text: string): boolean {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]{2,}/u.test(t)) return false;
  if (/[:：]$/.test(t)) return false;
  if (/^(to (install|run|use|build|start|deploy|set ?up|get started|develop|test|configure)\b|(first|then|next),|install(ing)?\b|run(ning)?\b|clone\b|please\b|note\b|(the )?reason\b|you (will |may |might )?(need|must|can|should|have)\b|make sure\b|ensure\b)/i.test(t)) return false;
  if (/\brequires? (npm|node|python|poetry|go|docker|yarn|pip)\b|\b(npm|pip|poetry|yarn|brew|apt(-get)?|go) (install|run|get|add)\b/i.test(t)) return false;
  return true;
}

const rehypeDescription: Plugin<[DescriptionOptions?], Root> = (options = {}) => (tree, file) => {
  const max = options.maxLength ?? 200;
  const given = file.data.frontMatterDescription;
  let text = given ?? '';
  if (!given) {
    for (const node of tree.children) {
      if (node.type !== 'element' || node.tagName !== 'p') continue;
      const t = toString(node as Element).replace(/\s+/g, ' ').trim();
      if (readsAsDescription(t)) {
        text = t;
        break;
      }
    }
  }
  pageData(file).description = truncateAtWord(text, max);
};

export default rehypeDescription;
