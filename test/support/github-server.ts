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
 *   repository's `refs(refPrefix:, first:)` (see graphqlRefs). Selections are validated against the small schema
 *   in GRAPHQL_SCHEMA and answered with only the fields asked for, inline fragments by their type; other field
 *   arguments are ignored; named fragments, directives and mutations are not supported.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';

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

export type FaultKind = 'status' | 'hang' | 'invalidJson' | 'truncatedTree' | 'delay';

export type FaultAction =
  /** Answer with `status` and a JSON body (default: a GitHub-style {message}). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answer. */
  | { kind: 'hang' }
  /** 200 with a JSON content type and a body cut in the middle. */
  | { kind: 'invalidJson' }
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
  setFault(matcher: FaultMatcher, fault: Fault | number | 'hang' | 'invalidJson' | 'truncatedTree'): FaultHandle;
  /** Forgets faults, the request log, rate-limit use and cached snapshot data. */
  reset(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const NOT_FOUND = { message: 'Not Found', documentation_url: DOCS, status: '404' };

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
    const payload = answer.raw ?? Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body));
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

// ---------------------------------------------------------------------------------------------------------
// Routing

interface RouteContext {
  method: string;
  url: URL;
  base: string;
  accept: string;
  body: string;
  auth: Auth;
  limits: RateLimits;
  snapshot: Snapshot;
  truncate: number | undefined;
}

