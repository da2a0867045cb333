/** Where each page goes in the Markdown export (out/md/); the exported pages link to each other by these paths. */
import path from 'node:path';

export const MD_DIR = 'md';
export const MD_ASSETS_DIR = `${MD_DIR}/assets`;

const FOLDER_PAGE = /^(readme|index)\.(md|markdown|mdx)$/i;

/** The exported file of a page, relative to out/: "md/services/fence/docs/setup.md" or ".../index.md". */
export function markdownPathFor(page: { url: string; doc: { path: string } }): string {
  const url = page.url.replace(/\/$/, '');
  if (url === '' || FOLDER_PAGE.test(path.posix.basename(page.doc.path))) return `${MD_DIR}/${url ? `${url}/` : ''}index.md`;
  return `${MD_DIR}/${url}.md`;
}

/** A link from one exported file to another, relative, with the characters a Markdown destination reads safely kept. */
export function relativeMarkdownLink(fromFile: string, toFile: string): string {
  return path.posix
    .relative(path.posix.dirname(fromFile), toFile)
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%3D/g, '='))
    .join('/');
}
