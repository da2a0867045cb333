/** Markdown helpers shared by the release-notes parser and the GitHub-release converter. */
import type { Heading, Nodes, Root } from 'mdast';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { github as forge } from '../forge/github.ts';
import type { Item, PullRequestRef } from './types.ts';

/** Source text split once, so that mdast positions can be turned back into the text as written. */
export class SourceText {
  readonly text: string;
  readonly lines: string[];
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];

  constructor(raw: string) {
    this.text = normaliseNewlines(raw);
    this.lines = this.text.split('\n');
    this.lineStarts = [];
    let offset = 0;
    for (const line of this.lines) {
      this.lineStarts.push(offset);
      offset += line.length + 1;
    }
  }

  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }

  /** Lines first..last (1-based, inclusive) as written. */
  slice(first: number, last: number): string {
    return this.lines.slice(first - 1, last).join('\n');
  }
}

export function normaliseNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

const processor = unified().use(remarkParse).use(remarkGfmLean);

export function parseMarkdown(source: SourceText): Root {
  return processor.parse(source.text);
}

export function startLine(node: Nodes): number {
  return node.position?.start.line ?? 0;
}

export function endLine(node: Nodes): number {
  return node.position?.end.line ?? startLine(node);
}

/**
 * Last line that holds some of the node. An unclosed fenced code block ends at the start of the next
 * line in micromark's positions; that line belongs to the next block.
 */
export function lastLine(node: Nodes, source: SourceText): number {
  // A list item that ends with such a block ends after the next item's marker: go by its content.
  const last = 'children' in node ? (node.children.at(-1) as Nodes | undefined) : undefined;
  if (last?.position) return Math.max(startLine(node), lastLine(last, source));
  const end = node.position?.end;
  if (!end) return startLine(node);
  if (end.line > startLine(node) && source.line(end.line).slice(0, end.column - 1).trim() === '') return end.line - 1;
  return end.line;
}

