/** Pure helpers on repository paths that sources, catalog and render all apply the same way. */

/** File names the bundle treats as Markdown pages. */
export const MARKDOWN_EXTENSION = /\.(md|markdown|mdx)$/i;

export function isMarkdownPath(p: string): boolean {
  return MARKDOWN_EXTENSION.test(p);
}
