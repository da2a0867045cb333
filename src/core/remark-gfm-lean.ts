/**
 * GitHub Flavored Markdown, as remark-gfm adds it (same syntax, same options, same trees), with less work on
 * documents that cannot use all of it:
 *
 * - **Constructs a document has no mark for are left out of its parse.** micromark tries GFM's table at the start
 *   of every line and its e-mail autolink at the start of every word, each reading ahead before giving up: with
 *   GFM, parsing the corpus took twice as long as CommonMark alone. A table needs a delimiter row (a line of
 *   only `-`, `:`, `|` and spaces, with a `-` and a `:` or `|`, after any `>` and indentation), an e-mail
 *   autolink an `@`, a www autolink `www.` and a protocol one `http:` or `https:`, in any case. micromark reads
 *   the source characters (a character reference is no mark), so a document without them parses the same with
 *   or without the construct. The choice is made per document by the parser remark-parse set, which is why this
 *   plugin comes after remark-parse; used before it, every document gets all of GFM.
 * - **The pass that turns bare URLs and e-mail addresses in text into links runs only on a tree that has a
 *   candidate.** mdast-util-gfm-autolink-literal looks for them after parsing with four patterns, each a full
 *   walk of the tree that builds an ancestors list at every node: about 0.9 s for the corpus, where 5 of 420
 *   pages have a text node that passes the check below (most URLs are link destinations, or already links).
 *   Every pattern needs, in one text node outside a link or link reference (which the pass leaves alone),
 *   `http://`, `https://` or `www.` in any case, or an `@` before a domain with a dot (`@gen3/ui` has none): one
 *   plain walk finds out.
 *
 * Options: those of remark-gfm. It is in core because every stage that reads Markdown parses with it: the API
 * descriptions, the release notes, the pages and the landing text.
 */
import type { Root } from 'mdast';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Options } from 'remark-gfm';
import type { Extension } from 'micromark-util-types';
import type { Processor } from 'unified';
import { someText } from './mdast-text.ts';

type FromMarkdownExtension = ReturnType<typeof gfmFromMarkdown>[number];
type Transform = NonNullable<FromMarkdownExtension['transforms']>[number];

const CANDIDATE = /@[\w-]+\.[\w-]|https?:\/\/|www\./i;

/** Whether some text outside links could be a literal autolink. */
export function mayHoldLiteralAutolink(tree: Root): boolean {
  return someText(
    tree,
    (value) => CANDIDATE.test(value),
    (node) => node.type === 'link' || node.type === 'linkReference',
  );
}

const guarded =
  (transform: Transform): Transform =>
  (tree) =>
    mayHoldLiteralAutolink(tree) ? transform(tree) : undefined;

/** A line that could be a table's delimiter row: after `>` and indentation, only `|`, `:`, `-` and spaces. */
const DELIMITER_ROW_LIKE = /^[ \t>]*[|:-][ \t|:-]*$/gm;

/** Whether `markdown` has a line that could be a table's delimiter row (it needs a `-`, and a `:` or `|`). */
export function mayHoldTable(markdown: string): boolean {
  for (const [line] of markdown.matchAll(DELIMITER_ROW_LIKE)) if (line.includes('-') && (line.includes('|') || line.includes(':'))) return true;
  return false;
}

/** GFM's constructs (by micromark name) that a document can only use if it has their marks. */
const OPTIONAL_CONSTRUCTS: [name: string, usable: (markdown: string) => boolean][] = [
  ['table', mayHoldTable],
  ['emailAutolink', (markdown) => markdown.includes('@')],
  ['wwwAutolink', (markdown) => /www\./i.test(markdown)],
  ['protocolAutolink', (markdown) => /https?:/i.test(markdown)],
];

/** The names of the GFM constructs `markdown` has no mark for. */
export function unusableConstructs(markdown: string): string[] {
  return OPTIONAL_CONSTRUCTS.filter(([, usable]) => !usable(markdown)).map(([name]) => name);
}

/** `extension` without the constructs named in `names`. */
function withoutConstructs(extension: Extension, names: ReadonlySet<string>): Extension {
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [hook, record] of Object.entries(extension) as [string, Record<string, unknown>][]) {
    // Resolvers, attention markers and disabled names have no name and stay.
    const constructs: Record<string, unknown> = {};
    for (const [code, list] of Object.entries(record)) {
      const left = (Array.isArray(list) ? list : [list]).filter((construct: { name?: string }) => !construct.name || !names.has(construct.name));
      if (left.length) constructs[code] = left;
    }
    kept[hook] = constructs;
  }
  return kept as Extension;
}

export default function remarkGfmLean(this: Processor, options?: Options | null): undefined {
  const settings = options ?? {};
  const data = this.data();
  const extensions = (data.micromarkExtensions ??= []);
  const full = gfm(settings);
  const slot = extensions.push(full) - 1;
  const parse = this.parser;
  if (parse) {
    const variants = new Map<string, Extension>([['', full]]);
    this.parser = (document, file) => {
      const left = unusableConstructs(document).join();
      let variant = variants.get(left);
      if (!variant) variants.set(left, (variant = withoutConstructs(full, new Set(left.split(',')))));
      // remark-parse reads the extensions at each parse; the slot is put back so nothing else sees the variant.
      extensions[slot] = variant;
      try {
        return parse(document, file);
      } finally {
        extensions[slot] = full;
      }
    };
  }
  // Only the literal autolinks' extension has transforms; should another one get some, it keeps them as they are.
  const fromMarkdown = gfmFromMarkdown().map((extension) =>
    extension.transforms && extension.enter && 'literalAutolink' in extension.enter ? { ...extension, transforms: extension.transforms.map(guarded) } : extension,
  );
  (data.fromMarkdownExtensions ??= []).push(fromMarkdown);
  (data.toMarkdownExtensions ??= []).push(gfmToMarkdown(settings));
}
