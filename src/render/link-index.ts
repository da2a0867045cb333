/**
 * The part of the catalog a renderer asks about, as plain data: it crosses into worker threads by structured
 * clone, where the catalog's Maps and closures cannot go.
 */
import type { RepoTree } from '../catalog/catalog.ts';
import type { TreeEntry } from '../sources/types.ts';
import { oldSiteLookup, type OldSite } from '../catalog/site-urls.ts';

export interface LinkIndex {
  /** ["owner/name\0path" lower-cased repo, page URL] */
  pages: [string, string][];
  /** [repo, commit, default branch, [path, type][]] */
  trees: [string, string, string, [string, TreeEntry['type']][]][];
  /** The guides' old site and its paths. */
  oldSite?: OldSite;
}

const fileKey = (repo: string, filePath: string) => `${repo.toLowerCase()}\0${filePath}`;

export function makeLinkIndex(pages: Iterable<{ repo: string; path: string; url: string }>, trees: Iterable<[string, RepoTree]>, oldSite?: OldSite): LinkIndex {
  return {
    ...(oldSite && { oldSite }),
    pages: [...pages].map((p) => [fileKey(p.repo, p.path), p.url]),
    trees: [...trees].map(([repo, tree]) => [repo, tree.commitSha, tree.defaultBranch, [...tree.entries.values()].map((e) => [e.path, e.type])]),
  };
}

/** Lookups over a LinkIndex, the same answers the catalog gives. */
export function linkIndexLookups(index: LinkIndex): {
  pageUrlForFile(repo: string, filePath: string): string | undefined;
  pageForOldSiteUrl(url: string): { targetUrl: string; fragment?: string } | undefined;
  treeOf(repo: string): RepoTree | undefined;
} {
  const pages = new Map(index.pages);
  const trees = new Map<string, RepoTree>();
  for (const [repo, commitSha, defaultBranch, entries] of index.trees) {
    trees.set(repo.toLowerCase(), {
      commitSha,
      defaultBranch,
      entries: new Map(entries.map(([p, type]) => [p, { path: p, type, mode: '', sha: '' }])),
    });
  }
  return {
    pageUrlForFile: (repo, filePath) => pages.get(fileKey(repo, filePath)),
    pageForOldSiteUrl: oldSiteLookup(index.oldSite),
    treeOf: (repo) => trees.get(repo.toLowerCase()),
  };
}
