/**
 * A content source reading repositories through the GitHub API (@octokit/rest with the throttling and retry
 * plugins).
 *
 * Requests per repository: the repository and its head commit (GET /repos/{o}/{r} and GET .../branches/{default},
 * or GET .../commits/{ref} for an explicit ref); GET .../tags when asked (every page, the pages after the first
 * at once); GET .../git/trees/{commit}?recursive=1; one GET .../git/blobs/{sha} per selected document. With a
 * token, one GraphQL query answers the first three for up to 100 repositories (see prefetch), with the newest
 * 100 tags by commit date instead of every tag (github-graphql.ts), and the documents come up to a hundred to
 * a query (github-texts.ts). Timeouts, retries, ETags, rate limit: github-transport.ts; errors: github-errors.ts.
 *
 * With a cache (see cache.ts): REST GETs carry If-None-Match and a 304 is answered from the cache (GitHub
 * does not count 304s against the rate limit); a repository whose head commit is the cached one reuses the
 * cached tree; blobs are read by sha from the cache. When a repository fails, its last good cached copy is
 * returned marked `freshness: 'stale'`, unless the failure is fatal for the whole build (rejected token,
 * exhausted rate limit whose reset is too far away).
 *
 * Tags carry no `date`: GET .../tags does not return one (a snapshot's tags.json does). With a token, the
 * page files' last-change dates come from GraphQL and are cached with the tree (github-dates.ts).
 *
 * A truncated tree (GitHub caps recursive trees at 100,000 entries / 7 MB) is reported through onWarning
 * and `treeTruncated`, and the documents of the partial tree are still loaded, unless the option
 * `truncatedTree: 'error'` makes it fail the repository instead.
 */
import type { CachedRepo, CachedSelection } from './cache.ts';
import { deferredContent, selectionCurrent, selectionFits, selectionKey, selectionOf } from './github-deferred.ts';
import { treeDocuments } from './documents.ts';
import { githubErrors } from './github-errors.ts';
import { githubBlobs } from './github-blobs.ts';
import { dateTree } from './github-dates.ts';
import { GRAPHQL_BATCH, graphqlBatches, graphqlQuery, graphqlUrlFor, type Head } from './github-graphql.ts';
import { allPages } from './github-pages.ts';
import { createOctokit } from './github-transport.ts';
import { DEFAULT_GITHUB_API_URL, DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS, DEFAULT_TIMEOUT_MS } from './github-types.ts';
import type { GitHubSettings, GitHubSource, GitHubSourceOptions, GitHubState, GitHubStats } from './github-types.ts';
import { allOrFirstError } from '../core/concurrency.ts';
import {
  assertSafeRepoPath,
  blobAt,
  forgeWebOrigin,
  isRepoName,
  parseRepoName,
  releaseFromApi,
  repoMetaFromApi,
  tagFromApi,
  treeFromApi,
  trustedRelease,
  trustedRepoMeta,
  type MissingFile,
} from './shared.ts';
import { SourceError, type ApiRelease, type LoadOptions, type RepoContent, type RepoMeta, type RepositoryRequest, type Tag, type TreeEntry } from './types.ts';

export { graphqlUrlFor } from './github-graphql.ts';
export { pageOfLink } from './github-pages.ts';
export * from './github-types.ts';

