/**
 * remark plugin: pymdownx `smartsymbols`, which writes typed approximations as the symbols they stand for:
 *
 *   (tm) ™   (c) ©   (r) ®   +/- ±   =/= ≠   c/o ℅   --> →   <-- ←   <--> ↔
 *   1/4 ¼  1/2 ½  3/4 ¾  1/3 ⅓  2/3 ⅔  1/5 ⅕  2/5 ⅖  3/5 ⅗  4/5 ⅘  1/6 ⅙  5/6 ⅚  1/8 ⅛  3/8 ⅜  5/8 ⅝  7/8 ⅞
 *   1st 2nd 3rd 4th 11th 21st ...  ->  the number with the suffix raised: 1<sup>st</sup>
 *
 * With pymdownx's rules: lower case only; `c/o` as a word; fractions not touching other digits; `-->` not after
 * another `-` and `<--` not before one; ordinals as whole words ending in st, nd, rd or th as pymdownx
 * matches them (`11st` included). Only prose changes: text in code, raw HTML, URLs and the text of a bare-URL
 * link is left as written (an mdast transform over text nodes, which code and HTML never are).
 *
 * Options, named as pymdownx names them, each default true: trademark, copyright, registered, plusminus,
 * arrows, notequal, fractions, ordinal_numbers, care_of.
 */
import type { Parent, PhrasingContent, Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Superscript } from './remark-mkdocs-inline-marks.ts';

export interface RemarkMkdocsSmartsymbolsOptions {
  trademark?: boolean;
  copyright?: boolean;
  registered?: boolean;
  plusminus?: boolean;
  arrows?: boolean;
  notequal?: boolean;
  fractions?: boolean;
  ordinal_numbers?: boolean;
  care_of?: boolean;
}

const FRACTIONS: Record<string, string> = {
  '1/4': '¼', '1/2': '½', '3/4': '¾', '1/3': '⅓', '2/3': '⅔', '1/5': '⅕', '2/5': '⅖', '3/5': '⅗',
  '4/5': '⅘', '1/6': '⅙', '5/6': '⅚', '1/8': '⅛', '3/8': '⅜', '5/8': '⅝', '7/8': '⅞',
};
const FIXED: Record<string, string> = { '(tm)': '™', '(c)': '©', '(r)': '®', '+/-': '±', '=/=': '≠', 'c/o': '℅', '<-->': '↔', '-->': '→', '<--': '←' };

/** Each symbol's pattern, in pymdownx's order; the first that matches at a position wins. */
const PATTERNS: Array<[keyof RemarkMkdocsSmartsymbolsOptions, string]> = [
  ['trademark', String.raw`\(tm\)`],
  ['copyright', String.raw`\(c\)`],
  ['registered', String.raw`\(r\)`],
  ['plusminus', String.raw`\+/-`],
  ['arrows', String.raw`<-->|(?<!-)-->|<--(?!-)`],
  ['notequal', '=/='],
  ['fractions', String.raw`(?<!\d)(?:1/4|1/2|3/4|1/3|2/3|1/5|2/5|3/5|4/5|1/6|5/6|1/8|3/8|5/8|7/8)(?!\d)`],
  ['ordinal_numbers', String.raw`\b(?:[1-9]\d*)?(?:(?<=1)[123]th|1st|2nd|3rd|[04-9]th)\b`],
  ['care_of', String.raw`\bc/o\b`],
];

export default function remarkMkdocsSmartsymbols(options: RemarkMkdocsSmartsymbolsOptions = {}) {
  const enabled = PATTERNS.filter(([name]) => options[name] !== false);
  if (!enabled.length) return undefined;
  const pattern = new RegExp(enabled.map(([, source]) => `(?:${source})`).join('|'), 'g');
  return (tree: Root) => {
    visit(tree, 'text', (node, index, parent) => {
      if (!parent || index === undefined || isBareUrlLink(parent, node)) return undefined;
      const replaced = replaceSymbols(node, pattern);
      if (!replaced) return undefined;
      parent.children.splice(index, 1, ...(replaced as typeof parent.children));
      return index + replaced.length;
    });
  };
}

/** The text of `https://example.com/1/2` autolinked: a URL, not prose. */
function isBareUrlLink(parent: Parent, node: Text): boolean {
  if (parent.type !== 'link' || parent.children.length !== 1) return false;
  const url = (parent as Parent & { url: string }).url;
  return url === node.value || url.endsWith(`//${node.value}`) || url === `mailto:${node.value}`;
}

/** The nodes that replace `node`, or undefined when it holds no symbol. */
function replaceSymbols(node: Text, pattern: RegExp): PhrasingContent[] | undefined {
  const out: PhrasingContent[] = [];
  let text = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(node.value); match; match = pattern.exec(node.value)) {
    const found = match[0];
    text += node.value.slice(last, match.index);
    last = match.index + found.length;
    const symbol = FIXED[found] ?? FRACTIONS[found];
    if (symbol) {
      text += symbol;
      continue;
    }
    // An ordinal: the number stays text, its two-letter suffix is raised.
    text += found.slice(0, -2);
    out.push({ type: 'text', value: text });
    const suffix: Superscript = { type: 'superscript', children: [{ type: 'text', value: found.slice(-2) }], data: { hName: 'sup' } };
    out.push(suffix);
    text = '';
  }
  if (last === 0) return undefined;
  text += node.value.slice(last);
  if (text) out.push({ type: 'text', value: text });
  return out.filter((n) => n.type !== 'text' || n.value !== '');
}