interface Answer {
  status: number;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function route(ctx: RouteContext): Answer {
  const { method, url } = ctx;
  const path = url.pathname;
  if (method === 'POST' && path === '/graphql') return graphql(ctx);
  if (method !== 'GET' && method !== 'HEAD') return notFound();
  if (path === '/rate_limit') return { status: 200, body: ctx.limits.summary(ctx.auth.identity) };

  const org = /^\/orgs\/([^/]+)\/repos\/?$/.exec(path);
  if (org) return orgRepos(ctx, decodeURIComponent(org[1]!));

  const match = /^\/repos\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match) return notFound();
  const repo = ctx.snapshot.repo(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
  if (!repo) return notFound();
  const rest = match[3] ?? '';
  const api = `${ctx.base}/repos/${repo.fullName}`;

  if (rest === '') return { status: 200, body: repoObject(ctx.base, repo) };

  let m: RegExpExecArray | null;
  if ((m = /^branches\/(.+)$/.exec(rest))) {
    const branch = decodeURIComponent(m[1]!);
    if (branch !== repo.defaultBranch) return { status: 404, body: { message: 'Branch not found', documentation_url: DOCS, status: '404' } };
    return {
      status: 200,
      body: {
        name: branch,
        commit: commitObject(api, repo, repo.headSha),
        _links: { self: `${api}/branches/${encodeURIComponent(branch)}`, html: `${repo.htmlUrl}/tree/${branch}` },
        protected: false,
      },
    };
  }
  if ((m = /^commits\/(.+)$/.exec(rest))) {
    const ref = decodeURIComponent(m[1]!);
    const sha = repo.resolveRef(ref);
    if (!sha) return { status: 422, body: { message: `No commit found for SHA: ${ref}`, documentation_url: `${DOCS}/commits/commits#get-a-commit`, status: '422' } };
    if (ctx.accept.includes('application/vnd.github.sha')) {
      return { status: 200, raw: Buffer.from(sha), contentType: 'application/vnd.github.sha; charset=utf-8' };
    }
    return { status: 200, body: commitObject(api, repo, sha) };
  }
  if ((m = /^git\/trees\/(.+)$/.exec(rest))) {
    const recursive = url.searchParams.has('recursive');
    const tree = repo.treeFor(decodeURIComponent(m[1]!), recursive);
    if (!tree) return notFound();
    let entries = tree.entries;
    let truncated = repo.truncated;
    if (ctx.truncate !== undefined) {
      entries = entries.slice(0, Math.floor(entries.length * Math.min(1, Math.max(0, ctx.truncate))));
      truncated = true;
    }
    return {
      status: 200,
      body: {
        sha: tree.sha,
        url: `${api}/git/trees/${tree.sha}`,
        tree: entries.map((e) => treeEntryObject(api, e)),
        truncated,
      },
    };
  }
  if ((m = /^git\/blobs\/([^/]+)$/.exec(rest))) {
    const sha = decodeURIComponent(m[1]!);
    const bytes = repo.blob(sha);
    if (!bytes) return notFound();
    return {
      status: 200,
      body: {
        sha,
        node_id: nodeId('B', `${repo.fullName}:${sha}`),
        size: bytes.length,
        url: `${api}/git/blobs/${sha}`,
        content: base64Lines(bytes),
        encoding: 'base64',
      },
    };
  }
  if ((m = /^contents(?:\/(.*))?$/.exec(rest))) return contents(ctx, repo, api, decodeURIComponent(m[1] ?? ''));
  if (rest === 'tags') {
    const tags = repo.tags.map((t) => ({
      name: t.name,
      zipball_url: `${api}/zipball/refs/tags/${encodeURIComponent(t.name)}`,
      tarball_url: `${api}/tarball/refs/tags/${encodeURIComponent(t.name)}`,
      commit: { sha: t.sha, url: `${api}/commits/${t.sha}` },
      node_id: nodeId('REF', `${repo.fullName}:${t.name}`),
    }));
    return paginate(ctx, tags);
  }
  if (rest === 'releases') return paginate(ctx, repo.releases);
  return notFound();
}

function notFound(): Answer {
  return { status: 404, body: NOT_FOUND };
}

function orgRepos(ctx: RouteContext, org: string): Answer {
  const repos = ctx.snapshot.orgRepos(org);
  if (!repos) return notFound();
  const sort = ctx.url.searchParams.get('sort') ?? 'full_name';
  const byPushed = sort === 'pushed' || sort === 'updated';
  const direction = ctx.url.searchParams.get('direction') ?? (byPushed ? 'desc' : 'asc');
  const sorted = [...repos].sort((a, b) =>
    byPushed ? (a.pushedAt ?? '').localeCompare(b.pushedAt ?? '') : a.fullName.localeCompare(b.fullName),
  );
  if (direction === 'desc') sorted.reverse();
  return paginate(ctx, sorted.map((r) => repoObject(ctx.base, r)));
}

function contents(ctx: RouteContext, repo: RepoData, api: string, path: string): Answer {
  const ref = ctx.url.searchParams.get('ref') ?? repo.defaultBranch;
  const sha = repo.resolveRef(ref);
  if (!sha) return { status: 404, body: { message: `No commit found for the ref ${ref}`, documentation_url: `${DOCS}/repos/contents`, status: '404' } };
  if (sha !== repo.headSha) return notFound(); // the snapshot has no other commit's tree
  const clean = path.replace(/\/+$/, '');
  const item = (e: SnapshotEntry) => {
    const type = e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
    const encoded = e.path.split('/').map(encodeURIComponent).join('/');
    return {
      type,
      name: e.path.split('/').pop(),
      path: e.path,
      sha: e.sha,
      size: e.size ?? 0,
      url: `${api}/contents/${encoded}?ref=${encodeURIComponent(ref)}`,
      html_url: `${repo.htmlUrl}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${encoded}`,
      git_url: e.type === 'commit' ? null : `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${encoded}` : null,
    };
  };
  if (clean === '' || repo.entry(clean)?.type === 'tree') {
    const prefix = clean === '' ? '' : `${clean}/`;
    const children = repo.entries.filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'));
    return { status: 200, body: children.map(item) };
  }
  const entry = repo.entry(clean);
  const bytes = entry?.type === 'blob' ? repo.file(entry.path) : undefined;
  if (!entry || !bytes) return notFound();
  if (ctx.accept.includes('application/vnd.github.raw')) {
    return { status: 200, raw: bytes, contentType: 'application/vnd.github.raw; charset=utf-8' };
  }
  return { status: 200, body: { ...item(entry), size: bytes.length, content: base64Lines(bytes), encoding: 'base64' } };
}

/** One page of `items` with GitHub's Link header (first/prev/next/last as applicable). */
function paginate(ctx: RouteContext, items: unknown[]): Answer {
  const perPage = clampInt(ctx.url.searchParams.get('per_page'), 30, 1, 100);
  const page = clampInt(ctx.url.searchParams.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const next = new URL(ctx.url.pathname + ctx.url.search, ctx.base);
    next.searchParams.set('per_page', String(perPage));
    next.searchParams.set('page', String(p));
    return `<${next.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) parts.push(`${link(1)}; rel="first"`);
  return { status: 200, body, headers: parts.length > 0 ? { link: parts.join(', ') } : {} };
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function repoObject(base: string, repo: RepoData): Record<string, unknown> {
  const { head_sha: _head, ...json } = repo.json;
  const api = `${base}/repos/${repo.fullName}`;
  return {
    id: numericId(repo.fullName),
    node_id: nodeId('R', repo.fullName),
    private: false,
    visibility: 'public',
    url: api,
    tags_url: `${api}/tags`,
    releases_url: `${api}/releases{/id}`,
    trees_url: `${api}/git/trees{/sha}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    contents_url: `${api}/contents/{+path}`,
    fork: false,
    topics: [],
    ...json,
    owner: { login: repo.owner, id: numericId(repo.owner), type: 'Organization', url: `${base}/users/${repo.owner}`, html_url: `https://github.com/${repo.owner}` },
  };
}

function commitObject(api: string, repo: RepoData, sha: string): Record<string, unknown> {
  const commit: Record<string, unknown> = { message: '', url: `${api}/git/commits/${sha}`, comment_count: 0 };
  // Only the head commit's tree is in the snapshot.
  if (sha === repo.headSha) commit.tree = { sha: repo.treeSha, url: `${api}/git/trees/${repo.treeSha}` };
  return {
    sha,
    node_id: nodeId('C', `${repo.fullName}:${sha}`),
    commit,
    url: `${api}/commits/${sha}`,
    html_url: `${repo.htmlUrl}/commit/${sha}`,
    parents: [],
  };
}

function treeEntryObject(api: string, e: SnapshotEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { path: e.path, mode: e.mode, type: e.type, sha: e.sha };
  if (e.type === 'blob') {
    out.size = e.size;
    out.url = `${api}/git/blobs/${e.sha}`;
  } else if (e.type === 'tree') {
    out.url = `${api}/git/trees/${e.sha}`;
  }
  return out;
}

/** Base64 in 60-character lines, each followed by a newline, as GitHub sends blob content. */
export function base64Lines(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += 60) out += `${encoded.slice(i, i + 60)}\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Snapshot data

interface SnapshotEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

interface SnapshotTag {
  name: string;
  sha: string;
  date?: string;
}

class RepoData {
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly headSha: string;
  readonly htmlUrl: string;
  readonly pushedAt: string | null;
  readonly treeSha: string;
  readonly truncated: boolean;
  readonly entries: SnapshotEntry[];
  readonly tags: SnapshotTag[];
  readonly releases: unknown[];
  private readonly byPath = new Map<string, SnapshotEntry>();
  private readonly blobPaths = new Map<string, string[]>();

  constructor(
    readonly owner: string,
    readonly name: string,
    private readonly dir: string,
    readonly json: Record<string, unknown>,
  ) {
    this.fullName = `${owner}/${name}`;
    this.defaultBranch = String(json.default_branch);
    this.headSha = String(json.head_sha);
    this.htmlUrl = typeof json.html_url === 'string' ? json.html_url : `https://github.com/${this.fullName}`;
    this.pushedAt = typeof json.pushed_at === 'string' ? json.pushed_at : null;
    const tree = readJsonFile(join(dir, 'tree.json')) as { sha: string; truncated?: boolean; tree: SnapshotEntry[] };
    this.treeSha = tree.sha;
    this.truncated = tree.truncated === true;
    this.entries = tree.tree;
    for (const e of this.entries) {
      this.byPath.set(e.path, e);
      if (e.type === 'blob') this.blobPaths.set(e.sha, [...(this.blobPaths.get(e.sha) ?? []), e.path]);
    }
    const tagsFile = join(dir, 'tags.json');
    const tags = existsSync(tagsFile) ? (readJsonFile(tagsFile) as { name: string; commit: { sha: string }; date?: string }[]) : [];
    this.tags = tags.map((t) => ({ name: t.name, sha: t.commit.sha, ...(typeof t.date === 'string' ? { date: t.date } : {}) }));
    const releasesFile = join(dir, 'releases.json');
    this.releases = existsSync(releasesFile) ? (readJsonFile(releasesFile) as unknown[]) : [];
  }

  entry(path: string): SnapshotEntry | undefined {
    return this.byPath.get(path);
  }

  /** The commit a branch name, tag name or (abbreviated) sha names, if the snapshot knows it. */
  resolveRef(ref: string): string | undefined {
    if (ref === this.defaultBranch || ref === `refs/heads/${this.defaultBranch}`) return this.headSha;
    const tagName = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ref;
    const tag = this.tags.find((t) => t.name === tagName);
    if (tag) return tag.sha;
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const known = [this.headSha, ...this.tags.map((t) => t.sha)];
      return known.find((sha) => sha.startsWith(ref));
    }
    return undefined;
  }

  /** Entries of a tree-ish: the head commit (by sha or ref), its root tree, or one of its subtrees. */
  treeFor(treeish: string, recursive: boolean): { sha: string; entries: SnapshotEntry[] } | undefined {
    let prefix: string;
    let sha: string;
    if (treeish === this.treeSha || this.resolveRef(treeish) === this.headSha) {
      prefix = '';
      sha = this.treeSha;
    } else {
      const sub = this.entries.find((e) => e.type === 'tree' && e.sha === treeish);
      if (!sub) return undefined;
      prefix = `${sub.path}/`;
      sha = sub.sha;
    }
    const entries = this.entries
      .filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')))
      .map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
    return { sha, entries };
  }

  blob(sha: string): Buffer | undefined {
    for (const path of this.blobPaths.get(sha) ?? []) {
      const bytes = this.file(path);
      if (bytes) return bytes;
    }
    return undefined;
  }

  file(path: string): Buffer | undefined {
    // Paths come from tree.json, but stay inside files/ all the same.
    if (path.split('/').some((s) => s === '..' || s === '' || s === '.')) return undefined;
    const file = join(this.dir, 'files', ...path.split('/'));
    try {
      return statSync(file).isFile() ? readFileSync(file) : undefined;
    } catch {
      return undefined;
    }
  }
}

