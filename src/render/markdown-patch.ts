/**
 * Source-text surgery for the Markdown export (markdown-page.ts): instead of serialising a changed tree again
 * (mdast-util-to-markdown was seconds of a corpus build), the export copies the author's text and replaces
 * only spans the parser located: a link's or definition's destination, an image, a raw HTML node. What
 * another Markdown parser (Python-Markdown for MkDocs) needs besides is patched in too:
 *  - list items get a content indent of four columns, their continuation lines shifted alike, so that nested
 *    blocks stay nested (CommonMark reads the shifted text the same: the content column moves with them);
 *  - a list right after a paragraph gets a blank line before it;
 *  - a `<` in text that another parser could take for a tag is escaped;
 *  - `1)` list markers become `1.`, an indented closing code fence at the top level starts its line, and a
 *    bare URL (GFM's autolink literal) gets angle brackets (markdown-page.ts): Python-Markdown knows no others;
 *  - a top-level block indented by one to three spaces moves to the margin.
 * Where the text is laid out in a way these patches cannot follow (tabs in a list's indentation, a
 * destination the scanner does not find where the parser saw it), `undefined` tells the caller to serialise.
 */
import type { Root, Nodes, Parent, List, ListItem } from 'mdast';

export interface Edit {
  from: number;
  to: number;
  text: string;
}

/** Offsets of a node in the text it was parsed from. */
export function spanOf(node: Nodes): { from: number; to: number } | undefined {
  const from = node.position?.start.offset;
  const to = node.position?.end.offset;
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** A destination written so that any CommonMark parser reads `url` back. */
export function writeDestination(url: string): string {
  if (url !== '' && /^[^\s<>()\\\u0000-\u001f\u007f]*$/.test(url)) return url;
  return `<${url.replace(/[<>\\]/g, '\\$&').replace(/[\r\n]/g, '')}>`;
}

/** Text for a link label or paragraph, with what Markdown would read as syntax escaped. */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>&!#|~]/g, '\\$&');
}

function skipSpace(text: string, i: number, end: number, newline: boolean): number {
  let seenNewline = false;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t') i++;
    else if (newline && !seenNewline && (c === '\n' || c === '\r')) {
      seenNewline = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else break;
  }
  return i;
}

/** The end of the destination starting at `i` (exclusive), or -1. */
function destinationEnd(text: string, i: number, end: number): number {
  if (text[i] === '<') {
    for (let j = i + 1; j < end; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '\n' || c === '<') return -1;
      else if (c === '>') return j + 1;
    }
    return -1;
  }
  let depth = 0;
  let j = i;
  for (; j < end; j++) {
    const c = text[j]!;
    if (c === '\\') j++;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c <= ' ') break;
  }
  return j;
}

function titleEnd(text: string, i: number, end: number): number {
  const open = text[i];
  const close = open === '"' ? '"' : open === "'" ? "'" : open === '(' ? ')' : undefined;
  if (!close) return -1;
  for (let j = i + 1; j < end; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === close) return j + 1;
  }
  return -1;
}

/** Reads a destination as the parser does: without the angle brackets, escapes and entities kept. */
function looksLike(raw: string, url: string): boolean {
  const bare = raw.startsWith('<') ? raw.slice(1, -1) : raw;
  return bare === url || ((bare.includes('\\') || bare.includes('&')) && bare.length >= url.length - 1);
}

/**
 * Where the destination of an inline link or image `[..](dest "title")` stands in `text[from, to)`: the
 * first `](` after which a destination reading `url`, an optional title and `)` end the node.
 */
export function inlineDestination(text: string, from: number, to: number, url: string): { from: number; to: number; labelEnd: number } | undefined {
  if (text[to - 1] !== ')') return undefined;
  for (let at = text.indexOf('](', from); at !== -1 && at < to; at = text.indexOf('](', at + 1)) {
    const start = skipSpace(text, at + 2, to, true);
    const end = destinationEnd(text, start, to);
    if (end < 0) continue;
    let k = skipSpace(text, end, to, true);
    if (k < to - 1) {
      const t = titleEnd(text, k, to);
      if (t < 0) continue;
      k = skipSpace(text, t, to, true);
    }
    if (k === to - 1 && looksLike(text.slice(start, end), url)) return { from: start, to: end, labelEnd: at };
  }
  return undefined;
}

/** Where the destination of a definition `[label]: dest "title"` stands. */
export function definitionDestination(text: string, from: number, to: number, url: string): { from: number; to: number } | undefined {
  let i = from + 1;
  for (; i < to; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ']') break;
  }
  if (text[i + 1] !== ':') return undefined;
  const start = skipSpace(text, i + 2, to, true);
  const end = destinationEnd(text, start, to);
  if (end <= start || !looksLike(text.slice(start, end), url)) return undefined;
  return { from: start, to: end };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The last line holding some of the node. An unclosed fenced code block ends at the start of the next line in
 * micromark's positions, and a list item ending with one after the next item's marker: go by the content.
 */
function lastLine(node: Nodes, text: string, starts: number[]): number {
  const start = node.position!.start.line;
  const last = 'children' in node ? node.children.at(-1) : undefined;
  if (last?.position) return Math.max(start, lastLine(last, text, starts));
  const end = node.position!.end;
  if (end.line > start && text.slice(starts[end.line - 1]!, end.offset).trim() === '') return end.line - 1;
  return end.line;
}

/**
 * The edits that give every list item of the tree a four-column content indent and a blank line before a
 * list that follows a paragraph; undefined when tabs make columns ambiguous.
 */
