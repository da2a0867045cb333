/**
 * A content source reading repositories through the GitHub REST API (@octokit/rest).
 *
 * Requests per repository: GET /repos/{o}/{r}; the commit (GET .../branches/{default} or, for an explicit
 * ref, GET .../commits/{ref}); GET .../git/trees/{commit}?recursive=1; GET .../tags when asked (paginated);
 * one GET .../git/blobs/{sha} per selected document. Every request has a timeout.
 *
 * Tags carry no `date`: GET .../tags does not return one (a snapshot's tags.json does).
 *
 * A truncated tree (GitHub caps recursive trees at 100,000 entries / 7 MB) is reported through onWarning
 * and `treeTruncated`, and the documents of the partial tree are still loaded, unless the option
 * `truncatedTree: 'error'` makes it fail the repository instead.
 */
import { Octokit } from '@octokit/rest';
import { selectDocuments } from './select.ts';
import {
  assertSafeRepoPath,
  blobSourceUrl,
  decodeText,
  mapLimit,
  parseRepoName,
  releaseFromApi,
  repoMetaFromApi,
  tagFromApi,
  treeFromApi,
  type MissingFile,
} from './shared.ts';
import {
  SourceError,
  type ContentSource,
  type ApiRelease,
  type RepoContent,
  type RepoMeta,
  type RepositoryRequest,
  type SourceDocument,
  type Tag,
  type TreeEntry,
} from './types.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_TIMEOUT_MS = 20_000;
const USER_AGENT = 'gen3-docs-aggregator';

export interface GitHubSourceOptions {
  /** API root; default process.env.GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  /** Default process.env.GITHUB_TOKEN; without one, requests are anonymous (60 an hour on github.com). */
  token?: string;
  /** Limit for each request, from sending to the last byte of the answer. Default 20 s. */
  timeoutMs?: number;
  /** Blob downloads running at once. Default 8. */
  concurrency?: number;
  /** What a truncated recursive tree does: a warning (default) or a SourceError. */
  truncatedTree?: 'warn' | 'error';
  onWarning?: (message: string) => void;
  /** The fetch underneath the timeout wrapper; default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface GitHubStats {
  /** HTTP requests sent, including failed ones. */
  requests: number;
  /** Requests by answer status ("200", "404"...), or "timeout" / "network" when there was no answer. */
  byStatus: Record<string, number>;
}

export interface GitHubSource extends ContentSource {
  readonly kind: 'github';
  readonly baseUrl: string;
  readonly authenticated: boolean;
  readonly stats: GitHubStats;
  /** Selected files listed in the tree whose blob the API did not have (404). */
  readonly missing: MissingFile[];
  readonly warnings: string[];
  /** Every repository of an organisation (GET /orgs/{org}/repos, all pages). */
  listOrgRepositories(org: string): Promise<RepoMeta[]>;
}

/** The reason a request failed before an answer arrived; Octokit keeps it as the `cause` of its error. */
class RequestTimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