class Snapshot {
  private readonly root: string;
  private readonly cache = new Map<string, RepoData | null>();

  constructor(dir: string) {
    const given = resolve(dir);
    this.root = isDir(join(given, 'github')) ? join(given, 'github') : given;
  }

  clear(): void {
    this.cache.clear();
  }

  /** Owner and repository names are case-insensitive on GitHub. */
  repo(owner: string, name: string): RepoData | undefined {
    const key = `${owner}/${name}`.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const ownerDir = findChild(this.root, owner);
    const repoDir = ownerDir ? findChild(join(this.root, ownerDir), name) : undefined;
    let data: RepoData | null = null;
    if (ownerDir && repoDir) {
      const dir = join(this.root, ownerDir, repoDir);
      const json = existsSync(join(dir, 'repo.json')) ? (readJsonFile(join(dir, 'repo.json')) as Record<string, unknown>) : undefined;
      if (json) data = new RepoData(ownerDir, repoDir, dir, json);
    }
    this.cache.set(key, data);
    return data ?? undefined;
  }

  orgRepos(org: string): RepoData[] | undefined {
    const ownerDir = findChild(this.root, org);
    if (!ownerDir) return undefined;
    return readdirSync(join(this.root, ownerDir))
      .map((name) => this.repo(ownerDir, name))
      .filter((r): r is RepoData => r !== undefined);
  }
}

