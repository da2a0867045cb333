/**
 * The URL scheme of the bundle. Page URLs are out-relative folder URLs ("services/fence/docs/setup/"); each
 * page is written to <url>index.html. Hrefs between pages are relative and name index.html explicitly, so the
 * bundle works under any base path and straight from disk.
 */
import path from 'node:path';

const MARKDOWN = /\.(md|markdown|mdx)$/i;
const FOLDER_PAGES = ['readme', 'index'];

export function isMarkdownPath(p: string): boolean {
  return MARKDOWN.test(p);
}

/** "docs/setup.md" -> "docs/setup/"; "docs/README.md" -> "docs/"; "README.md" -> "". */
export function pagePathFor(repoPath: string): string {
  const withoutExt = repoPath.replace(MARKDOWN, '');
  const segments = withoutExt.split('/');
  const last = segments[segments.length - 1]!;
  if (FOLDER_PAGES.includes(last.toLowerCase())) segments.pop();
  // ".md" or "...md" would leave an empty, "." or ".." segment: a URL that lands on another page or above it.
  const safe = segments.map((s) => (/^\.*$/.test(s) ? `_${s}` : s));
  return safe.length ? `${safe.join('/')}/` : '';
}

/** The file that holds a page: "services/fence/" -> "services/fence/index.html". */
export function pageFile(url: string): string {
  return `${url}index.html`;
}

/** Percent-encodes each segment so names with spaces, '#', '?', '%' or non-ASCII stay valid URLs. */
export function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Relative href from one page (folder URL) to a file or page in the bundle. */
export function relativeHref(fromUrl: string, toPath: string): string {
  const fromDir = fromUrl.replace(/[^/]*$/, '');
  let rel = path.posix.relative(`/${fromDir}`, `/${toPath}`);
  if (toPath.endsWith('/') || toPath === '') rel = rel ? `${rel}/` : '';
  return encodePath(rel);
}

/** Relative href from one page to another page, naming index.html so that file:// browsing works. */
export function pageHref(fromUrl: string, toUrl: string, fragment?: string): string {
  const href = relativeHref(fromUrl, pageFile(toUrl));
  return fragment ? `${href}#${encodeURIComponent(fragment).replace(/%2F/gi, '/')}` : href;
}

/** A repository's own page: the source's html_url when it is https: (sources keep only their forge's), else built from the name. */
export function repositoryUrl(meta: { fullName: string; htmlUrl: string }): string {
  return /^https:\/\/[^/\\]/i.test(meta.htmlUrl) ? meta.htmlUrl : `https://github.com/${meta.fullName}`;
}

/** GitHub URLs pinned to a commit. */
export function githubBlobUrl(repo: string, sha: string, filePath: string): string {
  return `https://github.com/${repo}/blob/${sha}/${encodePath(filePath)}`;
}
export function githubTreeUrl(repo: string, sha: string, folder: string): string {
  return folder ? `https://github.com/${repo}/tree/${sha}/${encodePath(folder)}` : `https://github.com/${repo}/tree/${sha}`;
}
export function githubRawUrl(repo: string, sha: string, filePath: string): string {
  return `https://raw.githubusercontent.com/${repo}/${sha}/${encodePath(filePath)}`;
}
export function githubEditUrl(repo: string, branch: string, filePath: string): string {
  return `https://github.com/${repo}/edit/${encodePath(branch)}/${encodePath(filePath)}`;
}
