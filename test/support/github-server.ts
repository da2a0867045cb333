/**
 * A GitHub-compatible HTTP server for tests: serves a snapshot folder (<owner>/<repo>/{repo.json, tree.json,
 * tags.json, files/}, optionally releases.json) the way the GitHub REST API serves a repository, plus a small
 * GraphQL subset, ETags, rate limits, token checks, fault injection and a request log.
 *
 * Only what a snapshot can answer is served: one commit per repository (the head of its default branch),
 * and blob contents only for files present under files/. Anything else is a GitHub-shaped 404 or 422.
 *
 * REST:
 *   GET  /rate_limit
 *   GET  /repos/{o}/{r}
 *   GET  /repos/{o}/{r}/branches/{branch}              default branch only
 *   GET  /repos/{o}/{r}/commits/{ref}                  branch, tag, full or abbreviated sha;
 *                                                      Accept: application/vnd.github.sha gives the bare sha
 *   GET  /repos/{o}/{r}/git/trees/{tree-ish}[?recursive=1]  head commit, its tree sha, branch/tag name, or a subtree sha
 *   GET  /repos/{o}/{r}/git/blobs/{sha}
 *   GET  /repos/{o}/{r}/contents/{path}[?ref=]         file (base64, or raw with Accept: application/vnd.github.raw) or folder listing
 *   GET  /repos/{o}/{r}/tags, /repos/{o}/{r}/releases, /orgs/{org}/repos   paginated (per_page default 30, max 100; Link header)
 * GraphQL (POST /graphql, authenticated as on GitHub): top-level `repository(owner:, name:)` (aliases, string
 *   literals or $variables), `organization(login:) { repositories(first:, after:) }` and `rateLimit`; a
 *   repository's `refs(refPrefix:, first:)` (see graphqlRefs), `object(expression:)` of the head commit with
 *   `history(path:)` and `object(oid:)` of a blob with its text (see graphqlObject, graphqlBlob). Selections are validated against the small schema
 *   in GRAPHQL_SCHEMA and answered with only the fields asked for, inline fragments by their type; other field
 *   arguments are ignored; named fragments, directives and mutations are not supported.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RouteContext, route } from './github-server-rest.ts';
import { Snapshot } from './github-server-data.ts';
import { ActiveFault, DOCS, JSON_TYPE, RateLimits, authenticate, etagMatches, mulberry32, normalizeFault, readBody, send, sendJson, sleep } from './github-server-limits.ts';

export interface GitHubServerOptions {
  /** Folder holding <owner>/<repo>/, or the folder holding github/ (the corpus layout). */
  snapshotDir: string;
  port?: number;
  /** When set, an Authorization header carrying another token gets 401 Bad credentials. */
  token?: string;
  /** Requests per window for authenticated requests (and for all requests when `token` is unset). Default 5000. */
  rateLimit?: number;
  /** Requests per window without Authorization. Default 60 when `token` is set, else `rateLimit`. */
  anonymousLimit?: number;
  /** Length of a rate-limit window. Default 3600 s. */
  rateLimitWindowSeconds?: number;
  /** Adds retry-after to rate-limited answers (GitHub only sends it for secondary limits). */
  retryAfterSeconds?: number;
  /** Seed of the generator behind probabilistic faults. Default 1. */
  seed?: number;
}

export interface RequestLog {
  method: string;
  /** Path as sent (percent-encoded), without the query. */
  path: string;
  query: Record<string, string>;
  /** null while unanswered (and forever for a hanging request). */
  status: number | null;
  /** Whether the request carried If-None-Match. */
  conditional: boolean;
  /** Bytes of the response body. */
  bytes: number;
  authenticated: boolean;
  /** The kind of injected fault that shaped the answer, if any. */
  fault?: FaultKind;
  /** The body of a POST (a GraphQL query). */
  body?: string;
}

export interface RequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
}

