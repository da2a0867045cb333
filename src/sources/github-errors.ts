/**
 * Failures of GitHub requests turned into SourceErrors that name the repository, the URL and a way out; a
 * failure every further request would repeat (unreachable host, rejected token, exhausted rate limit) is
 * kept in the state, so later calls fail at once.
 */
import { SourceError } from './types.ts';
import type { GitHubSettings, GitHubState } from './github-types.ts';

/** The reason a request failed before an answer arrived; Octokit keeps it as the `cause` of its error. */
export class RequestTimeoutError extends Error {
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
export class UnreachableError extends Error {
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
export function unreachableReason(error: unknown): string | undefined {
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

export type RequestErrorLike = {
  status?: number;
  message?: string;
  cause?: unknown;
  data?: { errors?: { type?: string }[] };
  request?: { url?: string; request?: Record<string, unknown> };
  response?: { url?: string; headers?: Record<string, string | undefined>; data?: unknown };
};

export interface GitHubErrors {
  explain(error: unknown, repo: string, what: string, notFound?: (url: string) => string): SourceError;
  unexpected(repo: string, what: string, url: string): SourceError;
  /** " (or, if it is private, set GITHUB_TOKEN)" for an anonymous client, else nothing. */
  privateHint(): string;
  /** Runs one request (or several), failing at once after a fatal failure and explaining any other. */
  call<T>(repo: string, what: string, run: () => Promise<T>, notFound?: (url: string) => string): Promise<T>;
}

export function githubErrors(settings: GitHubSettings, state: GitHubState): GitHubErrors {
  const { baseUrl, graphqlUrl, token, tokenSource, timeoutMs, retries, maxWait } = settings;

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
      return (state.fatal ??= new SourceError(
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
      return (state.fatal ??= rateLimitError(repo, e.response?.url ?? graphqlUrl, status, headers));
    }
    if (status === undefined || !e.response) {
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      return new SourceError(
        `${what} of ${repo}: GET ${url} failed without an answer (${reason}); check the network and GITHUB_API_URL (${baseUrl})`,
        repo,
      );
    }
    if (status === 401) {
      return (state.fatal ??= new SourceError(
        `GitHub rejected ${tokenSource} (401 Bad credentials) at ${url} while reading ${repo}: the build stopped; replace the token, or unset GITHUB_TOKEN to read public repositories anonymously`,
        repo,
        401,
        true,
      ));
    }
    if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])) {
      return (state.fatal ??= rateLimitError(repo, url, status, headers));
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
    if (state.fatal) throw state.fatal;
    try {
      return await run();
    } catch (error) {
      throw explain(error, repo, what, notFound);
    }
  }

  return { explain, unexpected, privateHint, call };
}