export function createGitHubSource(options: GitHubSourceOptions = {}): GitHubSource {
  const baseUrl = (options.baseUrl ?? (process.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL)).replace(/\/+$/, '');
  /** Where the repositories' own pages are: URLs in answers are kept only when they point there. */
  const webOrigin = forgeWebOrigin(baseUrl);
  const graphqlUrl = options.graphqlUrl ?? (process.env.GITHUB_GRAPHQL_URL || graphqlUrlFor(baseUrl));
  const token = options.token ?? (process.env.GITHUB_TOKEN || undefined);
  const tokenSource = options.token !== undefined ? 'the configured token' : 'GITHUB_TOKEN';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const retries = Math.max(0, options.retries ?? 3);
  const retryBaseMs = Math.max(0, options.retryBaseMs ?? 1000);
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS;
  const useGraphql = token !== undefined && options.graphql !== false;
  const batchSize = Math.min(GRAPHQL_BATCH, Math.max(1, options.graphqlBatchSize ?? GRAPHQL_BATCH));
  const cache = options.cache;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const stats: GitHubStats = {
    requests: 0,
    byStatus: {},
    byKind: { rest: 0, graphql: 0, conditional: 0, notModified: 0, blobs: 0, trees: 0, retries: 0, heldBack: 0 },
    bytes: 0,
    rateLimit: {},
    repositories: { fresh: 0, cached: 0, stale: 0 },
  };
  const missing: MissingFile[] = [];
  const warnings: string[] = [];
  /** Heads and metadata learned in bulk (GraphQL batches, organisation listings), by lower-case "owner/name". */
  const known = new Map<string, Head>();

  function warn(message: string): void {
    warnings.push(message);
    options.onWarning?.(message);
  }
  const settings: GitHubSettings = { baseUrl, graphqlUrl, token, tokenSource, timeoutMs, concurrency, retries, retryBaseMs, maxWait, cache, fetch: baseFetch };
  const state: GitHubState = { stats, fatal: undefined, warn };
  const octokit = createOctokit(settings, state);
  const failures = githubErrors(settings, state);
  const batches = graphqlBatches({ octokit, failures, graphqlUrl, batchSize, known, webOrigin, warn, listedMeta });
  const ask = (what: string, query: string) => graphqlQuery(octokit, failures, graphqlUrl, what, query);
  const { getBlob, prefetchBlob, prefetchTexts } = githubBlobs({ octokit, failures, state, cache, ask: useGraphql ? ask : undefined });

  async function fetchMeta(repo: string, owner: string, name: string): Promise<RepoMeta> {
    const response = await failures.call(
      repo,
      'repository',
      () => octokit.rest.repos.get({ owner, repo: name }),
      (url) => `repository ${repo} was not found (404) at ${url}: check the name in sources.json${failures.privateHint()}`,
    );
    const meta = repoMetaFromApi(response.data);
    if (!meta) throw failures.unexpected(repo, 'repository', response.url);
    return trustedRepoMeta(repo, meta, webOrigin);
  }

  async function fetchCommitSha(repo: string, owner: string, name: string, meta: RepoMeta, ref: string | undefined): Promise<string> {
    if (ref === undefined || ref === meta.defaultBranch) {
      const branch = meta.defaultBranch;
      const response = await failures.call(
        repo,
        `branch ${branch}`,
        () => octokit.rest.repos.getBranch({ owner, repo: name, branch }),
        (url) => `the default branch "${branch}" of ${repo} was not found (404) at ${url}: the repository may be empty`,
      );
      const sha = (response.data as { commit?: { sha?: unknown } }).commit?.sha;
      if (typeof sha !== 'string') throw failures.unexpected(repo, `branch ${branch}`, response.url);
      return sha;
    }
    // The sha media type answers with the bare commit sha instead of the whole commit and its diff.
    const response = await failures.call(
      repo,
      `ref ${ref}`,
      () => octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo: name, ref, headers: { accept: 'application/vnd.github.sha' } }),
      (url) => `ref "${ref}" of ${repo} was not found (404) at ${url}: check \`ref\` in sources.json`,
    ).catch((error: unknown) => {
      // GitHub answers 422 "No commit found for SHA" for a ref that names nothing.
      if (error instanceof SourceError && error.status === 422) {
        throw new SourceError(`ref "${ref}" of ${repo} names no branch, tag or commit (422): check \`ref\` in sources.json`, repo, 422);
      }
      throw error;
    });
    const data: unknown = response.data;
    const sha = typeof data === 'string' ? data.trim() : (data as { sha?: unknown } | null)?.sha;
    if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) throw failures.unexpected(repo, `ref ${ref}`, response.url);
    return sha;
  }

  async function fetchTree(repo: string, owner: string, name: string, commitSha: string): Promise<FetchedTree> {
    const response = await failures.call(
      repo,
      'tree',
      () => octokit.rest.git.getTree({ owner, repo: name, tree_sha: commitSha, recursive: '1' }),
      (url) => `the tree of commit ${commitSha} of ${repo} was not found (404) at ${url}`,
    );
    const tree = treeFromApi(response.data);
    if (!tree) throw failures.unexpected(repo, 'tree', response.url);
    return tree;
  }

  function checkTruncated(repo: string, commitSha: string, tree: { tree: TreeEntry[]; truncated: boolean }): void {
    if (!tree.truncated) return;
    const message = `GitHub truncated the tree of ${repo} at ${commitSha} (${tree.tree.length} entries returned): documents outside the returned part are missing`;
    if (options.truncatedTree === 'error') throw new SourceError(`${message}; narrow the repository or build from a snapshot`, repo);
    warn(message);
  }

  async function fetchTags(repo: string, owner: string, name: string): Promise<Tag[]> {
    const raw = await failures.call(repo, 'tags', () => allPages(octokit, failures, repo, 'tags', 'GET /repos/{owner}/{repo}/tags', { owner, repo: name }));
    return raw.map((item) => {
      const tag = tagFromApi(item);
      if (!tag) throw failures.unexpected(repo, 'tags', `${baseUrl}/repos/${repo}/tags`);
      return tag;
    });
  }

  /** The repository's metadata and the commit to read, from a GraphQL batch or through REST. */
  async function resolveHead(request: RepositoryRequest, owner: string, name: string): Promise<{ meta: RepoMeta; commitSha: string }> {
    const repo = request.repo;
    const head = known.get(repo.toLowerCase());
    if (head?.headSha && (request.ref === undefined || request.ref === head.meta.defaultBranch)) return { meta: head.meta, commitSha: head.headSha };
    const meta = head?.meta ?? (await fetchMeta(repo, owner, name));
    return { meta, commitSha: await fetchCommitSha(repo, owner, name, meta, request.ref) };
  }

  /**
   * The repository at its current head. With `selection` (kept by an earlier load, see github-deferred.ts) that
   * fits the head, a deferred content whose tree and texts `complete` reads; else the complete content.
   */
  async function loadCurrent(request: RepositoryRequest, asked: Asked, selection?: CachedSelection, complete?: () => Promise<RepoContent>): Promise<RepoContent> {
    const repo = request.repo;
    const { owner, name } = parseRepoName(repo);
    const { meta, commitSha } = await asked.head();
    const tagsRequest = asked.tags();
    const key = cache ? selectionKey(request, useGraphql) : '';
    // The tags are awaited only for a kept selection of this commit: otherwise the tree is asked for beside them.
    if (selection && complete && selectionFits(selection, key, commitSha)) {
      const tags = await tagsRequest;
      if (selectionCurrent(selection, meta, tags)) return deferredContent({ request, meta, ref: request.ref ?? meta.defaultBranch, commitSha, tags, selection, complete });
    }
    const cached = await asked.record();
    // Same head commit: the tree is the same, and so are the selected blobs. A truncated tree is asked
    // again, since truncation may have been a passing fault.
    const reuse = cached && cached.commitSha === commitSha && !cached.treeTruncated ? cached : undefined;
    const treeRequest: Promise<FetchedTree> = reuse
      ? Promise.resolve({ tree: reuse.tree, truncated: false, dropped: reuse.droppedPaths ?? [] })
      : fetchTree(repo, owner, name, commitSha);
    await allOrFirstError<unknown>([treeRequest, tagsRequest]);
    const [tree, tags] = [await treeRequest, await tagsRequest];
    checkTruncated(repo, commitSha, tree);
    const knownMissing = new Set(reuse?.missingBlobs ?? []);
    const missingBlobs: string[] = [];
    const { documents, warnings: fileWarnings, unreadable } = await treeDocuments({
      repo,
      commitSha,
      listed: tree,
      include: request.include,
      exclude: request.exclude,
      read: (entry) => (knownMissing.has(entry.sha) ? Promise.resolve(undefined) : getBlob(repo, entry.sha, entry.path)),
      readAhead: (entries) => prefetchTexts(repo, entries.filter((e) => !knownMissing.has(e.sha))),
      blobSha: 'tree',
      concurrency,
    });
    for (const entry of unreadable) {
      missingBlobs.push(entry.sha);
      missing.push({ repo, path: entry.path });
      warn(`${repo}: ${entry.path} is in the tree but its blob ${entry.sha} was not found (404); skipped`);
    }

    const dated = useGraphql
      ? await dateTree({ repo, owner, name, commitSha, tree: tree.tree, documents, record: cached, warn, ask, explain: (e) => failures.explain(e, repo, 'file dates') })
      : undefined;
    const ref = request.ref ?? meta.defaultBranch;
    const changed =
      !reuse ||
      (dated?.asked ?? 0) > 0 ||
      JSON.stringify(reuse.tags) !== JSON.stringify(tags) ||
      JSON.stringify(reuse.meta) !== JSON.stringify(meta) ||
      missingBlobs.some((sha) => !knownMissing.has(sha));
    if (cache && changed) {
      const next: CachedRepo = { repo, meta, ref, commitSha, tree: tree.tree, treeTruncated: tree.truncated, tags, missingBlobs, savedAt: new Date().toISOString() };
      if (tree.dropped.length) next.droppedPaths = tree.dropped;
      if (dated?.undated.length) next.undated = dated.undated;
      if (request.ref !== undefined) next.requestedRef = request.ref;
      await cache.writeRepo(next);
    }
    // Kept only when a rebuild at this commit would ask nothing more: a whole tree, every date answered.
    if (cache && !tree.truncated && !dated?.failed) {
      const next = selectionOf({ request, key, meta, commitSha, tags, tree: tree.tree, documents, warnings: fileWarnings, unreadable });
      if (JSON.stringify(next) !== JSON.stringify(selection)) await cache.writeSelection(next);
    }
    return {
      meta,
      ref,
      commitSha,
      tree: tree.tree,
      treeTruncated: tree.truncated,
      tags,
      documents,
      freshness: reuse ? 'cached' : 'fresh',
      ...(fileWarnings.length ? { warnings: fileWarnings } : {}),
    };
  }

  /** The cached copy of a repository, with only the blobs the cache holds. */
  async function fromRecord(request: RepositoryRequest, record: CachedRepo): Promise<RepoContent> {
    const repo = request.repo;
    const { documents, warnings: fileWarnings, unreadable } = await treeDocuments({
      repo,
      commitSha: record.commitSha,
      listed: { tree: record.tree, truncated: record.treeTruncated, dropped: record.droppedPaths ?? [] },
      include: request.include,
      exclude: request.exclude,
      read: async (entry) => (record.missingBlobs.includes(entry.sha) ? undefined : cache?.readBlob(entry.sha)),
      blobSha: 'tree',
    });
    for (const entry of unreadable) missing.push({ repo, path: entry.path });
    return {
      meta: trustedRepoMeta(repo, record.meta, webOrigin),
      ref: record.ref,
      commitSha: record.commitSha,
      tree: record.tree,
      treeTruncated: record.treeTruncated,
      tags: request.tags ? record.tags : [],
      documents,
      ...(fileWarnings.length ? { warnings: fileWarnings } : {}),
    };
  }

  async function loadRepository(request: RepositoryRequest, loadOptions?: LoadOptions): Promise<RepoContent> {
    const repo = request.repo;
    const { owner, name } = parseRepoName(repo);
    // Each asked once: completing a deferred content reuses the head and tags it was made of (no request again).
    let [read, head, tags]: [Promise<CachedRepo | undefined>?, Promise<{ meta: RepoMeta; commitSha: string }>?, Promise<Tag[]>?] = [];
    const asked: Asked = {
      record: () => (read ??= cache ? cache.readRepo(repo, request.ref) : Promise.resolve(undefined)),
      head: () => (head ??= resolveHead(request, owner, name)),
      tags: () => (tags ??= request.tags ? Promise.resolve(known.get(repo.toLowerCase())?.tags ?? fetchTags(repo, owner, name)) : Promise.resolve([])),
    };
    const load = async (selection?: CachedSelection, complete?: () => Promise<RepoContent>): Promise<RepoContent> => {
      try {
        return await loadCurrent(request, asked, selection, complete);
      } catch (error) {
        const failure = error instanceof SourceError ? error : failures.explain(error, repo, 'repository');
        const cached = failure.fatal || options.staleFallback === false ? undefined : await asked.record();
        if (!cached) throw failure;
        const stale = await fromRecord(request, cached);
        warn(`${repo}: ${failure.message}; using the cached copy of ${cached.commitSha} saved ${cached.savedAt} (stale)`);
        return { ...stale, freshness: 'stale', staleReason: failure.message };
      }
    };
    const selection = loadOptions?.defer ? await cache?.readSelection(repo, request.ref) : undefined;
    const complete = async () => {
      const full = await load();
      if (full.freshness !== 'cached') { // it was counted as cached when deferred
        stats.repositories.cached -= 1;
        stats.repositories[full.freshness ?? 'fresh'] += 1;
      }
      return full;
    };
    const content = await (selection ? load(selection, complete) : load());
    stats.repositories[content.freshness ?? 'fresh'] += 1;
    return content;
  }

  async function readBlob(content: RepoContent, path: string): Promise<Buffer | undefined> {
    const repo = content.meta.fullName;
    assertSafeRepoPath(repo, path);
    const entry = blobAt(content.tree, path);
    if (!entry) return undefined;
    return getBlob(repo, entry.sha, path);
  }

  /** GET /repos/{o}/{r}/releases, paginated; drafts are left out (the API shows them only to writers). */
  async function listReleases(repo: string): Promise<ApiRelease[]> {
    const { owner, name } = parseRepoName(repo);
    const raw = await failures.call(repo, 'releases', () => allPages(octokit, failures, repo, 'releases', 'GET /repos/{owner}/{repo}/releases', { owner, repo: name }));
    return raw.map((item) => {
      const release = releaseFromApi(item);
      if (!release) throw failures.unexpected(repo, 'releases', `${baseUrl}/repos/${repo}/releases`);
      return trustedRelease(repo, release, webOrigin);
    }).filter((r) => !r.draft);
  }

  /**
   * A repository of an organisation listing, whose name becomes its identity: it must be a well-formed
   * name in that organisation, or it is left out with a warning.
   */
  function listedMeta(org: string, meta: RepoMeta): RepoMeta | undefined {
    const [owner] = meta.fullName.split('/');
    if (!isRepoName(meta.fullName) || owner?.toLowerCase() !== org.toLowerCase()) {
      warn(`repositories of ${org}: ${JSON.stringify(meta.fullName)} is not a repository name of ${org}; left out`);
      return undefined;
    }
    return trustedRepoMeta(meta.fullName, meta, webOrigin);
  }

  async function listOrgRepositories(org: string): Promise<RepoMeta[]> {
    if (!/^[A-Za-z0-9_.-]+$/.test(org)) throw new SourceError(`"${org}" is not an organisation name`, org);
    if (useGraphql) return batches.listOrgRepositories(org);
    const raw = await failures.call(
      org,
      'repositories',
      () => allPages(octokit, failures, org, 'repositories', 'GET /orgs/{org}/repos', { org }),
      (url) => `organisation ${org} was not found (404) at ${url}: check the name${failures.privateHint()}`,
    );
    return raw.flatMap((item) => {
      const reported = repoMetaFromApi(item);
      if (!reported) throw failures.unexpected(org, 'repositories', `${baseUrl}/orgs/${org}/repos`);
      const meta = listedMeta(org, reported);
      if (!meta) return [];
      if (!known.has(meta.fullName.toLowerCase())) known.set(meta.fullName.toLowerCase(), { meta });
      return [meta];
    });
  }

  return {
    kind: 'github',
    baseUrl,
    graphqlUrl,
    authenticated: token !== undefined,
    stats,
    missing,
    warnings,
    loadRepository,
    readBlob,
    prefetchBlob,
    listReleases,
    listOrgRepositories,
    prefetch: (requests) => (useGraphql ? batches.prefetch(requests) : Promise.resolve()),
  };
}

/** What one repository's load asks, each once: its cached record, its head and metadata, its tags. */
type Asked = { record(): Promise<CachedRepo | undefined>; head(): Promise<{ meta: RepoMeta; commitSha: string }>; tags(): Promise<Tag[]> };

/** A recursive tree as read, with the paths left out as unsafe. */
interface FetchedTree {
  tree: TreeEntry[];
  truncated: boolean;
  dropped: { path: string; reason: string }[];
}

export function listOrgRepositories(org: string, options: GitHubSourceOptions = {}): Promise<RepoMeta[]> {
  return createGitHubSource(options).listOrgRepositories(org);
}
