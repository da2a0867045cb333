/**
 * remark plugin: MkDocs admonitions (`!!! note "Title"`, Python-Markdown `admonition`) and collapsible blocks
 * (`??? note`, `???+ note`, pymdownx `details`), rendered as MkDocs Material renders them. The syntax is a
 * micromark extension (mkdocs-admonition-syntax.ts), the tree an mdast one (mkdocs-admonition-mdast.ts); this
 * registers both and reports lines that look like a block's first line but are not one (two spaces after the
 * marker, a title with no class, nesting past `maxDepth`): those stay text, as in MkDocs, with a message
 * `mkdocs-dialect:admonition-malformed` pointing at each (at most 10 a page, then a count).
 *
 * Options: { admonition?: boolean, details?: boolean, maxDepth?: number }, as for mkdocsAdmonitionSyntax.
 */
import type { Root, Text } from 'mdast';
import type { Processor } from 'unified';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import { DEFAULT_MAX_DEPTH, mkdocsAdmonitionSyntax, type MkdocsAdmonitionSyntaxOptions } from './mkdocs-admonition-syntax.ts';
import { mkdocsAdmonitionFromMarkdown, mkdocsAdmonitionToMarkdown } from './mkdocs-admonition-mdast.ts';

export type RemarkMkdocsAdmonitionsOptions = MkdocsAdmonitionSyntaxOptions;

const MESSAGE_LIMIT = 10;

export default function remarkMkdocsAdmonitions(this: Processor, options: RemarkMkdocsAdmonitionsOptions = {}) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(mkdocsAdmonitionSyntax(options));
  (data.fromMarkdownExtensions ??= []).push(mkdocsAdmonitionFromMarkdown());
  (data.toMarkdownExtensions ??= []).push(mkdocsAdmonitionToMarkdown());
  const markers: string[] = [];
  if (options.admonition !== false) markers.push('!!!');
  if (options.details !== false) markers.push('???');
  if (!markers.length) return undefined;
  const looksLikeMarker = new RegExp(`^[ \\t]{0,3}(?:${markers.map((m) => m.replace(/[?!]/g, '\\$&')).join('|')})(?![!?])`);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  return (tree: Root, file: VFile) => reportMalformed(tree, file, looksLikeMarker, maxDepth);
}

/** A first line MkDocs would take: a marker, at most one space, classes, an optional quoted title. */
const CLASSES = String.raw`[\p{L}\p{N}\p{M}_-]+(?:[ \t]+[\p{L}\p{N}\p{M}_-]+)*`;
const WELL_FORMED = new RegExp(String.raw`^[ \t]*(?:(?:!!!|\?\?\?\+?)[ \t]?${CLASSES}(?:[ \t]+".*")?|\?\?\?\+?[ \t]+".*")[ \t]*$`, 'u');

/** Lines of paragraphs (never code) that start like a block but did not parse as one. */
function reportMalformed(tree: Root, file: VFile, looksLikeMarker: RegExp, maxDepth: number): void {
  let count = 0;
  visit(tree, 'paragraph', (paragraph) => {
    paragraph.children.forEach((child, index) => {
      if (child.type !== 'text' || !child.position) return;
      // Only text at a line start: the paragraph's first child, or after a line break inside the text.
      const lines = child.value.split('\n');
      lines.forEach((line, i) => {
        if (i === 0 && index !== 0 && !endsWithBreak(paragraph.children[index - 1])) return;
        if (!looksLikeMarker.test(line)) return;
        count++;
        if (count > MESSAGE_LIMIT) return;
        const shown = `\`${line.trim().slice(0, 40)}\``;
        const reason = WELL_FORMED.test(line)
          ? `${shown} is nested more than ${maxDepth} blocks deep (or indented past column ${4 * maxDepth}); it is shown as text`
          : `${shown} is not an admonition: write \`!!! type "Title"\` (one space after the marker, a class before the title) with the body indented four spaces; it is shown as text`;
        const place = { line: child.position!.start.line + i, column: i === 0 ? child.position!.start.column : 1 };
        file.message(reason, { place, ruleId: 'admonition-malformed', source: 'mkdocs-dialect' });
      });
    });
  });
  if (count > MESSAGE_LIMIT) {
    file.message(`${count - MESSAGE_LIMIT} more lines look like admonitions but are not; shown as text`, {
      ruleId: 'admonition-malformed',
      source: 'mkdocs-dialect',
    });
  }
}

function endsWithBreak(node: Root['children'][number] | Text | undefined): boolean {
  return node?.type === 'break';
}
