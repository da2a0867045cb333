/** The options, counters and shared state of the GitHub source and the modules it is made of. */
import type { ContentCache } from './cache.ts';
import type { MissingFile } from './shared.ts';
import type { ContentSource, RepoMeta, RepositoryRequest, SourceError } from './types.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 60;

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

/** The options of one source, resolved (defaults and environment applied). */
export interface GitHubSettings {
  baseUrl: string;
  graphqlUrl: string;
  token: string | undefined;
  /** How the token is named in messages: "the configured token" or "GITHUB_TOKEN". */
  tokenSource: string;
  timeoutMs: number;
  concurrency: number;
  retries: number;
  retryBaseMs: number;
  /** Longest wait for a rate-limit reset, in seconds. */
  maxWait: number;
  cache: ContentCache | undefined;
  fetch: typeof fetch;
}

/** What the transport, the error messages and the source share while a source lives. */
export interface GitHubState {
  readonly stats: GitHubStats;
  /** Set by a failure that every further request would repeat (bad token, rate limit): later calls fail at once. */
  fatal: SourceError | undefined;
  warn(message: string): void;
}