/**
 * Which requests a fault applies to: a glob over the path ("/repos/*\/*\/git/blobs/*"), optionally preceded
 * by a method ("POST /graphql"); a RegExp tested against the path; or a predicate.
 */
export type FaultMatcher = string | RegExp | ((request: RequestInfo) => boolean);

export type FaultKind = 'status' | 'hang' | 'invalidJson' | 'cutShort' | 'truncatedTree' | 'delay';

export type FaultAction =
  /** Answer with `status` and a JSON body (default: a GitHub-style {message}). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answer. */
  | { kind: 'hang' }
  /** 200 with a JSON content type and a body cut in the middle. */
  | { kind: 'invalidJson' }
  /** The normal answer (its status, headers and content type) with only the first half of its body. */
  | { kind: 'cutShort' }
  /** Tree requests only: `truncated: true` and only the first `keep` share (0..1, default 0.5) of the entries. */
  | { kind: 'truncatedTree'; keep?: number }
  /** Answer normally after `delayMs`. */
  | { kind: 'delay'; delayMs: number };

export type Fault = FaultAction & {
  /** Apply to the next `times` matching requests only. */
  times?: number;
  /** Apply to each matching request with this probability (seeded). */
  probability?: number;
  /** Wait this long before the fault's answer (for kind 'delay', before the normal answer). */
  delayMs?: number;
};

export interface FaultHandle {
  /** How many requests the fault has shaped so far. */
  readonly hits: number;
  remove(): void;
}

