/**
 * GitHub Flavored Markdown, as remark-gfm adds it (same syntax, same options, same trees), except that the
 * pass that turns bare URLs and e-mail addresses in text into links runs only on a tree that has a candidate.
 *
 * mdast-util-gfm-autolink-literal looks for them after parsing with four patterns, each a full walk of the
 * tree that builds an ancestors list at every node: about 0.9 s for the corpus, where 5 of 420 pages have a
 * text node that passes the check below (most URLs are link destinations, or already links). Every pattern
 * needs, in one text node outside a link or link reference (which the pass leaves alone), `http://`,
 * `https://` or `www.` in any case, or an `@` before a domain with a dot (`@gen3/ui` has none): one plain walk
 * finds out.
 * Options: those of remark-gfm.
 */
import type { Root } from 'mdast';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Options } from 'remark-gfm';
import type { Processor } from 'unified';
import { someText } from './walk.ts';

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

export default function remarkGfmLean(this: Processor, options?: Options | null): undefined {
  const settings = options ?? {};
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfm(settings));
  // Only the literal autolinks' extension has transforms; should another one get some, it keeps them as they are.
  const fromMarkdown = gfmFromMarkdown().map((extension) =>
    extension.transforms && extension.enter && 'literalAutolink' in extension.enter ? { ...extension, transforms: extension.transforms.map(guarded) } : extension,
  );
  (data.fromMarkdownExtensions ??= []).push(fromMarkdown);
  (data.toMarkdownExtensions ??= []).push(gfmToMarkdown(settings));
}