function findChild(dir: string, name: string): string | undefined {
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) return undefined;
  if (isDir(join(dir, name))) return name;
  try {
    return readdirSync(dir).find((child) => child.toLowerCase() === name.toLowerCase() && isDir(join(dir, child)));
  } catch {
    return undefined;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readJsonFile(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL subset

type GraphQLType =
  | 'Query'
  | 'Organization'
  | 'RepositoryConnection'
  | 'PageInfo'
  | 'Repository'
  | 'RepositoryOwner'
  | 'RefConnection'
  | 'Ref'
  | 'Commit'
  | 'Tag'
  | 'RepositoryTopicConnection'
  | 'RepositoryTopic'
  | 'Topic'
  | 'RateLimit';

/** The fields this server knows: null for scalars, else the object type. `__typename` works everywhere. */
export const GRAPHQL_SCHEMA: Record<GraphQLType, Record<string, GraphQLType | null>> = {
  Query: { repository: 'Repository', organization: 'Organization', rateLimit: 'RateLimit' },
  Organization: { login: null, repositories: 'RepositoryConnection' },
  RepositoryConnection: { totalCount: null, pageInfo: 'PageInfo', nodes: 'Repository' },
  PageInfo: { hasNextPage: null, endCursor: null },
  Repository: {
    id: null,
    name: null,
    nameWithOwner: null,
    owner: 'RepositoryOwner',
    description: null,
    url: null,
    pushedAt: null,
    isArchived: null,
    isFork: null,
    isPrivate: null,
    defaultBranchRef: 'Ref',
    repositoryTopics: 'RepositoryTopicConnection',
    refs: 'RefConnection',
  },
  RepositoryOwner: { login: null },
  RefConnection: { totalCount: null, nodes: 'Ref' },
  Ref: { name: null, prefix: null, target: 'Commit' },
  Commit: { oid: null },
  Tag: { oid: null, name: null, target: 'Commit' },
  RepositoryTopicConnection: { totalCount: null, nodes: 'RepositoryTopic' },
  RepositoryTopic: { topic: 'Topic' },
  Topic: { name: null },
  RateLimit: { limit: null, remaining: null, used: null, resetAt: null, cost: null },
};

interface Token {
  kind: 'name' | 'punct' | 'string' | 'number' | 'variable';
  value: string;
  line: number;
  column: number;
}

interface Field {
  alias?: string;
  name: string;
  /** Set on the fields of an inline fragment `... on Type { }`: they apply only to values of that type. */
  onType?: string;
  args: Record<string, unknown>;
  selections?: Field[];
  line: number;
  column: number;
}

class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const column = i - lineStart + 1;
    if (ch === '\n') {
      line += 1;
      lineStart = i + 1;
      i += 1;
    } else if (/[\s,\uFEFF]/.test(ch)) {
      i += 1;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', line, column });
      i += 3;
    } else if ('{}():!=[]@'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch, line, column });
      i += 1;
    } else if (ch === '$' || /[_A-Za-z]/.test(ch)) {
      const m = /^\$?[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: ch === '$' ? 'variable' : 'name', value: ch === '$' ? m[0].slice(1) : m[0], line, column });
      i += m[0].length;
    } else if (ch === '"') {
      const m = /^"(?:[^"\\\n]|\\.)*"/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError('Unterminated string', line, column);
      tokens.push({ kind: 'string', value: JSON.parse(m[0]) as string, line, column });
      i += m[0].length;
    } else if (/[-0-9]/.test(ch)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError(`Unexpected character "${ch}"`, line, column);
      tokens.push({ kind: 'number', value: m[0], line, column });
      i += m[0].length;
    } else {
      throw new GraphQLSyntaxError(`Unexpected character "${ch}"`, line, column);
    }
  }
  return tokens;
}