/** Heading text as written: ATX marks and closing sequence removed, inline Markdown kept. */
export function headingSource(heading: Heading, source: SourceText): string {
  const first = startLine(heading);
  const line = source.line(first);
  if (/^ {0,3}#/.test(line)) {
    return line
      .replace(/^ {0,3}#{1,6}(?=\s|$)/, '')
      .replace(/(?:^|\s+)#+\s*$/, '')
      .trim();
  }
  // Setext heading: every line but the underline.
  return source.lines
    .slice(first - 1, endLine(heading) - 1)
    .map((l) => l.trim())
    .join(' ');
}

/**
 * A pull request number (`\d{0,8}` below): at most nine digits, so that it is exact as a JSON number; a longer
 * one is no pull request (no repository has a billion) and stays text. The digits are used as written.
 */
/** The "(#123)" the release-notes generator appends to every item; "(#12, #13)" too. */
const BARE_REFS = /\((#[1-9]\d{0,8}(?:\s*,\s*#[1-9]\d{0,8})*)\)/g;
const LINE_END_REFS = /\((#[1-9]\d{0,8}(?:\s*,\s*#[1-9]\d{0,8})*)\)[ \t]*$/gm;
const REF_NUMBERS = /#([1-9]\d{0,8})/g;

export function pullRequestFromUrl(url: string): PullRequestRef | null {
  const location = forge.parsePullRequestUrl(url);
  return location ? pullRequest(location.repo, location.digits) : null;
}

/** `digits`: the number as written in the notes. */
function pullRequest(repo: string, digits: string): PullRequestRef {
  return { repo, number: Number(digits), url: pullUrl(repo, digits) };
}

export function pullUrl(repo: string, digits: string): string {
  return forge.pullRequestUrl(repo, digits);
}

interface Edit {
  offset: number;
  length: number;
  replacement: string;
}

/** Pull requests an item mentions, and the edits that turn its bare "(#N)" refs into links. */
function findPullRequests(node: Nodes, source: SourceText, defaultRepo: string): { refs: PullRequestRef[]; edits: Edit[] } {
  const found: { offset: number; ref: PullRequestRef }[] = [];
  const edits: Edit[] = [];
  const bare = (digits: string): PullRequestRef => pullRequest(defaultRepo, digits);

  /** Bare refs of raw source starting at `base`, skipping the ranges in `masked`; all are linked. */
  const scanBare = (raw: string, base: number, masked: Array<[number, number]>): void => {
    for (const group of raw.matchAll(BARE_REFS)) {
      const at = base + (group.index ?? 0);
      if (masked.some(([from, to]) => at < to && at + group[0].length > from)) continue;
      for (const ref of (group[1] as string).matchAll(REF_NUMBERS)) {
        const offset = at + 1 + (ref.index ?? 0);
        const digits = ref[1] as string;
        found.push({ offset, ref: bare(digits) });
        edits.push({ offset, length: ref[0].length, replacement: `[#${digits}](${pullUrl(defaultRepo, digits)})` });
      }
    }
  };

  /**
   * Paragraphs and headings are scanned as source, not node by node: the autolink-literal transform of
   * remark-gfm leaves the text nodes it splits without positions.
   */
  const scanPhrasing = (container: Nodes): void => {
    const start = container.position?.start.offset;
    const end = container.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const masked: Array<[number, number]> = [];
    const walk = (n: Nodes): void => {
      const from = n.position?.start.offset;
      const to = n.position?.end.offset;
      if (n.type === 'link') {
        const ref = pullRequestFromUrl(n.url);
        if (ref) found.push({ offset: from ?? start, ref });
      }
      if (['link', 'linkReference', 'inlineCode', 'html', 'image', 'imageReference', 'footnoteReference'].includes(n.type)) {
        if (from !== undefined && to !== undefined) masked.push([from, to]);
        return;
      }
      if ('children' in n) for (const child of n.children) walk(child as Nodes);
    };
    walk(container);
    scanBare(source.text.slice(start, end), start, masked);
  };

  // The generator appends "(#N)" to every line, so blocks that Markdown does not parse (code, HTML,
  // definitions) swallow refs: they are recognised there but not rewritten, a link would not render.
  const scanOpaque = (n: Nodes): void => {
    const start = n.position?.start.offset;
    const end = n.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const raw = source.text.slice(start, end);
    for (const { url, index } of forge.pullRequestUrlsIn(raw)) {
      const ref = pullRequestFromUrl(url);
      if (ref) found.push({ offset: start + index, ref });
    }
    // Only at line ends, where the generator put them: "(#123)</li>" inside pasted HTML is another repo's.
    for (const group of raw.matchAll(LINE_END_REFS)) {
      const at = start + (group.index ?? 0);
      for (const ref of (group[1] as string).matchAll(REF_NUMBERS)) found.push({ offset: at, ref: bare(ref[1] as string) });
    }
  };

  const walkBlocks = (n: Nodes): void => {
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'tableCell') scanPhrasing(n);
    else if (n.type === 'code' || n.type === 'html' || n.type === 'definition') scanOpaque(n);
    else if ('children' in n) for (const child of n.children) walkBlocks(child as Nodes);
  };
  walkBlocks(node);

  const refs: PullRequestRef[] = [];
  const seen = new Set<string>();
  for (const { ref } of found.sort((a, b) => a.offset - b.offset)) {
    const key = `${ref.repo.toLowerCase()}#${ref.number}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(ref);
  }
  return { refs, edits };
}

/** Lines whose line break ends a soft-wrapped paragraph line, i.e. can be joined with the next one. */
function softBreakLines(node: Nodes): Set<number> {
  const joins = new Set<number>();
  const walk = (n: Nodes): void => {
    if (n.type === 'blockquote' || n.type === 'code' || n.type === 'html') return;
    if (n.type === 'paragraph') {
      const hard = new Set<number>();
      for (const child of n.children) if (child.type === 'break') hard.add(startLine(child));
      for (let l = startLine(n); l < endLine(n); l++) if (!hard.has(l)) joins.add(l);
      return;
    }
    if ('children' in n) for (const child of n.children) walk(child as Nodes);
  };
  walk(node);
  return joins;
}

/**
 * One item from a list item (or from any block kept as an item): its source text with the list marker
 * and the item's indentation removed, wrapped paragraph lines joined, bare "(#N)" refs linked.
 */
export function extractItem(node: Nodes, source: SourceText, defaultRepo: string): Item {
  const line = startLine(node);
  const first: Nodes | undefined = node.type === 'listItem' ? (node.children[0] as Nodes | undefined) : node;
  if (!first?.position || !node.position) {
    return { markdown: '', pullRequests: [], line };
  }
  const fromLine = first.position.start.line;
  const toLine = Math.max(fromLine, lastLine(node, source));
  const indent = first.position.start.column - 1;
  const { refs, edits } = findPullRequests(node, source, defaultRepo);

  const regionStart = source.lineStarts[fromLine - 1] ?? 0;
  let region = source.slice(fromLine, toLine);
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) {
    const at = edit.offset - regionStart;
    region = region.slice(0, at) + edit.replacement + region.slice(at + edit.length);
  }
  const lines = region.split('\n').map((text, i) => (i === 0 ? text.slice(indent) : dedent(text, indent)));

  const joins = softBreakLines(node);
  let markdown = '';
  lines.forEach((text, i) => {
    const lineNo = fromLine + i;
    if (i === 0) markdown = text;
    else if (joins.has(lineNo - 1)) markdown = `${markdown.trimEnd()} ${text.trimStart()}`;
    else markdown = `${trimEndUnlessHardBreak(markdown)}\n${text}`;
  });
  return { markdown: markdown.trimEnd(), pullRequests: refs, line };
}

function dedent(text: string, indent: number): string {
  let i = 0;
  while (i < indent && i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(i);
}

/** Trailing spaces are noise the generator left, except two or more that make a hard break. */
function trimEndUnlessHardBreak(text: string): string {
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (/\S {2,}$/.test(lastLine)) return text;
  return text.replace(/[ \t]+$/, '');
}
