/**
 * A content source reading repositories through the GitHub API (@octokit/rest with the throttling and retry
 * plugins).
 *
 * Requests per repository: the repository and its head commit (GET /repos/{o}/{r} and GET .../branches/{default},
 * or GET .../commits/{ref} for an explicit ref); GET .../tags when asked (every page, the pages after the first
 * at once); GET .../git/trees/{commit}?recursive=1; one GET .../git/blobs/{sha} per selected document. With a
 * token, one GraphQL query answers the first three for up to 100 repositories (see prefetch), with the newest
 * 100 tags by commit date instead of every tag. Every request has a timeout; 5xx answers, timeouts and
 * cut-short JSON are retried with backoff a bounded number of times. A host that does not resolve or refuses
 * the connection is not retried: it stops the build at once.
 *
 * With a cache (see cache.ts): REST GETs carry If-None-Match and a 304 is answered from the cache (GitHub
 * does not count 304s against the rate limit); a repository whose head commit is the cached one reuses the
 * cached tree; blobs are read by sha from the cache. When a repository fails, its last good cached copy is
 * returned marked `freshness: 'stale'`, unless the failure is fatal for the whole build (rejected token,
 * exhausted rate limit whose reset is too far away).
 *
 * Tags carry no `date`: GET .../tags does not return one (a snapshot's tags.json does).
 *
 * A truncated tree (GitHub caps recursive trees at 100,000 entries / 7 MB) is reported through onWarning
 * and `treeTruncated`, and the documents of the partial tree are still loaded, unless the option
 * `truncatedTree: 'error'` makes it fail the repository instead.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { CachedRepo, ContentCache, HttpEntry } from './cache.ts';
import { treeDocuments } from './documents.ts';
import {
  allOrFirstError,
  assertSafeRepoPath,
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
import {
  SourceError,
  type ContentSource,
  type ApiRelease,
  type RepoContent,
  type RepoMeta,
  type RepositoryRequest,
  type Tag,
  type TreeEntry,
} from './types.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 60;
const USER_AGENT = 'gen3-docs-aggregator';
/** Repositories per GraphQL query; 100 is the most a GitHub connection page holds. */
const GRAPHQL_BATCH = 100;

export interface GitHubSourceOptions {
  /** API root; default process.env.GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  /** GraphQL endpoint; default process.env.GITHUB_GRAPHQL_URL, else derived from baseUrl (graphqlUrlFor). */
  graphqlUrl?: string;
  /** Default process.env.GITHUB_TOKEN; without one, requests are anonymous (60 an hour on github.com). */
  token?: string;
  /** Limit for each request, from sending to the last byte of the answer. Default 20 s. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Retries of a request that got a 5xx, a timeout, a dropped connection or cut-short JSON. Default 3. */
  retries?: number;
  /** Backoff unit: the n-th retry waits n² times this; also the unit of a 429's Retry-After. Default 1000 ms. */
  retryBaseMs?: number;
  /** Longest wait for a rate-limit reset; a later reset stops the build with a message. Default 60 s. */
  maxRateLimitWaitSeconds?: number;
  /** With a token, ask GraphQL for heads and metadata in batches (prefetch). Default true. */
  graphql?: boolean;
  /** Repositories per GraphQL query (batch or organisation page), 1..100. Default 100. */
  graphqlBatchSize?: number;
  /** Where ETag answers, blobs and the last good state of each repository are kept; none by default. */
  cache?: ContentCache;
  /** When a repository fails and the cache has a copy, return that copy marked stale. Default true. */
  staleFallback?: boolean;
  /** What a truncated recursive tree does: a warning (default) or a SourceError. */
  truncatedTree?: 'warn' | 'error';
  onWarning?: (message: string) => void;
  /** The fetch underneath the timeout wrapper; default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds of the next reset. */
  reset: number;
}

export interface GitHubStats {
  /** HTTP requests sent, including failed ones and retries. */
  requests: number;
  /** Requests by answer status ("200", "304", "404"...), or "timeout" / "network" when there was no answer. */
  byStatus: Record<string, number>;
  byKind: {
    rest: number;
    graphql: number;
    /** REST requests sent with If-None-Match. */
    conditional: number;
    /** 304 answers, served from the cache. */
    notModified: number;
    /** Blob contents downloaded (200). */
    blobs: number;
    /** Trees downloaded (200). */
    trees: number;
    /** Requests that were a retry of an earlier one. */
    retries: number;
    /** Requests not sent because the rate limit was known to be exhausted. */
    heldBack: number;
  };
  /** Bytes of answer bodies received. */
  bytes: number;
  /** Latest rate-limit state by resource ("core", "graphql"), from the answers' headers. */
  rateLimit: Record<string, RateLimitState>;
  /** Repositories loaded, by freshness. */
  repositories: { fresh: number; cached: number; stale: number };
}

