/**
 * Fenced code blocks found in Markdown source by lines, without parsing: for the forecasts made before a page
 * renders (which images it will publish, which diagrams it will draw) and for pointing at a block's line.
 * CommonMark's rules for fences: up to three spaces of indentation, three or more backticks or tildes (an
 * info string after backticks holds none), closed by a run of the same character at least as long with
 * nothing after it, or by the end of the document.
 */

export interface FencedBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string, trimmed ("mermaid", "js title=x"). */
  info: string;
  /** The block's lines with the opening fence's indentation removed, as the rendered `<code>` holds them. */
  body: string[];
}

const OPEN = /^( {0,3})(`{3,}(?=[^`]*$)|~{3,})(.*)$/;
const CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** The fenced blocks of a Markdown text, and its lines outside them. */
export function scanFences(markdown: string): { blocks: FencedBlock[]; outside: string[] } {
  const blocks: FencedBlock[] = [];
  const outside: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) {
      outside.push(lines[i]!);
      continue;
    }
    const fence = open[2]!;
    // The body loses as much indentation as the opening fence had.
    const indent = open[1] ? new RegExp(`^ {0,${open[1].length}}`) : undefined;
    const block: FencedBlock = { line: i + 1, info: open[3]!.trim(), body: [] };
    for (i++; i < lines.length; i++) {
      const close = CLOSE.exec(lines[i]!)?.[1];
      if (close && close[0] === fence[0] && close.length >= fence.length) break;
      block.body.push(indent ? lines[i]!.replace(indent, '') : lines[i]!);
    }
    blocks.push(block);
  }
  return { blocks, outside };
}

/** The language a block's info string names: its first word, lower-cased, as the renderer reads it. */
export function fenceLanguage(block: FencedBlock): string {
  return block.info.split(/\s+/, 1)[0]!.toLowerCase();
}
