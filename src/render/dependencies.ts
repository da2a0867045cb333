/**
 * What a rendered page depended on besides its own text: every question its renderer asked about the rest of
 * the bundle (is this path in the tree, which page is that file, where did this image go). A cached render is
 * reused only while every recorded question still gets the same answer, so a page is rendered again exactly
 * when its input or what its links point to changed.
 *
 * Commit shas only appear in pinned GitHub URLs, so a moved commit does not re-render a page: the page's own
 * sha is not recorded, and another repository's is recorded only to swap it (see reuseRendered). A commit
 * elsewhere in a repository re-renders just the pages whose own text or link answers changed.
 */
import { lowerIndexOf, type RepoTree } from '../catalog/catalog.ts';
import type { TreeEntry } from '../sources/types.ts';
import type { RenderContext, RenderedPage } from './types.ts';

/** [question, repo, path, answer]; answers are strings or null so the list survives JSON. */
export type Dependency = [kind: 'page' | 'entry' | 'lower' | 'tree' | 'commit' | 'branch' | 'asset' | 'site', repo: string, path: string, answer: string | null];

/** The answer to an old-site question as one string, so that it can be recorded and compared. */
const siteAnswer = (found: { targetUrl: string; fragment?: string } | undefined) => (found ? `${found.targetUrl}#${found.fragment ?? ''}` : null);

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
    dialect: ctx.dialect,
    pageUrlForFile(repo, filePath) {
      const url = ctx.pageUrlForFile(repo, filePath);
      deps.push(['page', repo, filePath, url ?? null]);
      return url;
    },
    pageForOldSiteUrl(url) {
      const found = ctx.pageForOldSiteUrl?.(url);
      deps.push(['site', '', url, siteAnswer(found)]);
      return found;
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

/** Old commit sha -> new one, for other repositories whose commit moved since a page was rendered. */
export type MovedCommits = Map<string, string>;

/**
 * Asks the recorded questions again of the current bundle. Images are published again on the way (that is
 * what a reused render needs). Undefined when an answer changed; otherwise the commits of other repositories
 * that moved: the render only pinned GitHub URLs to them, so it stays valid with the shas swapped (reuseRendered).
 */
export async function dependenciesHold(deps: readonly Dependency[], ctx: RenderContext): Promise<MovedCommits | undefined> {
  const moved: MovedCommits = new Map();
  for (const [kind, repo, path, answer] of deps) {
    let now: string | null;
    if (kind === 'page') now = ctx.pageUrlForFile(repo, path) ?? null;
    else if (kind === 'entry') now = ctx.treeOf(repo)?.entries.get(path)?.type ?? null;
    else if (kind === 'lower') {
      const tree = ctx.treeOf(repo);
      now = (tree && lowerIndexOf(tree).get(path)) ?? null;
    }
    else if (kind === 'tree') now = ctx.treeOf(repo)?.commitSha ?? null;
    else if (kind === 'commit') {
      now = ctx.treeOf(repo)?.commitSha ?? null;
      if (now !== null && answer !== null && now !== answer) {
        moved.set(answer, now);
        continue;
      }
    }
    else if (kind === 'site') now = siteAnswer(ctx.pageForOldSiteUrl?.(path));
    else if (kind === 'branch') now = ctx.treeOf(repo)?.defaultBranch ?? null;
    else now = (await ctx.publishAsset(repo, path)) ?? null;
    if (now !== answer) return undefined;
  }
  return moved;
}

/**
 * A cached render made at other commits: the pinned GitHub URLs move to the page's new commit and to the new
 * commits of the other repositories it pinned (`moved`). One pass, so that no swapped sha is swapped again.
 */
export function reuseRendered(page: RenderedPage, commitSha: string, moved: MovedCommits = new Map()): RenderedPage {
  const swaps = new Map(moved);
  if (page.commit !== commitSha) swaps.set(page.commit, commitSha);
  if (swaps.size === 0) return page;
  const pattern = new RegExp([...swaps.keys()].map((sha) => sha.replace(/[^0-9A-Za-z]/g, '\\$&')).join('|'), 'g');
  const swap = (s: string) => s.replace(pattern, (sha) => swaps.get(sha)!);
  return {
    ...page,
    html: swap(page.html),
    sourceUrl: swap(page.sourceUrl),
    commit: commitSha,
    crossLinks: page.crossLinks.map((l) => ({ ...l, href: swap(l.href) })),
    ...(page.markdown ? { markdown: { ...page.markdown, body: swap(page.markdown.body) } } : {}),
  };
}

/**
 * The cached render of `doc`, made valid for the current bundle, or undefined when the page must be rendered
 * again: an answer changed, or the page's own text names a commit that moved (a link at that exact commit
 * was compared with the head, not only pinned, so swapping it would be wrong).
 */
export async function reuseIfValid(cached: { page: RenderedPage; deps: readonly Dependency[] }, doc: { text: string; commitSha: string }, ctx: RenderContext): Promise<RenderedPage | undefined> {
  const moved = await dependenciesHold(cached.deps, ctx);
  if (!moved) return undefined;
  const oldShas = [...moved.keys(), ...(cached.page.commit !== doc.commitSha ? [cached.page.commit] : [])];
  if (oldShas.some((sha) => doc.text.includes(sha))) return undefined;
  return reuseRendered(cached.page, doc.commitSha, moved);
}
