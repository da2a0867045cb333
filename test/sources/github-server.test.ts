import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const ALPHA_HEAD = '700ddbbc2dec35402fa4d42c5fa7fb60fe56c6e9';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

async function get(server: GitHubServer, path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, { headers, ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const graphql = (server: GitHubServer, query: string, variables?: Record<string, unknown>, token = 'any') =>
  get(server, '/graphql', { authorization: `token ${token}`, 'content-type': 'application/json' }, {
    method: 'POST',
    body: JSON.stringify({ query, variables }),
  });

describe('GitHub test server', () => {
  const server = useGitHubServer({ snapshotDir: FIXTURE, seed: 42 });

  it('serves repository metadata shaped like GitHub, without snapshot-only fields', async () => {
    const reply = await get(server, '/repos/fixture-org/alpha');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.json()).toMatchObject({
      name: 'alpha',
      full_name: 'fixture-org/alpha',
      owner: { login: 'fixture-org' },
      default_branch: 'master',
      description: 'Alpha service',
      html_url: 'https://github.com/fixture-org/alpha',
      pushed_at: '2024-03-10T10:00:00+00:00',
      archived: false,
      fork: false,
      topics: [],
    });
    expect(reply.json()).not.toHaveProperty('head_sha');
    // GitHub names are case-insensitive.
    expect((await get(server, '/repos/Fixture-Org/ALPHA')).json().full_name).toBe('fixture-org/alpha');
  });

  it('answers GitHub-style 404s', async () => {
    for (const path of ['/repos/fixture-org/gamma', '/repos/nobody/alpha', '/repos/fixture-org/alpha/nothing', '/nothing', '/repos/fixture-org/alpha/git/blobs/0000']) {
      const reply = await get(server, path);
      expect(reply.status, path).toBe(404);
      expect(reply.json()).toMatchObject({ message: 'Not Found', documentation_url: expect.stringContaining('docs.github.com') });
    }
  });

  it('resolves branches, tags and shas to commits', async () => {
    expect((await get(server, '/repos/fixture-org/alpha/branches/master')).json()).toMatchObject({ name: 'master', commit: { sha: ALPHA_HEAD } });
    expect((await get(server, '/repos/fixture-org/alpha/branches/develop')).status).toBe(404);
    expect((await get(server, '/repos/fixture-org/alpha/commits/master')).json().sha).toBe(ALPHA_HEAD);
    expect((await get(server, '/repos/fixture-org/alpha/commits/v1.2.0')).json().sha).toBe(ALPHA_HEAD);
    expect((await get(server, `/repos/fixture-org/alpha/commits/${ALPHA_HEAD.slice(0, 7)}`)).json().sha).toBe(ALPHA_HEAD);
    const v1 = (await get(server, '/repos/fixture-org/alpha/commits/v1.0.0')).json();
    expect(v1.sha).not.toBe(ALPHA_HEAD);
    const sha = await get(server, '/repos/fixture-org/alpha/commits/master', { accept: 'application/vnd.github.sha' });
    expect(sha.text).toBe(ALPHA_HEAD);
    const unknown = await get(server, '/repos/fixture-org/alpha/commits/nope');
    expect(unknown.status).toBe(422);
    expect(unknown.json().message).toBe('No commit found for SHA: nope');
  });

  it('serves the recursive tree by commit, tree sha or subtree', async () => {
    const byCommit = (await get(server, `/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}?recursive=1`)).json();
    const byTree = (await get(server, `/repos/fixture-org/alpha/git/trees/${byCommit.sha}?recursive=1`)).json();
    expect(byTree).toEqual(byCommit);
    expect(byCommit.truncated).toBe(false);
    expect(byCommit.tree.map((e: { path: string }) => e.path)).toContain('docs/guide/setup.md');
    const top = (await get(server, `/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}`)).json();
    expect(top.tree.every((e: { path: string }) => !e.path.includes('/'))).toBe(true);
    const docsSha = byCommit.tree.find((e: { path: string }) => e.path === 'docs').sha;
    const docs = (await get(server, `/repos/fixture-org/alpha/git/trees/${docsSha}`)).json();
    expect(docs.tree.map((e: { path: string }) => e.path)).toContain('index.md');
  });

  it('serves blobs in base64 with 60-character lines, for files the snapshot holds', async () => {
    const tree = (await get(server, `/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}?recursive=1`)).json();
    const entry = tree.tree.find((e: { path: string }) => e.path === 'docs/img/diagram.png');
    const blob = (await get(server, `/repos/fixture-org/alpha/git/blobs/${entry.sha}`)).json();
    expect(blob).toMatchObject({ sha: entry.sha, size: entry.size, encoding: 'base64' });
    const lines = (blob.content as string).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -2).every((l) => l.length === 60)).toBe(true);
    const bytes = Buffer.from(blob.content, 'base64');
    expect(gitBlobSha(bytes)).toBe(entry.sha);
    const license = tree.tree.find((e: { path: string }) => e.path === 'LICENSE');
    expect((await get(server, `/repos/fixture-org/alpha/git/blobs/${license.sha}`)).status).toBe(404);
  });

  it('serves contents: files in base64 or raw, and folder listings', async () => {
    const file = (await get(server, '/repos/fixture-org/beta/contents/docs/api.md?ref=main')).json();
    expect(file).toMatchObject({ type: 'file', name: 'api.md', path: 'docs/api.md', encoding: 'base64' });
    expect(Buffer.from(file.content, 'base64').toString()).toContain('# API');
    const raw = await get(server, '/repos/fixture-org/beta/contents/docs/api.md', { accept: 'application/vnd.github.raw' });
    expect(raw.text).toContain('# API');
    const spaced = await get(server, `/repos/fixture-org/alpha/contents/docs/guide/${encodeURIComponent('Über Größe.md')}`);
    expect(spaced.status).toBe(200);
    const root = (await get(server, '/repos/fixture-org/alpha/contents')).json();
    expect(root.map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual(
      expect.arrayContaining(['dir:docs', 'file:README.md', 'file:LICENSE', 'dir:vendor']),
    );
    expect((await get(server, '/repos/fixture-org/alpha/contents/vendor')).json()).toEqual([
      expect.objectContaining({ type: 'submodule', name: 'lib' }),
    ]);
    expect((await get(server, '/repos/fixture-org/alpha/contents/README.md?ref=nope')).status).toBe(404);
    expect((await get(server, '/repos/fixture-org/alpha/contents/src/main.py')).status).toBe(404);
  });

  it('paginates organisation repositories with Link headers', async () => {
    const first = await get(server, '/orgs/fixture-org/repos?per_page=1');
    expect(first.json().map((r: { name: string }) => r.name)).toEqual(['alpha']);
    const link = first.headers.get('link')!;
    expect(link).toBe(
      `<${server.url}/orgs/fixture-org/repos?per_page=1&page=2>; rel="next", <${server.url}/orgs/fixture-org/repos?per_page=1&page=2>; rel="last"`,
    );
    const second = await get(server, '/orgs/fixture-org/repos?per_page=1&page=2');
    expect(second.json().map((r: { name: string }) => r.name)).toEqual(['beta']);
    expect(second.headers.get('link')).toContain('rel="prev"');
    expect(second.headers.get('link')).toContain('rel="first"');
    expect(second.headers.get('link')).not.toContain('rel="next"');
    const all = await get(server, '/orgs/fixture-org/repos');
    expect(all.json()).toHaveLength(2);
    expect(all.headers.get('link')).toBeNull();
    expect((await get(server, '/orgs/nobody/repos')).status).toBe(404);
    expect((await get(server, '/repos/fixture-org/alpha/releases')).json()).toEqual([]);
  });

  it('uses 30 per page by default and at most 100', async () => {
    expect((await get(server, '/repos/fixture-org/alpha/tags')).json()).toHaveLength(3);
    const tags = await get(server, '/repos/fixture-org/alpha/tags?per_page=500&page=1');
    expect(tags.json()[0]).toMatchObject({ name: 'v1.2.0', commit: { sha: ALPHA_HEAD } });
    expect((await get(server, '/repos/fixture-org/alpha/tags?per_page=2&page=2')).json().map((t: { name: string }) => t.name)).toEqual(['v1.0.0']);
  });

  it('sends an ETag and answers If-None-Match with 304, which does not use the budget', async () => {
    const first = await get(server, '/repos/fixture-org/alpha');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4999');
    const again = await get(server, '/repos/fixture-org/alpha', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect((await get(server, '/repos/fixture-org/alpha', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get(server, '/repos/fixture-org/alpha', { 'if-none-match': '"other"' })).status).toBe(200);
    expect(server.requests.map((r) => [r.status, r.conditional])).toEqual([
      [200, false],
      [304, true],
      [304, true],
      [200, true],
    ]);
    expect(server.requests[1]!.bytes).toBe(0);
    expect(server.requests[0]!.bytes).toBe(first.text.length);
  });

  it('keeps a request log with paths, queries and statuses', async () => {
    await get(server, '/repos/fixture-org/alpha/tags?per_page=2&page=2');
    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: '/repos/fixture-org/alpha/tags',
        query: { per_page: '2', page: '2' },
        status: 200,
        conditional: false,
        bytes: expect.any(Number),
        authenticated: false,
      },
    ]);
  });

  describe('faults', () => {
    it('answers a status for the next K matching requests', async () => {
      const fault = server.setFault('GET /repos/*/alpha', { kind: 'status', status: 503, times: 2, body: { message: 'busy' } });
      expect((await get(server, '/repos/fixture-org/beta')).status).toBe(200);
      const first = await get(server, '/repos/fixture-org/alpha');
      expect(first.status).toBe(503);
      expect(first.json()).toEqual({ message: 'busy' });
      expect((await get(server, '/repos/fixture-org/alpha')).status).toBe(503);
      expect((await get(server, '/repos/fixture-org/alpha')).status).toBe(200);
      expect(fault.hits).toBe(2);
      expect(server.requests.map((r) => r.fault)).toEqual([undefined, 'status', 'status', undefined]);
    });

    it('applies a probability with a seeded generator, the same way on every run', async () => {
      const run = async () => {
        server.reset();
        server.setFault(/\/tags$/, { kind: 'status', status: 500, probability: 0.5 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await get(server, '/repos/fixture-org/alpha/tags')).status);
        return statuses;
      };
      const once = await run();
      expect(once.filter((s) => s === 500).length).toBeGreaterThan(3);
      expect(once.filter((s) => s === 200).length).toBeGreaterThan(3);
      const other = await startGitHubServer({ snapshotDir: FIXTURE, seed: 42 });
      try {
        other.setFault(/\/tags$/, { kind: 'status', status: 500, probability: 0.5 });
        const again: number[] = [];
        for (let i = 0; i < 20; i++) again.push((await get(other, '/repos/fixture-org/alpha/tags')).status);
        expect(again).toEqual(once);
      } finally {
        await other.close();
      }
    });

    it('can hang, send invalid JSON, truncate trees, delay, and be removed', async () => {
      const hang = server.setFault('/repos/fixture-org/beta', 'hang');
      await expect(fetch(`${server.url}/repos/fixture-org/beta`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
      expect(server.requests.at(-1)).toMatchObject({ status: null, fault: 'hang' });
      hang.remove();
      expect((await get(server, '/repos/fixture-org/beta')).status).toBe(200);

      server.setFault('/repos/fixture-org/beta', { kind: 'invalidJson', times: 1 });
      const invalid = await get(server, '/repos/fixture-org/beta');
      expect(invalid.status).toBe(200);
      expect(() => invalid.json()).toThrow();

      server.setFault('**/git/trees/*', { kind: 'truncatedTree', keep: 0.25 });
      expect((await get(server, '/repos/fixture-org/beta')).status).toBe(200); // not a tree: untouched
      const full = (await get(server, `/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}?recursive=1`)).json();
      expect(full.truncated).toBe(true);
      server.reset();
      const whole = (await get(server, `/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}?recursive=1`)).json();
      expect(full.tree.length).toBe(Math.floor(whole.tree.length * 0.25));

      server.setFault('/repos/fixture-org/beta', { kind: 'delay', delayMs: 150 });
      const started = Date.now();
      expect((await get(server, '/repos/fixture-org/beta')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('GraphQL', () => {
    it('answers aliased repository fields with only what was selected', async () => {
      const reply = await graphql(
        server,
        `query Repos($owner: String!) {
          r0: repository(owner: $owner, name: "alpha") {
            nameWithOwner
            defaultBranchRef { name target { ... on Commit { oid } } }
            description pushedAt isArchived isFork url
            repositoryTopics(first: 20) { nodes { topic { name } } }
          }
          r1: repository(owner: "fixture-org", name: "gamma") { nameWithOwner }
          r2: repository(owner: "fixture-org", name: "beta") { __typename branch: defaultBranchRef { name } }
        }`,
        { owner: 'fixture-org' },
      );
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-resource')).toBe('graphql');
      expect(reply.json()).toEqual({
        data: {
          r0: {
            nameWithOwner: 'fixture-org/alpha',
            defaultBranchRef: { name: 'master', target: { oid: ALPHA_HEAD } },
            description: 'Alpha service',
            pushedAt: '2024-03-10T10:00:00+00:00',
            isArchived: false,
            isFork: false,
            url: 'https://github.com/fixture-org/alpha',
            repositoryTopics: { nodes: [] },
          },
          r1: null,
          r2: { __typename: 'Repository', branch: { name: 'main' } },
        },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['r1'],
            locations: [{ line: 8, column: 11 }],
            message: "Could not resolve to a Repository with the name 'fixture-org/gamma'.",
          },
        ],
      });
    });

    it('rejects unknown fields, bad syntax and anonymous callers like GitHub', async () => {
      const unknown = (await graphql(server, '{ repository(owner: "fixture-org", name: "alpha") { stargazerCount } }')).json();
      expect(unknown.data).toBeUndefined();
      expect(unknown.errors[0].message).toBe("Field 'stargazerCount' doesn't exist on type 'Repository'");
      const syntax = (await graphql(server, '{ repository(owner: "x", name: "y") { name }')).json();
      expect(syntax.errors[0].message).toMatch(/^Parse error/);
      const anonymous = await get(server, '/graphql', { 'content-type': 'application/json' }, { method: 'POST', body: '{"query":"{ rateLimit { remaining } }"}' });
      expect(anonymous.status).toBe(401);
    });
  });
});

describe('GitHub test server: tags through GraphQL', () => {
  it('lists refs/tags newest first by date, honours first, and applies inline fragments by type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'server-refs-'));
    await cp(FIXTURE, dir, { recursive: true });
    // By the clock, "late" (04:00Z on the 2nd) is newer than "early" (01:00Z), though its text sorts first.
    const tags = [
      { name: 'early', commit: { sha: 'e'.repeat(40) }, date: '2024-01-02T01:00:00+00:00' },
      { name: 'late', commit: { sha: 'f'.repeat(40) }, date: '2024-01-01T23:00:00-05:00' },
      { name: 'old', commit: { sha: 'a'.repeat(40) }, date: '2023-06-01T00:00:00+00:00' },
    ];
    await writeFile(join(dir, 'github/fixture-org/beta/tags.json'), JSON.stringify(tags));
    const server = await startGitHubServer({ snapshotDir: dir });
    try {
      const reply = (await graphql(
        server,
        `{ repository(owner: "fixture-org", name: "beta") {
            refs(refPrefix: "refs/tags/", first: 2, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
              totalCount nodes { name target { oid ... on Tag { target { oid } } } }
            }
          } }`,
      )).json();
      expect(reply).toEqual({ data: { repository: { refs: { totalCount: 3, nodes: [{ name: 'late', target: { oid: 'f'.repeat(40) } }, { name: 'early', target: { oid: 'e'.repeat(40) } }] } } } });
      const unknownType = (await graphql(server, '{ repository(owner: "fixture-org", name: "beta") { refs(refPrefix: "refs/tags/", first: 1) { nodes { target { ... on Tree { oid } } } } } }')).json();
      expect(unknownType.errors[0].message).toBe("No such type Tree, so it can't be a fragment condition");
      const wrongField = (await graphql(server, '{ repository(owner: "fixture-org", name: "beta") { refs(refPrefix: "refs/tags/", first: 1) { nodes { target { ... on Tag { message } } } } } }')).json();
      expect(wrongField.errors[0].message).toBe("Field 'message' doesn't exist on type 'Tag'");
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('GitHub test server rate limits and tokens', () => {
  it('checks the token, and gives anonymous callers a smaller budget', async () => {
    const server = await startGitHubServer({ snapshotDir: FIXTURE, token: 'secret', rateLimit: 3, anonymousLimit: 1, retryAfterSeconds: 7 });
    try {
      const bad = await get(server, '/repos/fixture-org/alpha', { authorization: 'token wrong' });
      expect(bad.status).toBe(401);
      expect(bad.json().message).toBe('Bad credentials');

      expect((await get(server, '/repos/fixture-org/alpha')).headers.get('x-ratelimit-limit')).toBe('1');
      const anonymous = await get(server, '/repos/fixture-org/alpha');
      expect(anonymous.status).toBe(403);
      expect(anonymous.json().message).toMatch(/^API rate limit exceeded for .*Authenticated requests get a higher rate limit/);
      expect(anonymous.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(anonymous.headers.get('retry-after')).toBe('7');

      const auth = { authorization: 'Bearer secret' };
      const first = await get(server, '/repos/fixture-org/alpha', auth);
      expect(first.headers.get('x-ratelimit-limit')).toBe('3');
      expect(first.headers.get('x-ratelimit-used')).toBe('1');
      expect(first.headers.get('x-ratelimit-resource')).toBe('core');
      expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      await get(server, '/repos/fixture-org/alpha/tags', auth);
      await get(server, '/repos/fixture-org/alpha/tags', { ...auth, 'if-none-match': (await get(server, '/repos/fixture-org/beta', auth)).headers.get('etag')! });
      const exhausted = await get(server, '/repos/fixture-org/beta', auth);
      expect(exhausted.status).toBe(403);
      expect(exhausted.json().message).toBe('API rate limit exceeded for user ID 1.');
      expect((await get(server, '/rate_limit', auth)).json().resources.core).toMatchObject({ limit: 3, used: 3, remaining: 0 });

      server.reset();
      expect((await get(server, '/repos/fixture-org/beta', auth)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
