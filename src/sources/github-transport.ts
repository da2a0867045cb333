/**
 * The HTTP side of the GitHub source: an Octokit client with the throttling and retry plugins over a fetch
 * that bounds every request (headers and body) by a timeout, revalidates cached answers with ETags (a 304
 * is answered from the cache), turns cut-short JSON into a retried 502, holds requests back while the rate
 * limit is known to be exhausted, and fails at once, without retrying, when the host cannot be reached.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { HttpEntry } from './cache.ts';
import { gitBlobSha } from './documents.ts';
import { RequestTimeoutError, UnreachableError, unreachableReason, type RequestErrorLike } from './github-errors.ts';
import type { GitHubSettings, GitHubState, RateLimitState } from './github-types.ts';

const USER_AGENT = 'gen3-docs-aggregator';
// Statuses whose Response must not have a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Headers of a cached answer that Octokit reads (pagination, parsing).
const KEPT_HEADERS = ['content-type', 'link'];
const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset', 'x-ratelimit-resource'];

let instances = 0;

/** The Octokit client of one source; its requests are counted in `state.stats`. */
export function createOctokit(settings: GitHubSettings, state: GitHubState) {
  const { baseUrl, graphqlUrl, token, timeoutMs, concurrency, retries, retryBaseMs, maxWait, cache } = settings;
  const baseFetch = settings.fetch;
  const { stats, warn } = state;

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
      if (state.fatal || waitMs > maxWait * 1000) return heldBack(resource, limit, url);
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
      const rawBlob = method === 'GET' && response.status === 200 && body && !/\bjson\b/i.test(response.headers.get('content-type') ?? '') ? RAW_BLOB.exec(url)?.[1] : undefined;
      if (rawBlob && gitBlobSha(body!) !== rawBlob.toLowerCase()) {
        // Raw bytes that are not the blob they were asked as (cut short, or changed on the way): retried like a gateway error.
        count('invalidBlob');
        const message = `the answer of ${answerUrl} is not the blob ${rawBlob} (${body!.length} bytes, cut short?)`;
        return badGateway(message, response.headers, answerUrl);
      }
      if (response.status === 200 && body && /\bjson\b/i.test(response.headers.get('content-type') ?? '') && !parses(body)) {
        // A body cut short in transit: answer as a gateway error so it is retried like one.
        count('invalidJson');
        return badGateway(`the answer of ${answerUrl} is not valid JSON (${body.length} bytes, cut short?)`, response.headers, answerUrl);
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

  /** A GitHub-style 502 in place of an answer that came through damaged, with the answer's other headers (rate limits). */
  function badGateway(message: string, received: Headers, url: string): Response {
    const headers = new Headers(received);
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return respond(JSON.stringify({ message }), 502, 'Bad Gateway', headers, url);
  }

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
    if (state.fatal || retryAfter > maxWait || retryCount >= 5) return false;
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
  return octokit;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A blob's REST address, with its sha. */
const RAW_BLOB = /\/git\/blobs\/([0-9a-fA-F]{40})(?:\?|$)/;

function parses(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