export interface GitHubServer {
  /** Base URL of the REST API, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  graphqlUrl: string;
  /** Every request, in arrival order; cleared in place by reset(). */
  requests: RequestLog[];
  /** Shorthands: a number is a status fault, a kind name the fault with its defaults. */
  setFault(matcher: FaultMatcher, fault: Fault | number | 'hang' | 'invalidJson' | 'cutShort' | 'truncatedTree'): FaultHandle;
  /** Forgets faults, the request log, rate-limit use and cached snapshot data. */
  reset(): void;
  close(): Promise<void>;
}

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const snapshot = new Snapshot(options.snapshotDir);
  const limits = new RateLimits(options);
  const faults: ActiveFault[] = [];
  const requests: RequestLog[] = [];
  const sockets = new Set<Socket>();
  const random = mulberry32(options.seed ?? 1);
  let requestId = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: `test server error: ${(error as Error).stack ?? String(error)}` }, {});
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;
    const query = Object.fromEntries(url.searchParams);
    const auth = authenticate(req.headers.authorization, options.token);
    const conditional = typeof req.headers['if-none-match'] === 'string';
    const entry: RequestLog = {
      method,
      path: url.pathname,
      query,
      status: null,
      conditional,
      bytes: 0,
      authenticated: auth.kind === 'token',
    };
    requests.push(entry);
    const body = method === 'POST' ? await readBody(req) : '';
    if (body) entry.body = body;
    const common: Record<string, string> = {
      'x-github-request-id': `TEST:${++requestId}`,
      'x-github-api-version-selected': '2022-11-28',
    };
    const finish = (status: number, bytes: number) => {
      entry.status = status;
      entry.bytes = bytes;
    };

    if (auth.kind === 'bad') {
      const answer = Buffer.from(JSON.stringify({ message: 'Bad credentials', documentation_url: DOCS, status: '401' }));
      finish(401, send(res, 401, { ...common, 'content-type': JSON_TYPE }, answer));
      return;
    }

    const info: RequestInfo = { method, path: url.pathname, query };
    const isTree = /^\/repos\/[^/]+\/[^/]+\/git\/trees\//.test(url.pathname);
    const fault = pickFault(info, isTree);
    if (fault) entry.fault = fault.action.kind;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.action.kind === 'hang') return; // the socket is destroyed by close()

    const resource = method === 'POST' && url.pathname === '/graphql' ? 'graphql' : 'core';
    const counter = url.pathname === '/rate_limit' ? undefined : limits.counter(auth.identity, resource);
    const rateHeaders = () => (counter ? counter.headers() : {});

    if (counter && counter.exhausted()) {
      const who = auth.kind === 'token' ? 'user ID 1' : '127.0.0.1';
      const message =
        auth.kind === 'token'
          ? `API rate limit exceeded for ${who}.`
          : `API rate limit exceeded for ${who}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
      const headers: Record<string, string> = { ...common, ...rateHeaders(), 'content-type': JSON_TYPE };
      if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
      if (resource === 'graphql') {
        const answer = { errors: [{ type: 'RATE_LIMITED', message }] };
        finish(200, send(res, 200, headers, Buffer.from(JSON.stringify(answer))));
      } else {
        const answer = { message, documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api` };
        finish(403, send(res, 403, headers, Buffer.from(JSON.stringify(answer))));
      }
      return;
    }

    if (fault?.action.kind === 'status') {
      counter?.use();
      const { status, headers = {} } = fault.action;
      const answer = fault.action.body ?? { message: `injected ${status}`, documentation_url: DOCS };
      const all = { ...common, ...rateHeaders(), 'content-type': JSON_TYPE, ...headers };
      finish(status, send(res, status, all, Buffer.from(JSON.stringify(answer))));
      return;
    }
    if (fault?.action.kind === 'invalidJson') {
      counter?.use();
      const cut = Buffer.from('{"sha": "0000000000000000000000000000000000000000", "tree": [{"path": "READ');
      finish(200, send(res, 200, { ...common, ...rateHeaders(), 'content-type': JSON_TYPE }, cut));
      return;
    }

    const context: RouteContext = {
      method,
      url,
      base,
      accept: req.headers.accept ?? '',
      body,
      auth,
      limits,
      snapshot,
      truncate: fault?.action.kind === 'truncatedTree' ? (fault.action.keep ?? 0.5) : undefined,
    };
    const answer = route(context);
    const headers: Record<string, string> = { ...common, 'content-type': answer.contentType ?? JSON_TYPE, ...answer.headers };
    const whole = answer.raw ?? Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body));
    const payload = fault?.action.kind === 'cutShort' ? whole.subarray(0, Math.floor(whole.length / 2)) : whole;
    if (answer.status === 200) {
      const etag = `"${createHash('sha1').update(payload).digest('hex')}"`;
      headers.etag = etag;
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
      if (conditional && etagMatches(req.headers['if-none-match'] as string, etag)) {
        // Like GitHub, an answer from cache does not use the budget.
        delete headers['content-type'];
        finish(304, send(res, 304, { ...headers, ...rateHeaders() }, null));
        return;
      }
    }
    counter?.use();
    finish(answer.status, send(res, answer.status, { ...headers, ...rateHeaders() }, payload));
  }

  function pickFault(info: RequestInfo, isTree: boolean): ActiveFault | undefined {
    for (const fault of faults) {
      if (fault.remaining !== undefined && fault.remaining <= 0) continue;
      if (fault.action.kind === 'truncatedTree' && !isTree) continue;
      if (!fault.matches(info)) continue;
      if (fault.probability !== undefined && random() >= fault.probability) continue;
      if (fault.remaining !== undefined) fault.remaining -= 1;
      fault.hits += 1;
      return fault;
    }
    return undefined;
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    requests,
    setFault(matcher, fault) {
      const active = new ActiveFault(matcher, normalizeFault(fault));
      faults.push(active);
      return {
        get hits() {
          return active.hits;
        },
        remove() {
          const index = faults.indexOf(active);
          if (index >= 0) faults.splice(index, 1);
        },
      };
    },
    reset() {
      faults.length = 0;
      requests.length = 0;
      limits.reset();
      snapshot.clear();
    },
    close() {
      return new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolveClose());
      });
    },
  };
}
