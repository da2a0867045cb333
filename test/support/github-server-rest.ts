/** The REST routes of the GitHub test server: one function per endpoint family, answers shaped as GitHub's. */
import { DOCS, NOT_FOUND } from './github-server-limits.ts';
import { RepoData, Snapshot, type SnapshotEntry } from './github-server-data.ts';
import { graphql } from './github-server-graphql.ts';
import { type Auth, RateLimits, nodeId, numericId } from './github-server-limits.ts';

export interface RouteContext {
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

export interface Answer {
  status: number;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export function route(ctx: RouteContext): Answer {
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
    // As GitHub answers the raw media type: the bytes, labelled UTF-8 whatever they are.
    if (wantsRaw(ctx.accept)) return { status: 200, raw: bytes, contentType: 'application/vnd.github.raw; charset=utf-8' };
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

export function notFound(): Answer {
  return { status: 404, body: NOT_FOUND };
}

export function orgRepos(ctx: RouteContext, org: string): Answer {
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

export function contents(ctx: RouteContext, repo: RepoData, api: string, path: string): Answer {
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
  if (wantsRaw(ctx.accept)) {
    return { status: 200, raw: bytes, contentType: 'application/vnd.github.raw; charset=utf-8' };
  }
  return { status: 200, body: { ...item(entry), size: bytes.length, content: base64Lines(bytes), encoding: 'base64' } };
}

/** One page of `items` with GitHub's Link header (first/prev/next/last as applicable). */
export function paginate(ctx: RouteContext, items: unknown[]): Answer {
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

export function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

export function repoObject(base: string, repo: RepoData): Record<string, unknown> {
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

export function commitObject(api: string, repo: RepoData, sha: string): Record<string, unknown> {
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

export function treeEntryObject(api: string, e: SnapshotEntry): Record<string, unknown> {
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
/** The raw media type, as GitHub takes it: `application/vnd.github.raw` or, as Octokit writes it, `...github.v3.raw`. */
function wantsRaw(accept: string): boolean {
  return /application\/vnd\.github(?:\.v3)?\.raw\b/.test(accept);
}

export function base64Lines(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += 60) out += `${encoded.slice(i, i + 60)}\n`;
  return out;
}
