/**
 * Resolution of one link target against the Git trees of the loaded repositories. Pure: every fact comes from
 * the RenderContext. rehype-links applies the results to the tree.
 */
import path from 'node:path';
import { lowerIndexOf } from '../catalog/catalog.ts';
import { isMarkdownPath } from '../core/paths.ts';
import { pageHref } from '../catalog/urls.ts';
import { github as forge } from '../forge/github.ts';
import type { RenderContext } from './types.ts';

export const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
export const IMAGE = /\.(png|jpe?g|gif|svg|webp|avif|bmp|ico)$/i;
const FOLDER_PAGES = ['README.md', 'readme.md', 'Readme.md', 'README.markdown', 'README.mdx', 'index.md'];

export interface Target {
  repo: string;
  /** Path in the repository, '' for its root. */
  path: string;
  type: 'blob' | 'tree' | 'commit';
  /** The link's case differed from the tree's: matched case-insensitively. */
  caseFixed?: boolean;
}

export type Resolved =
  /** A page of the bundle. */
  | { kind: 'page'; targetUrl: string; fragment?: string; target: Target }
  /** A file or folder of a loaded repository that is not a page (GitHub URL, or an asset for images). */
  | { kind: 'file'; target: Target; fragment?: string; sha: string }
  /** Nothing in the tree: `path` is where the link pointed. */
  | { kind: 'missing'; repo: string; path: string; fragment?: string; sha: string }
  /** Leave the URL as it is (external, same-page anchor, unparsable). */
  | { kind: 'keep' };

const lowerIndex = lowerIndexOf;

/** MkDocs-style spellings of a Markdown page: "page/", "page.html", "page/index.html", "page" for page.md. */
function markdownVariants(p: string): string[] {
  if (isMarkdownPath(p)) return [];
  const base = p.replace(/\/index\.html?$/i, '').replace(/\.html?$/i, '').replace(/\/+$/, '');
  if (!base) return [];
  return [`${base}.md`, `${base}/README.md`, `${base}/index.md`];
}

/** Finds a path in a repository's tree: exact first, then MkDocs-style page spellings, then ignoring case. */
export function findInTree(ctx: RenderContext, repo: string, p: string): Target | undefined {
  if (p === '') return { repo, path: '', type: 'tree' };
  const tree = ctx.treeOf(repo);
  if (!tree) return undefined;
  const exact = tree.entries.get(p);
  if (exact) return { repo, path: p, type: exact.type };
  for (const alt of markdownVariants(p)) {
    if (tree.entries.get(alt)?.type === 'blob') return { repo, path: alt, type: 'blob' };
  }
  const index = lowerIndex(tree);
  for (const candidate of [p, ...markdownVariants(p)]) {
    const found = index.get(candidate.toLowerCase());
    if (found) return { repo, path: found, type: tree.entries.get(found)!.type, caseFixed: true };
  }
  return undefined;
}

/** The bundle page of a file, or of a folder through its README. */
export function pageOf(ctx: RenderContext, target: Target): string | undefined {
  // A Markdown file, or an OpenAPI document shown as an API reference page.
  if (target.type === 'blob') return isMarkdownPath(target.path) || /\.(ya?ml|json)$/i.test(target.path) ? ctx.pageUrlForFile(target.repo, target.path) : undefined;
  if (target.type !== 'tree') return undefined;
  const prefix = target.path ? `${target.path}/` : '';
  for (const name of FOLDER_PAGES) {
    const url = ctx.pageUrlForFile(target.repo, prefix + name);
    if (url !== undefined) return url;
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits "a/b.md?x=1#frag" into its decoded path and fragment (query dropped: static pages and files). */
export function splitUrl(url: string): { path: string; query: string; fragment?: string } {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? undefined : safeDecode(url.slice(hash + 1));
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf('?');
  return {
    path: safeDecode(q === -1 ? beforeHash : beforeHash.slice(0, q)),
    query: q === -1 ? '' : beforeHash.slice(q),
    fragment: fragment || undefined,
  };
}

/** Repository path of a relative or root-relative link; `..` beyond the root stays at the root, as URLs do. */
export function repoPathOf(fromFile: string, linkPath: string): string {
  const base = linkPath.startsWith('/') ? '/' : `/${path.posix.dirname(fromFile)}`;
  return path.posix.join(base, linkPath).replace(/^\/+/, '').replace(/\/+$/, '');
}

/** A GitHub blob/tree URL of a loaded repository: which path (and ref) it names, if that path exists. */
export function parseGithubUrl(ctx: RenderContext, url: string, raw = false): { target: Target; ref: string; fragment?: string; kind: string } | undefined {
  const location = forge.parseWebUrl(url) ?? (raw ? forge.parseRawUrl(url) : undefined);
  if (!location) return undefined;
  const { repo, segments } = location;
  if (!ctx.treeOf(repo)) return undefined;
  const fragment = location.fragment ? safeDecode(location.fragment) || undefined : undefined;
  // The ref may contain slashes ("feat/x"): try each split, shortest ref first.
  for (let i = 1; i <= segments.length; i++) {
    const p = safeDecode(segments.slice(i).join('/'));
    const tree = ctx.treeOf(repo)!;
    const entry = p === '' ? { type: 'tree' as const } : tree.entries.get(p);
    if (entry) return { target: { repo, path: p, type: entry.type }, ref: segments.slice(0, i).join('/'), fragment, kind: location.kind };
  }
  return undefined;
}

/** Resolves a relative or root-relative link of the page being rendered. */
export function resolveRelative(ctx: RenderContext, url: string): Resolved {
  if (!url || url.startsWith('#') || url.startsWith('//') || SCHEME.test(url)) return { kind: 'keep' };
  const { path: linkPath, fragment } = splitUrl(url);
  if (!linkPath) return { kind: 'keep' }; // "?x" or "?x#y": the page itself
  const p = repoPathOf(ctx.path, linkPath);
  const target = findInTree(ctx, ctx.repo, p);
  if (!target) return { kind: 'missing', repo: ctx.repo, path: p, fragment, sha: ctx.commitSha };
  const page = pageOf(ctx, target);
  if (page !== undefined) return { kind: 'page', targetUrl: page, fragment, target };
  return { kind: 'file', target, fragment, sha: ctx.commitSha };
}

/** The href of a resolved link to a page. */
export function pageLink(ctx: RenderContext, targetUrl: string, fragment?: string): string {
  return pageHref(ctx.pageUrl, targetUrl, fragment);
}

/** GitHub URL of a file or folder at a commit. */
export function githubUrl(repo: string, sha: string, p: string, type: Target['type'] | 'missing', image: boolean, fragment?: string): string {
  const base = type === 'tree' || type === 'commit' ? forge.treeUrl(repo, sha, p) : image ? forge.rawUrl(repo, sha, p) : forge.blobUrl(repo, sha, p);
  return fragment && !image ? `${base}#${encodeURIComponent(fragment)}` : base;
}
