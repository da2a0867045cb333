/**
 * The URL scheme of the bundle. Page URLs are out-relative folder URLs ("services/fence/docs/setup/"); each
 * page is written to <url>index.html. Hrefs between pages are relative and name index.html explicitly, so the
 * bundle works under any base path and straight from disk.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { MARKDOWN_EXTENSION } from '../core/paths.ts';
import { github as forge } from '../forge/github.ts';

const FOLDER_PAGES = ['readme', 'index'];

/** "docs/setup.md" -> "docs/setup/"; "docs/README.md" -> "docs/"; "README.md" -> "". */
export function pagePathFor(repoPath: string): string {
  const withoutExt = repoPath.replace(MARKDOWN_EXTENSION, '');
  const segments = withoutExt.split('/');
  const last = segments[segments.length - 1]!;
  if (FOLDER_PAGES.includes(last.toLowerCase())) segments.pop();
  // ".md" or "...md" would leave an empty, "." or ".." segment: a URL that lands on another page or above it.
  const safe = segments.map((s) => (/^\.*$/.test(s) ? `_${s}` : s));
  return safe.length ? `${safe.join('/')}/` : '';
}

/**
 * Bounds of the names the build writes. File systems refuse a name over 255 bytes (NAME_MAX) and a path over
 * 4,096 (PATH_MAX, the out folder included); the build adds to the names it makes ("-2" for a second claimant,
 * ".md" in the Markdown export, "index.html"), so both stay well below.
 */
export const MAX_NAME_BYTES = 200;
export const MAX_PATH_BYTES = 1000;
const HASH_CHARS = 12;

const byteLength = (text: string) => Buffer.byteLength(text);
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, HASH_CHARS);

/** The longest start of `text` that fits in `max` UTF-8 bytes, cut between characters. */
function truncateBytes(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}

/**
 * A file or folder name of at most `max` UTF-8 bytes. A longer one keeps its start and its extension, with a
 * short hash of the whole name between, so two long names that start alike still differ.
 */
export function boundedName(name: string, max = MAX_NAME_BYTES): string {
  if (byteLength(name) <= max) return name;
  const extension = /\.[A-Za-z0-9]{1,12}$/.exec(name)?.[0] ?? '';
  const hash = shortHash(name);
  const stem = truncateBytes(name.slice(0, name.length - extension.length), max - extension.length - hash.length - 1);
  return `${stem}-${hash}${extension}`;
}

/**
 * An out-relative path ("services/x/docs/a/b/", "assets/files/1a2b-x.png") that can be written: each segment a
 * bounded name, and the whole at most MAX_PATH_BYTES. Past that, the deepest folders fold into one segment
 * named by the last one and a short hash of the whole path. Ordinary paths come back unchanged.
 */
export function boundedPath(p: string): string {
  const slash = p.endsWith('/') ? '/' : '';
  const segments = (slash ? p.slice(0, -1) : p).split('/').map((s) => boundedName(s));
  const joined = `${segments.join('/')}${slash}`;
  if (byteLength(joined) <= MAX_PATH_BYTES) return joined;
  const last = segments[segments.length - 1]!;
  const extension = slash ? '' : (/\.[A-Za-z0-9]{1,12}$/.exec(last)?.[0] ?? '');
  const folded = `${truncateBytes(last.slice(0, last.length - extension.length), 60)}-${shortHash(p)}${extension}`;
  const kept: string[] = [];
  let bytes = byteLength(folded) + slash.length;
  for (const segment of segments.slice(0, -1)) {
    if (bytes + byteLength(segment) + 1 > MAX_PATH_BYTES) break;
    kept.push(segment);
    bytes += byteLength(segment) + 1;
  }
  return `${[...kept, folded].join('/')}${slash}`;
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
  return /^https:\/\/[^/\\]/i.test(meta.htmlUrl) ? meta.htmlUrl : forge.repositoryUrl(meta.fullName);
}