export function layoutEdits(tree: Root, text: string): Edit[] | undefined {
  const starts = lineStarts(text);
  const edits: Edit[] = [];
  let ok = true;
  const item = (node: ListItem) => {
    const first = node.children[0];
    const start = node.position?.start;
    const end = node.position?.end;
    if (!first?.position || !start || !end || start.offset === undefined) return;
    if (first.position.start.line !== start.line) return;
    const width = first.position.start.column - start.column;
    if (width >= 4) return;
    const markerLine = text.slice(starts[start.line - 1]!, first.position.start.offset);
    if (markerLine.includes('\t')) return void (ok = false);
    const pad = 4 - width;
    edits.push({ from: first.position.start.offset!, to: first.position.start.offset!, text: ' '.repeat(pad) });
    const column = start.column - 1;
    const last = lastLine(node, text, starts);
    for (let line = start.line + 1; line <= last; line++) {
      const lineStart = starts[line - 1]!;
      const lineEnd = line < starts.length ? starts[line]! - 1 : text.length;
      const content = text.slice(lineStart, lineEnd);
      if (content.trim() === '') continue;
      let p = 0;
      while (p < column && (content[p] === ' ' || content[p] === '>' || content[p] === '\t')) {
        if (content[p] === '\t') return void (ok = false);
        p++;
      }
      edits.push({ from: lineStart + p, to: lineStart + p, text: ' '.repeat(pad) });
    }
  };
  const walk = (node: Nodes) => {
    if (node.type === 'listItem') item(node);
    // Python-Markdown reads only `1.` as an ordered list marker.
    if (node.type === 'listItem' && node.position?.start.offset !== undefined) {
      const marker = /^\d{1,9}\)/.exec(text.slice(node.position.start.offset, node.position.start.offset + 10));
      if (marker) edits.push({ from: node.position.start.offset + marker[0].length - 1, to: node.position.start.offset + marker[0].length, text: '.' });
    }
    // ... and a closing code fence only at the start of its line.
    if (node.type === 'code' && node.position?.start.column === 1 && node.position.end.offset !== undefined) {
      const lineStart = starts[node.position.end.line - 1]!;
      const indent = /^ {1,3}(?=`{3,}|~{3,})/.exec(text.slice(lineStart, node.position.end.offset));
      if (indent && node.position.end.line > node.position.start.line) edits.push({ from: lineStart, to: lineStart + indent[0].length, text: '' });
    }
    if (!('children' in node)) return;
    const parent = node as Parent;
    if (parent.type === 'root' || parent.type === 'blockquote') {
      for (let i = 1; i < parent.children.length; i++) {
        const before = parent.children[i - 1]!;
        const list = parent.children[i]! as List;
        if (list.type !== 'list' || before.type !== 'paragraph' || !list.position || !before.position) continue;
        if (list.position.start.line !== before.position.end.line + 1) continue;
        const lineStart = starts[list.position.start.line - 1]!;
        const prefix = text.slice(lineStart, list.position.start.offset).replace(/[^>]/g, '');
        edits.push({ from: lineStart, to: lineStart, text: `${prefix}\n` });
      }
    }
    for (const child of parent.children) walk(child);
  };
  walk(tree);
  // A block indented by one to three spaces is the same block to CommonMark, not to Python-Markdown (a
  // fence, a heading): its lines move to the margin. Lists keep their place (their items are shifted above).
  for (const block of tree.children) {
    const start = block.position?.start;
    if (!start || block.type === 'list' || start.column === 1 || start.offset === undefined) continue;
    if (!/^ {1,3}$/.test(text.slice(starts[start.line - 1]!, start.offset))) continue;
    for (let line = start.line; line <= lastLine(block, text, starts); line++) {
      const spaces = /^ */.exec(text.slice(starts[line - 1]!, starts[line - 1]! + start.column - 1))![0].length;
      if (spaces) edits.push({ from: starts[line - 1]!, to: starts[line - 1]! + spaces, text: '' });
    }
  }
  return ok ? edits : undefined;
}

/** Escapes each `<` of the text nodes that another parser could read as the start of a tag. */
export function textEdits(tree: Root, text: string): Edit[] {
  const edits: Edit[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'text') {
      const span = spanOf(node);
      if (!span) return;
      for (let i = text.indexOf('<', span.from); i !== -1 && i < span.to; i = text.indexOf('<', i + 1)) {
        if (!/[A-Za-z/!?]/.test(text[i + 1] ?? '')) continue;
        let slashes = 0;
        while (text[i - 1 - slashes] === '\\') slashes++;
        if (slashes % 2 === 0) edits.push({ from: i, to: i, text: '\\' });
      }
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return edits;
}

/**
 * The text with the edits made; edits that replace text must not overlap one another (an insertion may sit
 * at the edge of a replaced span, and goes before it). Undefined when two replacements overlap.
 */
export function applyEdits(text: string, edits: Edit[]): string | undefined {
  const sorted = edits
    .map((e, n) => ({ ...e, n }))
    .sort((a, b) => a.from - b.from || (a.to - a.from) - (b.to - b.from) || a.n - b.n);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.from < at) {
      if (e.from === e.to) continue;
      return undefined;
    }
    out += text.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + text.slice(at);
}

/**
 * Edits putting `next` in place of `value`, whose lines stand in `written` (at `from`) after a prefix each, the
 * indent or `>` of a list item or block quote: one edit a line, so that the prefixes can be shifted too.
 */
export function inContainer(written: string, from: number, value: string, next: string): Edit[] | undefined {
  const lines = written.split('\n');
  const was = value.split('\n');
  const now = next.split('\n');
  if (lines.length !== was.length || now.length !== was.length) return undefined;
  const edits: Edit[] = [];
  let at = from;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.endsWith(was[i]!)) return undefined;
    const start = at + line.length - was[i]!.length;
    if (was[i] !== now[i]) edits.push({ from: start, to: at + line.length, text: now[i]! });
    at += line.length + 1;
  }
  return edits;
}
