/**
 * A linear pre-check of Markdown source, run before remark sees it. micromark needs up to ~100 µs per block,
 * link or container, is quadratic in nested brackets and in emphasis delimiters of one paragraph, and recurses
 * on deep nesting. A hostile or generated page (50,000 nested quotes, a megabyte of links) would stall the build
 * for minutes or blow the stack, so a page over these limits is shown as preformatted source, with a warning.
 *
 * The cost is an estimate in units of roughly 100 µs of rendering at worst; the limits are far above any page
 * of the Gen3 repositories (the largest costs about 8,000 units) and keep the worst page to a few seconds.
 */

export interface ComplexityLimits {
  /** Blockquote and list markers opening one line ("> > - 1. x"). */
  containerDepth: number;
  /** Unclosed "[" or "(" in one paragraph. */
  bracketDepth: number;
  /** Estimated cost of the whole page. */
  cost: number;
}

export const DEFAULT_COMPLEXITY_LIMITS: ComplexityLimits = {
  containerDepth: 32,
  bracketDepth: 64,
  cost: 60_000,
};

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Characters that may start an inline construct, and parentheses: each is a unit of work for the parser. */
const COUNTED = new Uint8Array(128);
for (const c of '[]`*_~<>&|!\\:@()') COUNTED[c.charCodeAt(0)] = 1;

export interface Complexity {
  cost: number;
  /** Why the source is too complex to render, with the line; undefined when it is within the limits. */
  problem?: string;
}

export function measureComplexity(text: string, limits: ComplexityLimits = DEFAULT_COMPLEXITY_LIMITS): Complexity {
  let fence: string | undefined;
  let brackets = 0;
  let parens = 0;
  let runs = 0;
  let cost = text.length / 64;
  let lineNo = 0;
  let start = 0;
  // Emphasis delimiters are matched against every earlier one of their paragraph: quadratic.
  const endParagraph = () => {
    cost += (runs * runs) / 4000;
    brackets = parens = runs = 0;
  };
  const over = (): Complexity | undefined =>
    cost > limits.cost ? { cost, problem: `line ${lineNo}: too complex to render (estimated cost over ${limits.cost})` } : undefined;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;

    const open = FENCE.exec(line);
    if (fence !== undefined) {
      cost += 0.2;
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && /^\s*$/.test(line.slice(open[0].length))) fence = undefined;
      continue;
    }

    // Leading containers and indentation: every open container is continued on every line.
    let depth = 0;
    let indent = 0;
    let i = 0;
    for (;; i++) {
      const c = line[i];
      if (c === ' ') indent++;
      else if (c === '\t') indent += 4 - (indent % 4);
      else if (c === '>') depth++;
      else if ((c === '-' || c === '+' || c === '*') && (line[i + 1] === ' ' || line[i + 1] === '\t')) depth++;
      else if (c !== undefined && c >= '0' && c <= '9') {
        const m = /^\d{1,9}[.)](?=[ \t])/.exec(line.slice(i, i + 11));
        if (!m) break;
        depth++;
        i += m[0].length - 1;
      } else break;
      if (depth > limits.containerDepth) return { cost, problem: `line ${lineNo}: more than ${limits.containerDepth} nested blockquotes or lists` };
    }
    // A list item or quote costs about twice a link; a heading about as much as a link.
    cost += 2 * depth + indent / 4 + (line[i] === '#' ? 1 : 0);
    if (open) {
      endParagraph();
      fence = open[1]!;
      continue;
    }
    if (/^\s*$/.test(line.slice(i))) {
      // A blank line ends the paragraph: brackets and delimiters do not pair across it.
      cost += 0.1;
      endParagraph();
      continue;
    }
    cost += 1;

    // By character code: this loop sees every character of every page.
    for (let j = i; j < line.length; j++) {
      const code = line.charCodeAt(j);
      if (code === 0x77 && line.startsWith('ww.', j + 1)) cost += 1; // GFM autolink literal
      if (code >= 128 || !COUNTED[code]) continue;
      const c = line[j]!;
      cost += 1;
      if (c === '\\') j++;
      else if (c === '[') brackets++;
      else if (c === ']') brackets = Math.max(0, brackets - 1);
      else if (c === '(') parens++;
      else if (c === ')') parens = Math.max(0, parens - 1);
      else if ((c === '*' || c === '_') && line[j - 1] !== c) runs++;
      if (brackets > limits.bracketDepth || parens > limits.bracketDepth) {
        return { cost, problem: `line ${lineNo}: more than ${limits.bracketDepth} unclosed brackets or parentheses` };
      }
    }
    const problem = over();
    if (problem) return problem;
  }
  endParagraph();
  return over() ?? { cost };
}