export interface GitHubSource extends ContentSource {
  readonly kind: 'github';
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  readonly authenticated: boolean;
  readonly stats: GitHubStats;
  /** Selected files listed in the tree whose blob the API did not have (404). */
  readonly missing: MissingFile[];
  readonly warnings: string[];
  /** Every repository of an organisation (GraphQL with a token, else GET /orgs/{org}/repos, all pages). */
  listOrgRepositories(org: string): Promise<RepoMeta[]>;
  /** Resolves heads and metadata of these repositories in GraphQL batches (with a token); later loads use them. */
  prefetch(requests: readonly RepositoryRequest[]): Promise<void>;
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

/**
 * A request that could not even be sent: the host name does not resolve, or nothing listens at the address.
 * Retrying does not help (a DNS answer or a closed port does not change within seconds), so the build stops.
 */
class UnreachableError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url} cannot be reached: ${reason}`);
    this.name = 'UnreachableError';
  }
}

/** Why a failed fetch will fail again at once, or undefined for failures worth retrying (resets, timeouts). */
function unreachableReason(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const causes = [cause, ...((cause as { errors?: unknown[] } | undefined)?.errors ?? [])];
  for (const c of causes) {
    const { code, hostname, message } = (c ?? {}) as { code?: unknown; hostname?: unknown; message?: unknown };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
      return `the host name ${typeof hostname === 'string' ? `${hostname} ` : ''}does not resolve (${code})`;
    }
    if (code === 'ECONNREFUSED') return 'the connection was refused (ECONNREFUSED)';
    // fetch refuses ports browsers block (such as 9 or 25) before connecting.
    if (message === 'bad port') return 'fetch refuses that port (bad port)';
  }
  return undefined;
}

// Statuses whose Response must not have a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Headers of a cached answer that Octokit reads (pagination, parsing).
const KEPT_HEADERS = ['content-type', 'link'];
const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset', 'x-ratelimit-resource'];

/** GraphQL endpoint of a REST API root: GitHub Enterprise serves it at /api/graphql beside /api/v3. */
export function graphqlUrlFor(baseUrl: string): string {
  const url = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(url) ? url.replace(/\/api\/v3$/, '/api/graphql') : `${url}/graphql`;
}

/**
 * What one GraphQL query reads of each repository: metadata, the head of the default branch, and its newest
 * 100 tags by commit date (an annotated tag's `target` is the tag object: its own target is the commit).
 */
const REPO_FIELDS =
  'nameWithOwner name owner { login } description url pushedAt isArchived isFork defaultBranchRef { name target { oid } } repositoryTopics(first: 100) { nodes { topic { name } } } ' +
  'refs(refPrefix: "refs/tags/", first: 100, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) { nodes { name target { oid ... on Tag { target { oid } } } } }';

interface Head {
  meta: RepoMeta;
  /** Head of the default branch, when known. */
  headSha?: string;
  /** The newest tags by commit date, when known: then GET .../tags is not sent. */
  tags?: Tag[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RepoMeta and head commit from a GraphQL Repository selected with REPO_FIELDS. */
function headFromGraphql(node: unknown): Head | undefined {
  if (!isRecord(node)) return undefined;
  const owner = isRecord(node.owner) ? node.owner.login : undefined;
  const branch = isRecord(node.defaultBranchRef) ? node.defaultBranchRef : undefined;
  const target = branch && isRecord(branch.target) ? branch.target : undefined;
  const topics = isRecord(node.repositoryTopics) && Array.isArray(node.repositoryTopics.nodes) ? node.repositoryTopics.nodes : [];
  if (typeof node.nameWithOwner !== 'string' || typeof node.name !== 'string' || typeof owner !== 'string' || typeof node.url !== 'string') return undefined;
  // An empty repository has no default branch ref; the REST path explains that case.
  if (!branch || typeof branch.name !== 'string') return undefined;
  const meta: RepoMeta = {
    fullName: node.nameWithOwner,
    owner,
    name: node.name,
    defaultBranch: branch.name,
    description: typeof node.description === 'string' ? node.description : null,
    htmlUrl: node.url,
    pushedAt: typeof node.pushedAt === 'string' ? node.pushedAt : null,
    archived: node.isArchived === true,
    fork: node.isFork === true,
    topics: topics.flatMap((t) => (isRecord(t) && isRecord(t.topic) && typeof t.topic.name === 'string' ? [t.topic.name] : [])),
  };
  const sha = target?.oid;
  const head: Head = typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? { meta, headSha: sha } : { meta };
  const tags = tagsFromGraphql(node.refs);
  if (tags) head.tags = tags;
  return head;
}

/** Tags from a `refs` connection selected as in REPO_FIELDS; undefined when any of it is not as expected. */
function tagsFromGraphql(refs: unknown): Tag[] | undefined {
  if (!isRecord(refs) || !Array.isArray(refs.nodes)) return undefined;
  const tags: Tag[] = [];
  for (const node of refs.nodes) {
    if (!isRecord(node) || !isRecord(node.target) || typeof node.name !== 'string') return undefined;
    const peeled = isRecord(node.target.target) ? node.target.target.oid : node.target.oid;
    if (typeof peeled !== 'string') return undefined;
    tags.push({ name: node.name, sha: peeled });
  }
  return tags;
}

interface GraphQLAnswer {
  data: Record<string, unknown> | null;
  errors: { type?: string; message?: string; path?: unknown[] }[];
}

type RequestErrorLike = {
  status?: number;
  message?: string;
  cause?: unknown;
  data?: { errors?: { type?: string }[] };
  request?: { url?: string; request?: Record<string, unknown> };
  response?: { url?: string; headers?: Record<string, string | undefined>; data?: unknown };
};

let instances = 0;

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
  /** Set by a failure that every further request would repeat (bad token, rate limit): later calls fail at once. */
  let fatal: SourceError | undefined;

  function warn(message: string): void {
    warnings.push(message);
    options.onWarning?.(message);
  }

  function count(key: string): void {
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  }

  function noteRateLimit(headers: Headers, fallbackResource: string): void {
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const resource = headers.get('x-ratelimit-resource') ?? fallbackResource;
    const previous = stats.rateLimit[resource];
    // Answers arrive out of order: within one window the lowest count is the latest.
    if (previous && previous.reset === reset && previous.remaining < remaining) return;
    if (previous && previous.reset > reset) return;
    stats.rateLimit[resource] = {
      limit: Number(headers.get('x-ratelimit-limit')) || 0,
      remaining,
      used: Number(headers.get('x-ratelimit-used')) || 0,
      reset,
    };
  }

  function respond(body: ConstructorParameters<typeof Response>[0], status: number, statusText: string, headers: Headers | Record<string, string>, url: string): Response {
    const response = new Response(body, { status, statusText, headers });
    Object.defineProperty(response, 'url', { value: url });
    return response;
  }

  /** The answer GitHub would give, without asking it, while the rate limit is known to be exhausted. */
  function heldBack(resource: string, state: RateLimitState, url: string): Response {
    stats.byKind.heldBack += 1;
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(state.used),
      'x-ratelimit-reset': String(state.reset),
      'x-ratelimit-resource': resource,
    };
    const message = 'API rate limit exceeded (not sent: the limit was already exhausted)';
    if (resource === 'graphql') return respond(JSON.stringify({ errors: [{ type: 'RATE_LIMITED', message }] }), 200, 'OK', headers, url);
    return respond(JSON.stringify({ message }), 403, 'Forbidden', headers, url);
  }

  // Octokit has no timeout of its own. The body is read here, under the same signal, so a server that
  // sends headers and then stalls is bounded too; the buffered copy is what Octokit parses. ETags, 304s
  // and cut-short JSON are handled here too, where the raw answer is at hand.
  const timedFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const isGraphql = method === 'POST' && url === graphqlUrl;
    const resource = isGraphql ? 'graphql' : 'core';
    const limit = stats.rateLimit[resource];
    if (limit && limit.remaining === 0 && limit.reset * 1000 > Date.now()) {
      // Known to be exhausted: wait here for a near reset (so requests do not race for the new window and
      // use up their retries), else answer as GitHub would without asking it.
      const waitMs = limit.reset * 1000 - Date.now() + 500;
      if (fatal || waitMs > maxWait * 1000) return heldBack(resource, limit, url);
      noteWait('rate limit', Math.ceil(waitMs / 1000), limit.reset);
      await sleep(waitMs);
    }

    const headers = new Headers(init?.headers);
    let cacheKey: string | undefined;
    let cached: HttpEntry | undefined;
    // Trees and blobs are named by sha and kept elsewhere; everything else GET may be revalidated.
    if (cache && method === 'GET' && !/\/git\/(?:trees|blobs)\//.test(url)) {
      cacheKey = `${headers.get('accept') ?? ''} ${url}`;
      cached = await cache.readHttp(cacheKey);
      if (cached) headers.set('if-none-match', cached.etag);
    }

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    stats.requests += 1;
    stats.byKind[isGraphql ? 'graphql' : 'rest'] += 1;
    if (cached) stats.byKind.conditional += 1;
    try {
      const response = await baseFetch(input, { ...init, headers, signal });
      const body = NULL_BODY_STATUSES.has(response.status) ? null : Buffer.from(await response.arrayBuffer());
      count(String(response.status));
      stats.bytes += body?.length ?? 0;
      noteRateLimit(response.headers, resource);
      const answerUrl = response.url || url;

      if (response.status === 304 && cached) {
        stats.byKind.notModified += 1;
        const merged = new Headers(cached.headers);
        for (const name of RATE_HEADERS) {
          const value = response.headers.get(name);
          if (value !== null) merged.set(name, value);
        }
        return respond(Buffer.from(cached.body, 'base64'), 200, 'OK', merged, answerUrl);
      }
      if (response.status === 200 && body && /\bjson\b/i.test(response.headers.get('content-type') ?? '') && !parses(body)) {
        // A body cut short in transit: answer as a gateway error so it is retried like one.
        count('invalidJson');
        const message = `the answer of ${answerUrl} is not valid JSON (${body.length} bytes, cut short?)`;
        const h = new Headers(response.headers);
        h.set('content-type', 'application/json; charset=utf-8');
        h.delete('content-length');
        return respond(JSON.stringify({ message }), 502, 'Bad Gateway', h, answerUrl);
      }
      if (response.status === 200) {
        if (url.includes('/git/blobs/')) stats.byKind.blobs += 1;
        if (url.includes('/git/trees/')) stats.byKind.trees += 1;
        const etag = response.headers.get('etag');
        if (cacheKey && etag && body) {
          const kept: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const value = response.headers.get(name);
            if (value !== null) kept[name] = value;
          }
          await cache!.writeHttp(cacheKey, { url, etag, headers: kept, body: body.toString('base64') });
        }
      }
      const copy = new Headers(response.headers);
      copy.delete('content-encoding'); // the body is already decoded
      return respond(body, response.status, response.statusText, copy, answerUrl);
    } catch (error) {
      if (timeout.aborted) {
        count('timeout');
        throw new RequestTimeoutError(url, timeoutMs);
      }
      count('network');
      const unreachable = unreachableReason(error);
      if (unreachable) throw new UnreachableError(method, url, unreachable);
      throw error;
    }
  };

  const silent = () => {};
  const waitNotes = new Set<string>();
  function noteWait(kind: string, seconds: number, until: number): void {
    const note = `${kind} ${until}`;
    if (waitNotes.has(note)) return;
    waitNotes.add(note);
    warn(`GitHub ${kind} reached: waiting ${seconds} s for it to reset`);
  }
  /** Whether to wait `retryAfter` seconds for a rate limit and try again (a few times at most). */
  function waitForLimit(kind: string, retryAfter: number, retryCount: number): boolean {
    if (fatal || retryAfter > maxWait || retryCount >= 5) return false;
    noteWait(kind, retryAfter, Math.round(Date.now() / 1000 + retryAfter));
    return true;
  }

  // Counts retries, and honours Retry-After on a 429 that is not an exhausted primary limit (which the
  // throttling plugin handles) by handing the retry plugin that delay.
  const local = (octokit: { hook: Octokit['hook'] }) => {
    // Each attempt of one request passes here with the same options object.
    const attempted = new WeakSet<object>();
    octokit.hook.before('request', (request) => {
      if (attempted.has(request)) stats.byKind.retries += 1;
      else attempted.add(request);
    });
    octokit.hook.error('request', (error, options) => {
      const e = error as RequestErrorLike;
      // Sent to nowhere: the retry plugin reads the retries left from these options (a copy per request).
      if (e.cause instanceof UnreachableError && options.request) options.request.retries = 0;
      const headers = e.response?.headers ?? {};
      if (e.status === 429 && e.request?.request && headers['x-ratelimit-remaining'] !== '0') {
        const after = Number(headers['retry-after'] ?? 1);
        if (Number.isFinite(after) && after >= 0 && after <= maxWait) e.request.request = { ...e.request.request, retries, retryAfter: after };
      }
      throw error;
    });
    return {};
  };

  // Octokit hands every request the same default `request` object, where the retry plugin keeps its retry
  // count: without a copy per request, one request's retries would lengthen every later request's backoff.
  const isolate = (octokit: { hook: Octokit['hook'] }) => {
    octokit.hook.wrap('request', (request, options) => request({ ...options, request: { ...options.request } }));
    return {};
  };

  const GitHubOctokit = Octokit.plugin(local, throttling, retry, isolate);
  const octokit = new GitHubOctokit({
    baseUrl,
    ...(token ? { auth: token } : {}),
    userAgent: USER_AGENT,
    request: { fetch: timedFetch },
    // Failures become SourceErrors with more context; Octokit's own error lines would only repeat them.
    log: { debug: silent, info: silent, warn: (message: string) => warn(`GitHub API: ${message}`), error: silent },
    throttle: {
      id: `gen3-docs-${++instances}`,
      // Own limiters: the plugin's defaults are shared by every client of the process, and space
      // GraphQL queries (which it treats like writes) a second apart.
      global: new Bottleneck.Group({ maxConcurrent: concurrency }),
      write: new Bottleneck.Group({ maxConcurrent: 2 }),
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => waitForLimit('rate limit', retryAfter, retryCount),
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        waitForLimit('secondary rate limit', retryAfter, retryCount),
    } as never,
    // 403 and 429 are the throttling plugin's (and the hook above's); the others are answers, not accidents.
    retry: { retries, retryAfterBaseValue: retryBaseMs, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });

  function rateLimitError(repo: string, url: string, status: number | undefined, headers: Record<string, string | undefined>): SourceError {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
    const wait = headers['retry-after'] ? ` (retry after ${headers['retry-after']} s)` : '';
    const until = when ? ` until ${when}` : '';
    const retryAt = when ? `run again after ${when}` : 'run again later';
    const advice = token ? `${retryAt}, or build from a snapshot` : `set GITHUB_TOKEN for 5,000 requests an hour, ${retryAt}, or build from a snapshot`;
    return new SourceError(
      `GitHub API rate limit exhausted${until}${wait} at ${url} while reading ${repo} (limit ${headers['x-ratelimit-limit'] ?? '?'}, waiting at most ${maxWait} s): the build stopped; ${advice}`,
      repo,
      status,
      true,
    );
  }

  /** Turns any failure of a request into a SourceError that names the repository, the URL and a way out. */
  function explain(error: unknown, repo: string, what: string, notFound?: (url: string) => string): SourceError {
    if (error instanceof SourceError) return error;
    const e = error as RequestErrorLike;
    const url = e.request?.url ?? baseUrl;
    const cause = e.cause ?? error;
    if (cause instanceof UnreachableError) {
      return (fatal ??= new SourceError(
        `GitHub API at ${baseUrl} cannot be reached: ${cause.reason}; tried ${cause.method} ${cause.url} while reading ${repo}. ` +
          'The build stopped without retrying: check the network and GITHUB_API_URL, or build offline from a snapshot (--snapshot DIR)',
        repo,
        undefined,
        true,
      ));
    }
    if (cause instanceof RequestTimeoutError) {
      return new SourceError(
        `${what} of ${repo}: GET ${cause.url} got no answer within ${timeoutMs} ms (${retries + 1} tries); GitHub (or GITHUB_API_URL=${baseUrl}) is slow or unreachable: retry, raise the timeout, or build from a snapshot`,
        repo,
      );
    }
    const status = typeof e.status === 'number' ? e.status : undefined;
    const headers = e.response?.headers ?? {};
    if ((e.data?.errors ?? []).some((x) => x.type === 'RATE_LIMITED')) {
      return (fatal ??= rateLimitError(repo, e.response?.url ?? graphqlUrl, status, headers));
    }
    if (status === undefined || !e.response) {
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      return new SourceError(
        `${what} of ${repo}: GET ${url} failed without an answer (${reason}); check the network and GITHUB_API_URL (${baseUrl})`,
        repo,
      );
    }
    if (status === 401) {
      return (fatal ??= new SourceError(
        `GitHub rejected ${tokenSource} (401 Bad credentials) at ${url} while reading ${repo}: the build stopped; replace the token, or unset GITHUB_TOKEN to read public repositories anonymously`,
        repo,
        401,
        true,
      ));
    }
    if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])) {
      return (fatal ??= rateLimitError(repo, url, status, headers));
    }
    if (status === 404 && notFound) return new SourceError(notFound(url), repo, 404);
    const message = e.message ? `: ${e.message}` : '';
    const tries = status >= 500 ? ` after ${retries + 1} tries` : '';
    return new SourceError(`${what} of ${repo}: GitHub answered ${status}${tries} at ${url}${message}`, repo, status);
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
    if (fatal) throw fatal;
    try {
      return await run();
    } catch (error) {
      throw explain(error, repo, what, notFound);
    }
  }

  async function graphqlQuery(what: string, query: string): Promise<GraphQLAnswer> {
    const response = await call(what, 'GraphQL query', () => octokit.request(`POST ${graphqlUrl}`, { query }));
    const body: unknown = response.data;
    if (!isRecord(body) || (body.data !== undefined && body.data !== null && !isRecord(body.data))) throw unexpected(what, 'GraphQL query', graphqlUrl);
    const errors = Array.isArray(body.errors) ? (body.errors.filter(isRecord) as GraphQLAnswer['errors']) : [];
    return { data: isRecord(body.data) ? body.data : null, errors };
  }

  async function prefetch(requests: readonly RepositoryRequest[]): Promise<void> {
    if (!useGraphql) return;
    const wanted = new Map<string, { owner: string; name: string }>();
    for (const request of requests) {
      const key = request.repo.toLowerCase();
      if (known.get(key)?.headSha || wanted.has(key)) continue;
      try {
        wanted.set(key, parseRepoName(request.repo));
      } catch {
        // loadRepository reports the bad name
      }
    }
    const list = [...wanted.values()];
    for (let start = 0; start < list.length; start += batchSize) {
      const chunk = list.slice(start, start + batchSize);
      const fields = chunk.map((r, i) => `r${i}: repository(owner: ${JSON.stringify(r.owner)}, name: ${JSON.stringify(r.name)}) { ${REPO_FIELDS} }`);
      try {
        const { data, errors } = await graphqlQuery(`${chunk.length} repositories`, `query {\n${fields.join('\n')}\n}`);
        const other = errors.filter((e) => e.type !== 'NOT_FOUND');
        if (!data) throw new Error(other.map((e) => e.message).join('; ') || 'no data');
        chunk.forEach((r, i) => {
          const head = headFromGraphql(data[`r${i}`]);
          const repo = `${r.owner}/${r.name}`;
          if (head) known.set(repo.toLowerCase(), { ...head, meta: trustedRepoMeta(repo, head.meta, webOrigin) });
        });
      } catch (error) {
        const failure = explain(error, `${chunk.length} repositories`, 'GraphQL batch');
        if (failure.fatal) throw failure;
        // Repositories the batch could not answer (not found, or the whole query failed) go through REST.
        warn(`GraphQL batch of ${chunk.length} repositories failed (${failure.message}); reading them through REST instead`);
      }
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
    return trustedRepoMeta(repo, meta, webOrigin);
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

  async function fetchTree(repo: string, owner: string, name: string, commitSha: string): Promise<FetchedTree> {
    const response = await call(
      repo,
      'tree',
      () => octokit.rest.git.getTree({ owner, repo: name, tree_sha: commitSha, recursive: '1' }),
      (url) => `the tree of commit ${commitSha} of ${repo} was not found (404) at ${url}`,
    );
    const tree = treeFromApi(response.data);
    if (!tree) throw unexpected(repo, 'tree', response.url);
    return tree;
  }

  function checkTruncated(repo: string, commitSha: string, tree: { tree: TreeEntry[]; truncated: boolean }): void {
    if (!tree.truncated) return;
    const message = `GitHub truncated the tree of ${repo} at ${commitSha} (${tree.tree.length} entries returned): documents outside the returned part are missing`;
    if (options.truncatedTree === 'error') throw new SourceError(`${message}; narrow the repository or build from a snapshot`, repo);
    warn(message);
  }

  /**
   * Every item of a paginated REST list, 100 a page. The first answer's Link header names the last page, so
   * the others are asked for together (the limiter still bounds how many are in flight) instead of one after
   * another: a repository with 1,800 tags costs one round trip more, not eighteen. Without a `last` link,
   * `next` links are followed. `subject` and `what` name the list in errors ("uc-cdis/fence", "tags").
   */
  async function allPages(subject: string, what: string, route: string, params: Record<string, string>): Promise<unknown[]> {
    const tooMany = (pages: string) => new SourceError(`${what} of ${subject}: ${pages} pages of 100 items; at most ${MAX_LIST_PAGES} are read`, subject);
    const ask = async (page: number) => {
      const response = await octokit.request(route, { ...params, per_page: 100, page });
      if (!Array.isArray(response.data)) throw unexpected(subject, what, response.url);
      return { items: response.data as unknown[], link: response.headers.link ?? '' };
    };
    const first = await ask(1);
    const last = pageOfLink(first.link, 'last');
    if (last !== undefined) {
      if (last > MAX_LIST_PAGES) throw tooMany(String(last));
      const rest = await allOrFirstError(Array.from({ length: last - 1 }, (_, i) => ask(i + 2)));
      return [first, ...rest].flatMap((p) => p.items);
    }
    const items = [...first.items];
    for (let page = 2, link = first.link; linkOf(link, 'next') !== undefined; page++) {
      if (page > MAX_LIST_PAGES) throw tooMany(`more than ${MAX_LIST_PAGES}`);
      const next = await ask(page);
      items.push(...next.items);
      link = next.link;
    }
    return items;
  }

  async function fetchTags(repo: string, owner: string, name: string): Promise<Tag[]> {
    const raw = await call(repo, 'tags', () => allPages(repo, 'tags', 'GET /repos/{owner}/{repo}/tags', { owner, repo: name }));
    return raw.map((item) => {
      const tag = tagFromApi(item);
      if (!tag) throw unexpected(repo, 'tags', `${baseUrl}/repos/${repo}/tags`);
      return tag;
    });
  }

  /** Bytes of a blob; undefined when the API has no such blob (404). */
  async function fetchBlob(repo: string, owner: string, name: string, sha: string, path: string): Promise<Buffer | undefined> {
    if (fatal) throw fatal;
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

  /** A blob from the cache, else from the API (and then into the cache). */
  async function getBlob(repo: string, sha: string, path: string): Promise<Buffer | undefined> {
    const key = `${repo.toLowerCase()}\0${sha}`;
    if (missingBlobs.has(key)) return undefined;
    const hit = await cache?.readBlob(sha);
    if (hit) return hit;
    // A blob the API did not have is not asked for again: its sha names the same content forever.
    if (await cache?.isMissingBlob(repo, sha)) {
      missingBlobs.add(key);
      return undefined;
    }
    const { owner, name } = parseRepoName(repo);
    const bytes = await fetchBlob(repo, owner, name, sha, path);
    if (bytes && cache) await cache.writeBlob(sha, bytes);
    if (!bytes) {
      missingBlobs.add(key);
      await cache?.markMissingBlob(repo, sha);
    }
    return bytes;
  }
  const missingBlobs = new Set<string>();

  /** The repository's metadata and the commit to read, from a GraphQL batch or through REST. */
  async function resolveHead(request: RepositoryRequest, owner: string, name: string): Promise<{ meta: RepoMeta; commitSha: string }> {
    const repo = request.repo;
    const head = known.get(repo.toLowerCase());
    if (head?.headSha && (request.ref === undefined || request.ref === head.meta.defaultBranch)) return { meta: head.meta, commitSha: head.headSha };
    const meta = head?.meta ?? (await fetchMeta(repo, owner, name));
    return { meta, commitSha: await fetchCommitSha(repo, owner, name, meta, request.ref) };
  }

  async function loadCurrent(request: RepositoryRequest, record: CachedRepo | undefined): Promise<RepoContent> {
    const repo = request.repo;
    const { owner, name } = parseRepoName(repo);
    const { meta, commitSha } = await resolveHead(request, owner, name);
    // Same head commit: the tree is the same, and so are the selected blobs. A truncated tree is asked
    // again, since truncation may have been a passing fault.
    const reuse = record && record.commitSha === commitSha && !record.treeTruncated ? record : undefined;
    const treeRequest: Promise<FetchedTree> = reuse
      ? Promise.resolve({ tree: reuse.tree, truncated: false, dropped: reuse.droppedPaths ?? [] })
      : fetchTree(repo, owner, name, commitSha);
    const knownTags = known.get(repo.toLowerCase())?.tags;
    const tagsRequest = !request.tags ? Promise.resolve([]) : knownTags ? Promise.resolve(knownTags) : fetchTags(repo, owner, name);
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
      blobSha: 'tree',
      concurrency,
    });
    for (const entry of unreadable) {
      missingBlobs.push(entry.sha);
      missing.push({ repo, path: entry.path });
      warn(`${repo}: ${entry.path} is in the tree but its blob ${entry.sha} was not found (404); skipped`);
    }

    const ref = request.ref ?? meta.defaultBranch;
    const changed =
      !reuse ||
      JSON.stringify(reuse.tags) !== JSON.stringify(tags) ||
      JSON.stringify(reuse.meta) !== JSON.stringify(meta) ||
      missingBlobs.some((sha) => !knownMissing.has(sha));
    if (cache && changed) {
      const next: CachedRepo = { repo, meta, ref, commitSha, tree: tree.tree, treeTruncated: tree.truncated, tags, missingBlobs, savedAt: new Date().toISOString() };
      if (tree.dropped.length) next.droppedPaths = tree.dropped;
      if (request.ref !== undefined) next.requestedRef = request.ref;
      await cache.writeRepo(next);
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

  async function loadRepository(request: RepositoryRequest): Promise<RepoContent> {
    const repo = request.repo;
    parseRepoName(repo);
    const record = await cache?.readRepo(repo, request.ref);
    try {
      const content = await loadCurrent(request, record);
      stats.repositories[content.freshness ?? 'fresh'] += 1;
      return content;
    } catch (error) {
      const failure = error instanceof SourceError ? error : explain(error, repo, 'repository');
      if (failure.fatal || !record || options.staleFallback === false) throw failure;
      const stale = await fromRecord(request, record);
      warn(`${repo}: ${failure.message}; using the cached copy of ${record.commitSha} saved ${record.savedAt} (stale)`);
      stats.repositories.stale += 1;
      return { ...stale, freshness: 'stale', staleReason: failure.message };
    }
  }

  async function readBlob(content: RepoContent, path: string): Promise<Buffer | undefined> {
    const repo = content.meta.fullName;
    assertSafeRepoPath(repo, path);
    const entry = content.tree.find((e) => e.path === path && e.type === 'blob');
    if (!entry) return undefined;
    return getBlob(repo, entry.sha, path);
  }

  async function listOrgRepositoriesGraphql(org: string): Promise<RepoMeta[]> {
    const metas: RepoMeta[] = [];
    let after: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const args = `first: ${batchSize}${after ? `, after: ${JSON.stringify(after)}` : ''}`;
      const query = `query {\n organization(login: ${JSON.stringify(org)}) { repositories(${args}) { pageInfo { hasNextPage endCursor } nodes { ${REPO_FIELDS} } } }\n}`;
      const { data, errors } = await graphqlQuery(org, query);
      const orgData = data?.organization;
      if (!isRecord(orgData)) {
        if (errors.some((e) => e.type === 'NOT_FOUND')) throw new SourceError(`organisation ${org} was not found (404) at ${graphqlUrl}: check the name`, org, 404);
        throw new SourceError(`repositories of ${org}: GraphQL answered ${errors.map((e) => e.message).join('; ') || 'no data'}`, org);
      }
      const connection = orgData.repositories;
      if (!isRecord(connection) || !Array.isArray(connection.nodes) || !isRecord(connection.pageInfo)) throw unexpected(org, 'repositories', graphqlUrl);
      for (const node of connection.nodes) {
        const head = headFromGraphql(node);
        if (!head) continue; // empty repositories have no docs to offer
        const meta = listedMeta(org, head.meta);
        if (!meta) continue;
        metas.push(meta);
        known.set(meta.fullName.toLowerCase(), { ...head, meta });
      }
      if (connection.pageInfo.hasNextPage !== true || typeof connection.pageInfo.endCursor !== 'string') return metas;
      after = connection.pageInfo.endCursor;
    }
    throw new SourceError(`repositories of ${org}: more than 1000 pages; giving up`, org);
  }

  /** GET /repos/{o}/{r}/releases, paginated; drafts are left out (the API shows them only to writers). */
  async function listReleases(repo: string): Promise<ApiRelease[]> {
    const { owner, name } = parseRepoName(repo);
    const raw = await call(repo, 'releases', () => allPages(repo, 'releases', 'GET /repos/{owner}/{repo}/releases', { owner, repo: name }));
    return raw.map((item) => {
      const release = releaseFromApi(item);
      if (!release) throw unexpected(repo, 'releases', `${baseUrl}/repos/${repo}/releases`);
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
    if (useGraphql) return listOrgRepositoriesGraphql(org);
    const raw = await call(
      org,
      'repositories',
      () => allPages(org, 'repositories', 'GET /orgs/{org}/repos', { org }),
      (url) => `organisation ${org} was not found (404) at ${url}: check the name${privateHint()}`,
    );
    return raw.flatMap((item) => {
      const reported = repoMetaFromApi(item);
      if (!reported) throw unexpected(org, 'repositories', `${baseUrl}/orgs/${org}/repos`);
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
    listReleases,
    listOrgRepositories,
    prefetch,
  };
}

/** A recursive tree as read, with the paths left out as unsafe. */
interface FetchedTree {
  tree: TreeEntry[];
  truncated: boolean;
  dropped: { path: string; reason: string }[];
}

/** Pages a REST list is read to at most (100,000 items): a bound on what one answer can make the build ask. */
const MAX_LIST_PAGES = 1000;

/** The URL a Link header gives for `rel` ("next", "last"), if any. */
function linkOf(link: string, rel: string): string | undefined {
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="([^"]*)"/.exec(part);
    if (m && m[2]!.split(/\s+/).includes(rel)) return m[1]!;
  }
  return undefined;
}

/** The `page` of the URL a Link header gives for `rel` ("next", "last"), if any. */
export function pageOfLink(link: string, rel: string): number | undefined {
  const url = linkOf(link, rel);
  if (url === undefined) return undefined;
  try {
    const page = Number(new URL(url).searchParams.get('page'));
    return Number.isInteger(page) && page >= 1 ? page : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parses(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Every repository of an organisation, with a source of its own (see createGitHubSource for the options). */
export function listOrgRepositories(org: string, options: GitHubSourceOptions = {}): Promise<RepoMeta[]> {
  return createGitHubSource(options).listOrgRepositories(org);
}