// Statuses whose Response must not have a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createGitHubSource(options: GitHubSourceOptions = {}): GitHubSource {
  const baseUrl = (options.baseUrl ?? (process.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL)).replace(/\/+$/, '');
  const token = options.token ?? (process.env.GITHUB_TOKEN || undefined);
  const tokenSource = options.token !== undefined ? 'the configured token' : 'GITHUB_TOKEN';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = options.concurrency ?? 8;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const stats: GitHubStats = { requests: 0, byStatus: {} };
  const missing: MissingFile[] = [];
  const warnings: string[] = [];

  function warn(message: string): void {
    warnings.push(message);
    options.onWarning?.(message);
  }

  function count(key: string): void {
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  }

  // Octokit has no timeout of its own. The body is read here, under the same signal, so a server that
  // sends headers and then stalls is bounded too; the buffered copy is what Octokit parses.
  const timedFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    stats.requests += 1;
    try {
      const response = await baseFetch(input, { ...init, signal });
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      count(String(response.status));
      const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    } catch (error) {
      if (timeout.aborted) {
        count('timeout');
        throw new RequestTimeoutError(url, timeoutMs);
      }
      count('network');
      throw error;
    }
  };

  const silent = () => {};
  const octokit = new Octokit({
    baseUrl,
    ...(token ? { auth: token } : {}),
    userAgent: USER_AGENT,
    request: { fetch: timedFetch },
    // Failures become SourceErrors with more context; Octokit's own error lines would only repeat them.
    log: { debug: silent, info: silent, warn: (message: string) => warn(`GitHub API: ${message}`), error: silent },
  });

  /** Turns any failure of a request into a SourceError that names the repository, the URL and a way out. */
  function explain(error: unknown, repo: string, what: string, notFound?: (url: string) => string): SourceError {
    if (error instanceof SourceError) return error;
    const e = error as {
      status?: number;
      message?: string;
      cause?: unknown;
      request?: { url?: string };
      response?: { headers?: Record<string, string | undefined> };
    };
    const url = e.request?.url ?? baseUrl;
    const cause = e.cause ?? error;
    if (cause instanceof RequestTimeoutError) {
      return new SourceError(
        `${what} of ${repo}: GET ${cause.url} got no answer within ${timeoutMs} ms; GitHub (or GITHUB_API_URL=${baseUrl}) is slow or unreachable: retry, raise the timeout, or build from a snapshot`,
        repo,
      );
    }
    const status = typeof e.status === 'number' ? e.status : undefined;
    const headers = e.response?.headers ?? {};
    if (status === undefined || !e.response) {
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      return new SourceError(
        `${what} of ${repo}: GET ${url} failed without an answer (${reason}); check the network and GITHUB_API_URL (${baseUrl})`,
        repo,
      );
    }
    if (status === 401) {
      return new SourceError(
        `GitHub rejected ${tokenSource} (401 Bad credentials) at ${url} while reading ${repo}: replace the token, or unset GITHUB_TOKEN to read public repositories anonymously`,
        repo,
        401,
      );
    }
    if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])) {
      const reset = Number(headers['x-ratelimit-reset']);
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
      const wait = headers['retry-after'] ? ` (retry after ${headers['retry-after']} s)` : '';
      const advice = token ? 'wait for the reset, or build from a snapshot' : 'set GITHUB_TOKEN for 5,000 requests an hour, wait for the reset, or build from a snapshot';
      return new SourceError(
        `GitHub API rate limit exhausted${when}${wait} at ${url} while reading ${repo} (limit ${headers['x-ratelimit-limit'] ?? '?'}): ${advice}`,
        repo,
        status,
      );
    }
    if (status === 404 && notFound) return new SourceError(notFound(url), repo, 404);
    const message = e.message ? `: ${e.message}` : '';
    return new SourceError(`${what} of ${repo}: GitHub answered ${status} at ${url}${message}`, repo, status);
  }

  /** A private repository looks like a missing one to an anonymous client. */
  function privateHint(): string {
    return token ? '' : ' (or, if it is private, set GITHUB_TOKEN)';
  }

  function unexpected(repo: string, what: string, url: string): SourceError {
    return new SourceError(
      `${what} of ${repo}: the answer of ${url} does not have the shape of GitHub's; is GITHUB_API_URL (${baseUrl}) a GitHub API, and did the answer arrive whole?`,
      repo,
    );
  }

  async function call<T>(repo: string, what: string, run: () => Promise<T>, notFound?: (url: string) => string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw explain(error, repo, what, notFound);
    }
  }

  async function fetchMeta(repo: string, owner: string, name: string): Promise<RepoMeta> {
    const response = await call(
      repo,
      'repository',
      () => octokit.rest.repos.get({ owner, repo: name }),
      (url) => `repository ${repo} was not found (404) at ${url}: check the name in sources.json${privateHint()}`,
    );
    const meta = repoMetaFromApi(response.data);
    if (!meta) throw unexpected(repo, 'repository', response.url);
    return meta;
  }

  async function fetchCommitSha(repo: string, owner: string, name: string, meta: RepoMeta, ref: string | undefined): Promise<string> {
    if (ref === undefined || ref === meta.defaultBranch) {
      const branch = meta.defaultBranch;
      const response = await call(
        repo,
        `branch ${branch}`,
        () => octokit.rest.repos.getBranch({ owner, repo: name, branch }),
        (url) => `the default branch "${branch}" of ${repo} was not found (404) at ${url}: the repository may be empty`,
      );
      const sha = (response.data as { commit?: { sha?: unknown } }).commit?.sha;
      if (typeof sha !== 'string') throw unexpected(repo, `branch ${branch}`, response.url);
      return sha;
    }
    // The sha media type answers with the bare commit sha instead of the whole commit and its diff.
    const response = await call(
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
    if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) throw unexpected(repo, `ref ${ref}`, response.url);
    return sha;
  }

  async function fetchTree(repo: string, owner: string, name: string, commitSha: string): Promise<{ tree: TreeEntry[]; truncated: boolean }> {
    const response = await call(
      repo,
      'tree',
      () => octokit.rest.git.getTree({ owner, repo: name, tree_sha: commitSha, recursive: '1' }),
      (url) => `the tree of commit ${commitSha} of ${repo} was not found (404) at ${url}`,
    );
    const tree = treeFromApi(response.data);
    if (!tree) throw unexpected(repo, 'tree', response.url);
    if (tree.truncated) {
      const message = `GitHub truncated the tree of ${repo} at ${commitSha} (${tree.tree.length} entries returned): documents outside the returned part are missing`;
      if (options.truncatedTree === 'error') throw new SourceError(`${message}; narrow the repository or build from a snapshot`, repo);
      warn(message);
    }
    return tree;
  }

  async function fetchTags(repo: string, owner: string, name: string): Promise<Tag[]> {
    const raw = await call(repo, 'tags', () => octokit.paginate(octokit.rest.repos.listTags, { owner, repo: name, per_page: 100 }));
    return raw.map((item) => {
      const tag = tagFromApi(item);
      if (!tag) throw unexpected(repo, 'tags', `${baseUrl}/repos/${repo}/tags`);
      return tag;
    });
  }

  /** Bytes of a blob; undefined when the API has no such blob (404). */
  async function fetchBlob(repo: string, owner: string, name: string, sha: string, path: string): Promise<Buffer | undefined> {
    let response;
    try {
      response = await octokit.rest.git.getBlob({ owner, repo: name, file_sha: sha });
    } catch (error) {
      if ((error as { status?: number }).status === 404 && (error as { response?: unknown }).response) return undefined;
      throw explain(error, repo, `blob ${sha} (${path})`);
    }
    const { content, encoding } = response.data as { content?: unknown; encoding?: unknown };
    if (typeof content !== 'string') throw unexpected(repo, `blob ${sha} (${path})`, response.url);
    if (encoding === 'base64') return Buffer.from(content, 'base64');
    if (encoding === 'utf-8' || encoding === 'utf8') return Buffer.from(content, 'utf8');
    throw unexpected(repo, `blob ${sha} (${path})`, response.url);
  }

  async function loadRepository(request: RepositoryRequest): Promise<RepoContent> {
    const repo = request.repo;
    const { owner, name } = parseRepoName(repo);
    const meta = await fetchMeta(repo, owner, name);
    const ref = request.ref ?? meta.defaultBranch;
    const commitSha = await fetchCommitSha(repo, owner, name, meta, request.ref);
    const [tree, tags] = await Promise.all([
      fetchTree(repo, owner, name, commitSha),
      request.tags ? fetchTags(repo, owner, name) : Promise.resolve([]),
    ]);

    const selected = selectDocuments(tree.tree, request.include, request.exclude);
    const loaded = await mapLimit(selected, concurrency, async (entry): Promise<SourceDocument | undefined> => {
      const bytes = await fetchBlob(repo, owner, name, entry.sha, entry.path);
      if (!bytes) {
        missing.push({ repo, path: entry.path });
        warn(`${repo}: ${entry.path} is in the tree but its blob ${entry.sha} was not found (404); skipped`);
        return undefined;
      }
      return {
        repo,
        path: entry.path,
        text: decodeText(bytes),
        blobSha: entry.sha,
        commitSha,
        sourceUrl: blobSourceUrl(repo, commitSha, entry.path),
      };
    });

    return {
      meta,
      ref,
      commitSha,
      tree: tree.tree,
      treeTruncated: tree.truncated,
      tags,
      documents: loaded.filter((d): d is SourceDocument => d !== undefined),
    };
  }

  async function readBlob(content: RepoContent, path: string): Promise<Buffer | undefined> {
    const repo = content.meta.fullName;
    assertSafeRepoPath(repo, path);
    const entry = content.tree.find((e) => e.path === path && e.type === 'blob');
    if (!entry) return undefined;
    const { owner, name } = parseRepoName(repo);
    return fetchBlob(repo, owner, name, entry.sha, path);
  }

  /** GET /repos/{o}/{r}/releases, paginated; drafts are left out (the API shows them only to writers). */
  async function listReleases(repo: string): Promise<ApiRelease[]> {
    const { owner, name } = parseRepoName(repo);
    const raw = await call(repo, 'releases', () => octokit.paginate('GET /repos/{owner}/{repo}/releases', { owner, repo: name, per_page: 100 }));
    return raw.map((item) => {
      const release = releaseFromApi(item);
      if (!release) throw unexpected(repo, 'releases', `${baseUrl}/repos/${repo}/releases`);
      return release;
    }).filter((r) => !r.draft);
  }

  async function listOrgRepositories(org: string): Promise<RepoMeta[]> {
    if (!/^[A-Za-z0-9_.-]+$/.test(org)) throw new SourceError(`"${org}" is not an organisation name`, org);
    const raw = await call(
      org,
      'repositories',
      () => octokit.paginate(octokit.rest.repos.listForOrg, { org, per_page: 100 }),
      (url) => `organisation ${org} was not found (404) at ${url}: check the name${privateHint()}`,
    );
    return raw.map((item) => {
      const meta = repoMetaFromApi(item);
      if (!meta) throw unexpected(org, 'repositories', `${baseUrl}/orgs/${org}/repos`);
      return meta;
    });
  }

  return {
    kind: 'github',
    baseUrl,
    authenticated: token !== undefined,
    stats,
    missing,
    warnings,
    loadRepository,
    readBlob,
    listReleases,
    listOrgRepositories,
  };
}

/** Every repository of an organisation, with a source of its own (see createGitHubSource for the options). */
export function listOrgRepositories(org: string, options: GitHubSourceOptions = {}): Promise<RepoMeta[]> {
  return createGitHubSource(options).listOrgRepositories(org);
}