/** Parses `[query [Name] [(vars)]] { fields }` into the top-level fields. */
function parseQuery(source: string, variables: Record<string, unknown>): Field[] {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (message: string): never => {
    const t = peek() ?? tokens[tokens.length - 1];
    throw new GraphQLSyntaxError(message, t?.line ?? 1, t?.column ?? 1);
  };
  const expect = (value: string) => {
    const t = peek();
    if (!t || t.value !== value || (t.kind !== 'punct' && t.kind !== 'name')) fail(`Expected "${value}"`);
    pos += 1;
  };
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    do {
      const t = tokens[pos++];
      if (!t) fail(`Expected "${close}"`);
      if (t!.kind === 'punct' && t!.value === open) depth += 1;
      if (t!.kind === 'punct' && t!.value === close) depth -= 1;
    } while (depth > 0);
  };
  const value = (): unknown => {
    const t = tokens[pos++];
    if (!t) return fail('Expected a value');
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'variable') {
      if (!(t.value in variables)) throw new GraphQLSyntaxError(`Variable $${t.value} is not provided`, t.line, t.column);
      return variables[t.value];
    }
    if (t.kind === 'name') return t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'null' ? null : t.value;
    if (t.value === '[' || t.value === '{') {
      pos -= 1;
      skipBalanced(t.value, t.value === '[' ? ']' : '}');
      return undefined; // list and object arguments are accepted and ignored
    }
    return fail(`Unexpected "${t.value}"`);
  };
  const selectionSet = (): Field[] => {
    expect('{');
    const fields: Field[] = [];
    while (peek() && peek()!.value !== '}') {
      const t = peek()!;
      if (t.kind === 'punct' && t.value === '...') {
        pos += 1;
        if (peek()?.value !== 'on') fail('Named fragments are not supported by this test server');
        const onType = tokens[pos + 1];
        if (!onType || onType.kind !== 'name') fail('Expected a type name after "on"');
        pos += 2;
        fields.push(...selectionSet().map((f) => ({ ...f, onType: onType!.value })));
        continue;
      }
      if (t.kind !== 'name') fail(`Expected a field name, found "${t.value}"`);
      pos += 1;
      let alias: string | undefined;
      let name = t.value;
      if (peek()?.value === ':') {
        pos += 1;
        const real = tokens[pos++];
        if (!real || real.kind !== 'name') fail('Expected a field name after the alias');
        alias = name;
        name = real!.value;
      }
      const args: Record<string, unknown> = {};
      if (peek()?.value === '(') {
        pos += 1;
        while (peek() && peek()!.value !== ')') {
          const argName = tokens[pos++]!;
          expect(':');
          args[argName.value] = value();
        }
        expect(')');
      }
      if (peek()?.value === '@') fail('Directives are not supported by this test server');
      const field: Field = { name, args, line: t.line, column: t.column };
      if (alias) field.alias = alias;
      if (peek()?.value === '{') field.selections = selectionSet();
      fields.push(field);
    }
    expect('}');
    return fields;
  };

  if (peek()?.kind === 'name') {
    const keyword = peek()!.value;
    if (keyword !== 'query') fail(`"${keyword}" operations are not supported by this test server`);
    pos += 1;
    if (peek()?.kind === 'name') pos += 1;
    if (peek()?.value === '(') skipBalanced('(', ')');
  }
  const fields = selectionSet();
  if (pos < tokens.length) fail('Only one operation per document is supported by this test server');
  return fields;
}

interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

function validate(fields: Field[], type: GraphQLType, errors: GraphQLError[]): void {
  for (const field of fields) {
    const location = [{ line: field.line, column: field.column }];
    if (field.name === '__typename') continue;
    if (field.onType && !(field.onType in GRAPHQL_SCHEMA)) {
      errors.push({ message: `No such type ${field.onType}, so it can't be a fragment condition`, locations: location });
      continue;
    }
    const on = (field.onType ?? type) as GraphQLType;
    const known = GRAPHQL_SCHEMA[on];
    if (!(field.name in known)) {
      errors.push({
        message: `Field '${field.name}' doesn't exist on type '${on}'`,
        locations: location,
        extensions: { code: 'undefinedField', typeName: on, fieldName: field.name },
      });
      continue;
    }
    const child = known[field.name] ?? null;
    if (child && !field.selections) {
      errors.push({ message: `Field must have selections (field '${field.name}' returns ${child} but has no selections.)`, locations: location });
    } else if (!child && field.selections) {
      errors.push({ message: `Selections can't be made on scalars (field '${field.name}' returns a scalar)`, locations: location });
    } else if (child && field.selections) {
      validate(field.selections, child, errors);
    }
  }
}

/**
 * Keeps only the selected fields of a fully built value, under their aliases. A field whose value is a
 * function takes arguments: it is called with them. Fragment fields apply only to values of their type.
 */
function project(value: unknown, fields: Field[]): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, fields));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.onType && source.__typename !== field.onType) continue;
    const key = field.alias ?? field.name;
    const raw = source[field.name];
    const v = (typeof raw === 'function' ? (raw as (args: Record<string, unknown>) => unknown)(field.args) : raw) ?? null;
    out[key] = field.selections ? project(v, field.selections) : v;
  }
  return out;
}

/**
 * `refs(refPrefix:, first:)`: "refs/tags/" lists the tags newest first by their tags.json date (what
 * `orderBy: {field: TAG_COMMIT_DATE, direction: DESC}` asks of GitHub; orderBy itself is not read),
 * "refs/heads/" the default branch. `first` defaults to 30 and is capped at 100; there is no second page.
 */
function graphqlRefs(repo: RepoData, args: Record<string, unknown>): Record<string, unknown> {
  const first = typeof args.first === 'number' ? Math.min(100, Math.max(0, args.first)) : 30;
  const ref = (prefix: string, name: string, oid: string) => ({ __typename: 'Ref', name, prefix, target: { __typename: 'Commit', oid } });
  let refs: ReturnType<typeof ref>[] = [];
  if (args.refPrefix === 'refs/tags/') {
    const time = (date: string | undefined) => (date ? Date.parse(date) || 0 : 0);
    const byDate = repo.tags.map((t, i) => ({ t, i })).sort((a, b) => time(b.t.date) - time(a.t.date) || a.i - b.i);
    refs = byDate.map(({ t }) => ref('refs/tags/', t.name, t.sha));
  } else if (args.refPrefix === 'refs/heads/') {
    refs = [ref('refs/heads/', repo.defaultBranch, repo.headSha)];
  }
  return { __typename: 'RefConnection', totalCount: refs.length, nodes: refs.slice(0, first) };
}

