/**
 * What a rendered page depended on besides its own text: every question its renderer asked about the rest of
 * the bundle (is this path in the tree, which page is that file, where did this image go). A cached render is
 * reused only while every recorded question still gets the same answer, so a page is rendered again exactly
 * when its input or what its links point to changed.
 *
 * The page's own commit sha is not recorded: it only appears in pinned GitHub URLs, and a reused render gets
 * the new sha substituted (see reuseRendered), so a commit elsewhere in the repository does not re-render it.
 */
import { lowerIndexOf, type RepoTree } from '../catalog/catalog.ts';
import type { TreeEntry } from '../sources/types.ts';
import type { RenderContext, RenderedPage } from './types.ts';

/** [question, repo, path, answer]; answers are strings or null so the list survives JSON. */
export type Dependency = [kind: 'page' | 'entry' | 'lower' | 'tree' | 'commit' | 'branch' | 'asset', repo: string, path: string, answer: string | null];

/** A tree whose reads are recorded. Iterating it depends on the whole tree, recorded as its commit. */
function recordingTree(tree: RepoTree, repo: string, own: boolean, deps: Dependency[]): RepoTree {
  const entries = tree.entries;
  const whole = () => deps.push(['tree', repo, '', tree.commitSha]);
  const recorded = {
    get(path: string): TreeEntry | undefined {
      const entry = entries.get(path);
      deps.push(['entry', repo, path, entry?.type ?? null]);
      return entry;
    },
    has(path: string): boolean {
      const entry = entries.get(path);
      deps.push(['entry', repo, path, entry?.type ?? null]);
      return entry !== undefined;
    },
    get size() {
      whole();
      return entries.size;
    },
    keys() {
      whole();
      return entries.keys();
    },
    values() {
      whole();
      return entries.values();
    },
    entries() {
      whole();
      return entries.entries();
    },
    forEach(fn: (value: TreeEntry, key: string, map: Map<string, TreeEntry>) => void) {
      whole();
      entries.forEach(fn);
    },
    [Symbol.iterator]() {
      whole();
      return entries[Symbol.iterator]();
    },
  } as unknown as Map<string, TreeEntry>;
  const lower = lowerIndexOf(tree);
  return {
    // A case-insensitive lookup depends on that one key, not on the whole tree.
    lower: {
      get(key: string) {
        const found = lower.get(key);
        deps.push(['lower', repo, key, found ?? null]);
        return found;
      },
    },
    get commitSha() {
      if (!own) deps.push(['commit', repo, '', tree.commitSha]);
      return tree.commitSha;
    },
    get defaultBranch() {
      deps.push(['branch', repo, '', tree.defaultBranch]);
      return tree.defaultBranch;
    },
    entries: recorded,
  };
}

/** Wraps a render context so that every answer it gives is recorded in `deps`. */
export function recordingContext(ctx: RenderContext, deps: Dependency[]): RenderContext {
  const own = ctx.repo.toLowerCase();
  const trees = new Map<string, RepoTree | undefined>();
  return {
    repo: ctx.repo,
    path: ctx.path,
    commitSha: ctx.commitSha,
    pageUrl: ctx.pageUrl,
    pageUrlForFile(repo, filePath) {
      const url = ctx.pageUrlForFile(repo, filePath);
      deps.push(['page', repo, filePath, url ?? null]);
      return url;
    },
    treeOf(repo) {
      const key = repo.toLowerCase();
      if (!trees.has(key)) {
        const tree = ctx.treeOf(repo);
        if (!tree) deps.push(['tree', repo, '', null]);
        trees.set(key, tree && recordingTree(tree, repo, key === own, deps));
      }
      return trees.get(key);
    },
    async publishAsset(repo, filePath) {
      const name = await ctx.publishAsset(repo, filePath);
      deps.push(['asset', repo, filePath, name ?? null]);
      return name;
    },
  };
}

/**
 * Asks the recorded questions again of the current bundle. Images are published again on the way (that is
 * what a reused render needs). True when every answer is unchanged.
 */
export async function dependenciesHold(deps: readonly Dependency[], ctx: RenderContext): Promise<boolean> {
  for (const [kind, repo, path, answer] of deps) {
    let now: string | null;
    if (kind === 'page') now = ctx.pageUrlForFile(repo, path) ?? null;
    else if (kind === 'entry') now = ctx.treeOf(repo)?.entries.get(path)?.type ?? null;
    else if (kind === 'lower') {
      const tree = ctx.treeOf(repo);
      now = (tree && lowerIndexOf(tree).get(path)) ?? null;
    }
    else if (kind === 'tree') now = ctx.treeOf(repo)?.commitSha ?? null;
    else if (kind === 'commit') now = ctx.treeOf(repo)?.commitSha ?? null;
    else if (kind === 'branch') now = ctx.treeOf(repo)?.defaultBranch ?? null;
    else now = (await ctx.publishAsset(repo, path)) ?? null;
    if (now !== answer) return false;
  }
  return true;
}

/** A cached render made at another commit of the same file: the pinned GitHub URLs move to the new commit. */
export function reuseRendered(page: RenderedPage, commitSha: string): RenderedPage {
  if (page.commit === commitSha) return page;
  const swap = (s: string) => s.split(page.commit).join(commitSha);
  return {
    ...page,
    html: swap(page.html),
    sourceUrl: swap(page.sourceUrl),
    commit: commitSha,
    crossLinks: page.crossLinks.map((l) => ({ ...l, href: swap(l.href) })),
    ...(page.markdown ? { markdown: { ...page.markdown, body: swap(page.markdown.body) } } : {}),
  };
}