function graphqlRepository(repo: RepoData): Record<string, unknown> {
  const topics = Array.isArray(repo.json.topics) ? (repo.json.topics as string[]) : [];
  return {
    __typename: 'Repository',
    id: nodeId('R', repo.fullName),
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: { __typename: 'Organization', login: repo.owner },
    description: typeof repo.json.description === 'string' ? repo.json.description : null,
    url: repo.htmlUrl,
    pushedAt: repo.pushedAt,
    isArchived: repo.json.archived === true,
    isFork: repo.json.fork === true,
    isPrivate: false,
    defaultBranchRef: {
      __typename: 'Ref',
      name: repo.defaultBranch,
      prefix: 'refs/heads/',
      target: { __typename: 'Commit', oid: repo.headSha },
    },
    repositoryTopics: {
      __typename: 'RepositoryTopicConnection',
      totalCount: topics.length,
      nodes: topics.map((name) => ({ __typename: 'RepositoryTopic', topic: { __typename: 'Topic', name } })),
    },
    refs: (args: Record<string, unknown>) => graphqlRefs(repo, args),
  };
}

/**
 * An Organization with its `repositories(first:, after:)` connection, sorted by name. Cursors are opaque
 * base64 offsets; `first` defaults to 30 and is capped at 100.
 */
function graphqlOrganization(repos: RepoData[], fields: Field[], login: string): Record<string, unknown> {
  const sorted = [...repos].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') out[key] = 'Organization';
    else if (field.name === 'login') out[key] = repos[0]?.owner ?? login;
    else if (field.name === 'repositories') {
      const first = typeof field.args.first === 'number' ? Math.min(100, Math.max(1, field.args.first)) : 30;
      const after = typeof field.args.after === 'string' ? Number(Buffer.from(field.args.after, 'base64').toString('utf8').replace(/^cursor:/, '')) : -1;
      const start = Number.isFinite(after) ? after + 1 : 0;
      const page = sorted.slice(start, start + first);
      const end = start + page.length - 1;
      const connection = {
        __typename: 'RepositoryConnection',
        totalCount: sorted.length,
        pageInfo: { __typename: 'PageInfo', hasNextPage: end < sorted.length - 1, endCursor: page.length > 0 ? Buffer.from(`cursor:${end}`).toString('base64') : null },
        nodes: page.map(graphqlRepository),
      };
      out[key] = project(connection, field.selections ?? []);
    }
  }
  return out;
}

function graphql(ctx: RouteContext): Answer {
  if (ctx.auth.kind !== 'token') {
    return { status: 401, body: { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql', status: '401' } };
  }
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(ctx.body) as typeof request;
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
  }
  if (typeof request.query !== 'string') {
    return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  }
  const variables = (typeof request.variables === 'object' && request.variables !== null ? request.variables : {}) as Record<string, unknown>;
  let fields: Field[];
  try {
    fields = parseQuery(request.query, variables);
  } catch (error) {
    if (!(error instanceof GraphQLSyntaxError)) throw error;
    return { status: 200, body: { errors: [{ message: `Parse error: ${error.message}`, locations: [{ line: error.line, column: error.column }] }] } };
  }
  const errors: GraphQLError[] = [];
  validate(fields, 'Query', errors);
  if (errors.length > 0) return { status: 200, body: { errors } };

  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      data[key] = 'Query';
    } else if (field.name === 'organization') {
      const login = field.args.login;
      const repos = typeof login === 'string' ? ctx.snapshot.orgRepos(login) : undefined;
      if (!repos) {
        errors.push({
          type: 'NOT_FOUND',
          path: [key],
          locations: [{ line: field.line, column: field.column }],
          message: `Could not resolve to an Organization with the login of '${String(login)}'.`,
        });
        data[key] = null;
        continue;
      }
      data[key] = graphqlOrganization(repos, field.selections ?? [], String(login));
    } else if (field.name === 'rateLimit') {
      const counter = ctx.limits.counter(ctx.auth.identity, 'graphql');
      data[key] = project({ __typename: 'RateLimit', ...counter.graphqlSummary() }, field.selections ?? []);
    } else {
      const { owner, name } = field.args;
      if (typeof owner !== 'string' || typeof name !== 'string') {
        errors.push({ message: "Field 'repository' is missing required arguments: owner, name", path: [key], locations: [{ line: field.line, column: field.column }] });
        data[key] = null;
        continue;
      }
      const repo = ctx.snapshot.repo(owner, name);
      if (!repo) {
        errors.push({
          type: 'NOT_FOUND',
          path: [key],
          locations: [{ line: field.line, column: field.column }],
          message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        });
        data[key] = null;
        continue;
      }
      data[key] = project(graphqlRepository(repo), field.selections ?? []);
    }
  }
  return { status: 200, body: errors.length > 0 ? { data, errors } : { data } };
}

// ---------------------------------------------------------------------------------------------------------
// Auth, rate limits, faults, helpers

interface Auth {
  kind: 'token' | 'anonymous' | 'bad';
  identity: string;
}

function authenticate(header: string | undefined, expected: string | undefined): Auth {
  if (!header) return { kind: 'anonymous', identity: 'anonymous' };
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  const token = m?.[1];
  if (!token || (expected !== undefined && token !== expected)) return { kind: 'bad', identity: 'bad' };
  return { kind: 'token', identity: `token:${createHash('sha1').update(token).digest('hex')}` };
}

class Counter {
  used = 0;
  resetAt: number;

  constructor(
    readonly limit: number,
    readonly resource: string,
    private readonly windowSeconds: number,
  ) {
    this.resetAt = Math.ceil(Date.now() / 1000) + windowSeconds;
  }

  private roll(): void {
    const now = Date.now() / 1000;
    if (now >= this.resetAt) {
      this.used = 0;
      this.resetAt = Math.ceil(now) + this.windowSeconds;
    }
  }

  exhausted(): boolean {
    this.roll();
    return this.used >= this.limit;
  }

  use(): void {
    this.roll();
    this.used += 1;
  }

  headers(): Record<string, string> {
    this.roll();
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-resource': this.resource,
    };
  }

  summary(): Record<string, number> {
    this.roll();
    return { limit: this.limit, used: this.used, remaining: Math.max(0, this.limit - this.used), reset: this.resetAt };
  }

  graphqlSummary(): Record<string, unknown> {
    this.roll();
    return { limit: this.limit, used: this.used, remaining: Math.max(0, this.limit - this.used), resetAt: new Date(this.resetAt * 1000).toISOString(), cost: 1 };
  }
}

class RateLimits {
  private readonly counters = new Map<string, Counter>();
  private readonly limit: number;
  private readonly anonymousLimit: number;
  private readonly windowSeconds: number;

  constructor(options: GitHubServerOptions) {
    this.limit = options.rateLimit ?? 5000;
    this.anonymousLimit = options.anonymousLimit ?? (options.token !== undefined ? 60 : this.limit);
    this.windowSeconds = options.rateLimitWindowSeconds ?? 3600;
  }

  counter(identity: string, resource: string): Counter {
    const key = `${identity} ${resource}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new Counter(identity === 'anonymous' ? this.anonymousLimit : this.limit, resource, this.windowSeconds);
      this.counters.set(key, counter);
    }
    return counter;
  }

  summary(identity: string): Record<string, unknown> {
    const core = this.counter(identity, 'core').summary();
    return { resources: { core, graphql: this.counter(identity, 'graphql').summary() }, rate: core };
  }

  reset(): void {
    this.counters.clear();
  }
}

class ActiveFault {
  hits = 0;
  remaining: number | undefined;
  readonly probability: number | undefined;
  readonly delayMs: number | undefined;
  readonly action: FaultAction;
  readonly matches: (request: RequestInfo) => boolean;

  constructor(matcher: FaultMatcher, fault: Fault) {
    const { times, probability, delayMs, ...action } = fault;
    this.action = action as FaultAction;
    this.remaining = times;
    this.probability = probability;
    this.delayMs = delayMs;
    this.matches = compileMatcher(matcher);
  }
}

function compileMatcher(matcher: FaultMatcher): (request: RequestInfo) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) return (request) => matcher.test(request.path);
  const m = /^([A-Z]+)\s+(.*)$/.exec(matcher);
  const method = m?.[1];
  const isMatch = picomatch(m ? m[2]! : matcher, { dot: true });
  return (request) => (method === undefined || request.method === method) && isMatch(request.path);
}

function normalizeFault(fault: Fault | number | 'hang' | 'invalidJson' | 'truncatedTree'): Fault {
  if (typeof fault === 'number') return { kind: 'status', status: fault };
  if (typeof fault === 'string') return { kind: fault } as Fault;
  return fault;
}

function etagMatches(header: string, etag: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || strip(candidate) === strip(etag));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | null): number {
  const length = body?.length ?? 0;
  res.writeHead(status, body ? { ...headers, 'content-length': String(length) } : headers);
  res.end(body ?? undefined);
  return length;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  send(res, status, { ...headers, 'content-type': JSON_TYPE }, Buffer.from(JSON.stringify(body)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** Small seeded generator, so probabilistic faults repeat from run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numericId(text: string): number {
  return Number.parseInt(createHash('sha1').update(text).digest('hex').slice(0, 8), 16);
}

function nodeId(prefix: string, text: string): string {
  return `${prefix}_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
}
