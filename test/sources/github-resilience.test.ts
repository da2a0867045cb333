/** The GitHub source with a cache, GraphQL batches, retries, rate limits and failing repositories. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCache } from '../../src/sources/cache.ts';
import { createGitHubSource, graphqlUrlFor, type GitHubSourceOptions } from '../../src/sources/github.ts';
import type { RepoContent } from '../../src/sources/types.ts';
import { startGitHubServer } from '../support/github-server.ts';
import { closedPort, docsRequest as request, failure } from '../support/source-requests.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const REPOS = ['fixture-org/alpha', 'fixture-org/beta'];
const FAST = { retries: 2, retryBaseMs: 5, timeoutMs: 2000 } satisfies GitHubSourceOptions;

const tempCache = () => openCache(mkdtempSync(join(tmpdir(), 'gh-cache-')));
const withoutFreshness = ({ freshness: _f, staleReason: _r, ...rest }: RepoContent) => rest;

beforeEach(() => {
  vi.stubEnv('GITHUB_TOKEN', '');
  vi.stubEnv('GITHUB_API_URL', '');
  vi.stubEnv('GITHUB_GRAPHQL_URL', '');
});
afterEach(() => vi.unstubAllEnvs());

describe('GitHub source with a cache', () => {
  const server = useGitHubServer({ snapshotDir: FIXTURE, token: 'good-token', anonymousLimit: 5000 });

  async function loadAll(options: GitHubSourceOptions) {
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, ...options });
    await github.prefetch(REPOS.map((r) => request(r)));
    const contents = await Promise.all(REPOS.map((r) => github.loadRepository(request(r))));
    for (const content of contents) await github.readBlob(content, 'docs/img/diagram.png');
    return { github, contents };
  }

  it('rebuilds without a token from conditional requests only: every answer a 304, no tree, no blob', async () => {
    const cache = tempCache();
    const cold = await loadAll({ cache });
    expect(cold.contents.map((c) => c.freshness)).toEqual(['fresh', 'fresh']);
    expect(cold.github.stats.byKind.blobs).toBeGreaterThan(0);
    server.reset();

    const warm = await loadAll({ cache });
    expect(warm.contents.map(withoutFreshness)).toEqual(cold.contents.map(withoutFreshness));
    expect(warm.contents.map((c) => c.freshness)).toEqual(['cached', 'cached']);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.conditional && r.status === 304)).toBe(true);
    expect(server.requests.some((r) => /\/git\/(trees|blobs)\//.test(r.path))).toBe(false);
    expect(warm.github.stats.byKind).toMatchObject({ blobs: 0, trees: 0, notModified: server.requests.length, conditional: server.requests.length });
    expect(warm.github.stats.repositories).toEqual({ fresh: 0, cached: 2, stale: 0 });
    expect(warm.github.stats.rateLimit.core?.remaining).toBeGreaterThan(0);
  });

  it('with a token, asks one GraphQL query for every head and its tags, and nothing else when no head moved', async () => {
    const cache = tempCache();
    const cold = await loadAll({ cache, token: 'good-token' });
    // The heads of both repositories, then per repository one query for its documents and one for its pages'
    // last-change dates. Through REST only alpha's image (beta has none), and the document GraphQL did not
    // have (the snapshot lacks docs/missing.md: a 404 there too).
    const queries = server.requests.filter((r) => r.path === '/graphql').map((r) => r.body ?? '');
    expect(queries).toHaveLength(5);
    expect(queries.filter((q) => q.includes('history('))).toHaveLength(2);
    expect(queries.filter((q) => q.includes('object(oid: '))).toHaveLength(2);
    const blobPaths = (content: RepoContent, paths: string[]) => paths.map((p) => `/repos/${content.meta.fullName}/git/blobs/${content.tree.find((e) => e.path === p)!.sha}`);
    expect(server.requests.filter((r) => r.path.includes('/git/blobs/')).map((r) => r.path).sort()).toEqual(blobPaths(cold.contents[0]!, ['docs/missing.md', 'docs/img/diagram.png']).sort());
    expect(server.requests.some((r) => r.path === '/repos/fixture-org/alpha' || r.path.includes('/branches/') || r.path.endsWith('/tags'))).toBe(false);
    // The same tags as through REST, where every page is read.
    const rest = await loadAll({ cache: tempCache() });
    expect(cold.contents.map((c) => c.tags)).toEqual(rest.contents.map((c) => c.tags));
    expect(cold.contents.some((c) => c.tags.length > 0)).toBe(true);
    server.reset();

    const warm = await loadAll({ cache, token: 'good-token' });
    expect(warm.contents.map(withoutFreshness)).toEqual(cold.contents.map(withoutFreshness));
    expect(server.requests.map((r) => r.path)).toEqual(['/graphql']);
    expect(warm.github.stats.rateLimit.graphql?.limit).toBe(5000);
  });

  it('takes the commit of an annotated tag from GraphQL, and reads tags through REST when the answer has none', async () => {
    const commit = 'c'.repeat(40);
    // GitHub answers an annotated tag with the tag object, whose own target is the commit.
    const annotated: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/graphql')) return response;
      const body = (await response.json()) as { data: Record<string, { refs: { nodes: { target: unknown }[] } }> };
      body.data.r0!.refs.nodes[0]!.target = { __typename: 'Tag', oid: 't'.repeat(40), target: { oid: commit } };
      delete (body.data.r1 as Partial<(typeof body.data)['r1']>).refs;
      return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
    };
    const { contents } = await loadAll({ token: 'good-token', fetch: annotated });
    expect(contents[0]!.tags[0]!.sha).toBe(commit);
    expect(server.requests.filter((r) => r.path.endsWith('/tags')).map((r) => r.path)).toEqual(['/repos/fixture-org/beta/tags']);
    expect(contents[1]!.tags).toEqual([]);
  });

  it('reads a repository again when its head moved, reusing the blobs it already has', async () => {
    const cache = tempCache();
    await loadAll({ cache });
    // The cache remembers another head: the tree is fetched again, the unchanged blobs are not.
    const record = (await cache.readRepo('fixture-org/alpha', undefined))!;
    await cache.writeRepo({ ...record, commitSha: 'f'.repeat(40) });
    server.reset();
    const { contents } = await loadAll({ cache });
    expect(contents[0]!.freshness).toBe('fresh');
    expect(server.requests.filter((r) => r.path.includes('/git/trees/')).map((r) => r.path)).toEqual([`/repos/fixture-org/alpha/git/trees/${record.commitSha}`]);
    expect(server.requests.filter((r) => r.path.includes('/git/blobs/') && r.status === 200)).toEqual([]);
  });

  it('serves the last good copy, marked stale, when a repository fails; and fails without one', async () => {
    const cache = tempCache();
    const cold = await loadAll({ cache });
    server.reset();
    server.setFault('/repos/fixture-org/alpha{,/**}', 503);
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, cache });
    const stale = await github.loadRepository(request('fixture-org/alpha'));
    expect(stale.freshness).toBe('stale');
    expect(stale.staleReason).toContain('503');
    expect(withoutFreshness(stale)).toEqual(withoutFreshness(cold.contents[0]!));
    expect(github.stats.repositories.stale).toBe(1);
    expect(github.warnings.join('\n')).toContain('stale');
    // Three tries of the first request, then the cached copy.
    expect(server.requests.filter((r) => r.status === 503)).toHaveLength(3);

    await failure(createGitHubSource({ baseUrl: server.url, ...FAST, cache, staleFallback: false }).loadRepository(request('fixture-org/alpha')));
    await failure(createGitHubSource({ baseUrl: server.url, ...FAST, cache: tempCache() }).loadRepository(request('fixture-org/alpha')));
  });

  it('treats a deleted repository like a failing one, and a missing README as an absent page', async () => {
    const cache = tempCache();
    await loadAll({ cache });
    server.setFault('/repos/fixture-org/beta{,/**}', 404);
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, cache });
    const beta = await github.loadRepository(request('fixture-org/beta'));
    expect(beta.freshness).toBe('stale');
    expect(beta.staleReason).toContain('not found (404)');
    server.reset();

    const readme = (await cache.readRepo('fixture-org/alpha', undefined))!.tree.find((e) => e.path === 'README.md')!;
    server.setFault(`/repos/fixture-org/alpha/git/blobs/${readme.sha}`, 404);
    const alpha = await createGitHubSource({ baseUrl: server.url, ...FAST }).loadRepository(request('fixture-org/alpha'));
    expect(alpha.freshness).toBe('fresh');
    expect(alpha.documents.map((d) => d.path)).not.toContain('README.md');
    expect(alpha.documents.length).toBeGreaterThan(0);
  });

  it('stops at once on a rejected token, without trying the other repositories', async () => {
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, token: 'bad-token', cache: tempCache() });
    const error = await failure(github.prefetch(REPOS.map((r) => request(r))));
    expect(error.fatal).toBe(true);
    expect(error.status).toBe(401);
    expect(error.message).toContain('Bad credentials');
    const sent = server.requests.length;
    expect(sent).toBe(1);
    const again = await failure(github.loadRepository(request('fixture-org/beta')));
    expect(again).toBe(error);
    expect(server.requests.length).toBe(sent);
  });

  it('retries a 429 after its Retry-After, and a secondary rate limit', async () => {
    server.setFault('/repos/fixture-org/alpha', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, times: 1 });
    server.setFault('/repos/fixture-org/alpha/branches/*', {
      kind: 'status',
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      times: 1,
    });
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, retryBaseMs: 50 });
    const content = await github.loadRepository(request('fixture-org/alpha'));
    expect(content.documents.length).toBeGreaterThan(0);
    expect(github.stats.byStatus['429']).toBe(1);
    expect(github.stats.byStatus['403']).toBe(1);
    expect(github.stats.byKind.retries).toBe(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      most = Math.max(most, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    server.setFault('/repos/*/*/git/blobs/*', { kind: 'delay', delayMs: 30 });
    const github = createGitHubSource({ baseUrl: server.url, ...FAST, concurrency: 2, fetch: counting });
    await Promise.all(REPOS.map((r) => github.loadRepository(request(r, { include: ['**/*'] }))));
    expect(most).toBe(2);
  });
});

describe('rate limits', () => {
  it('waits for a reset within the bound, then goes on', async () => {
    const server = await startGitHubServer({ snapshotDir: FIXTURE, rateLimit: 6, rateLimitWindowSeconds: 1 });
    try {
      const github = createGitHubSource({ baseUrl: server.url, ...FAST, maxRateLimitWaitSeconds: 5 });
      const started = Date.now();
      const content = await github.loadRepository(request('fixture-org/alpha'));
      expect(content.documents.length).toBe(4);
      // One wait of at most the 1 s window: 2.5 s here under load.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(github.warnings.join('\n')).toMatch(/rate limit reached: waiting \d+ s/);
    } finally {
      await server.close();
    }
  });

  it('stops with the reset time and the way out when the reset is too far', async () => {
    const server = await startGitHubServer({ snapshotDir: FIXTURE, rateLimit: 3 });
    try {
      // The reset is an hour away, beyond the 30 s it may wait: it stops at once rather than waiting 30 s.
      const github = createGitHubSource({ baseUrl: server.url, ...FAST, maxRateLimitWaitSeconds: 30 });
      const started = Date.now();
      const error = await failure(github.loadRepository(request('fixture-org/alpha')));
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(error.fatal).toBe(true);
      expect(error.message).toMatch(/rate limit exhausted until \d{4}-\d\d-\d\dT/);
      expect(error.message).toContain('GITHUB_TOKEN');
      // Further requests are not sent at all.
      const sent = server.requests.length;
      await failure(github.loadRepository(request('fixture-org/beta')));
      expect(server.requests.length).toBe(sent);
    } finally {
      await server.close();
    }
  });
});

describe('GraphQL endpoint', () => {
  it('derives the GraphQL URL from the REST root, GitHub Enterprise included', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example.org/api/v3/')).toBe('https://ghe.example.org/api/graphql');
    expect(createGitHubSource({ baseUrl: 'https://ghe.example.org/api/v3' }).graphqlUrl).toBe('https://ghe.example.org/api/graphql');
    vi.stubEnv('GITHUB_GRAPHQL_URL', 'https://gql.example.org/graphql');
    expect(createGitHubSource().graphqlUrl).toBe('https://gql.example.org/graphql');
  });

  it('falls back to REST when a batch fails', async () => {
    const server = await startGitHubServer({ snapshotDir: FIXTURE });
    try {
      server.setFault('POST /graphql', 500);
      const github = createGitHubSource({ baseUrl: server.url, ...FAST, token: 't' });
      await github.prefetch(REPOS.map((r) => request(r)));
      expect(github.warnings.join('\n')).toContain('reading them through REST');
      const content = await github.loadRepository(request('fixture-org/beta'));
      expect(content.documents.length).toBeGreaterThan(0);
      expect(server.requests.some((r) => r.path.startsWith('/repos/fixture-org/beta/branches/'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('GitHub source when the API cannot be reached', () => {
  it.each([
    ['refuses connections', async () => `http://127.0.0.1:${await closedPort()}`, /the connection was refused \(ECONNREFUSED\)/],
    ['does not resolve', async () => 'http://nonexistent.invalid', /the host name nonexistent\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\)/],
  ])('stops at once, without retrying, when the host %s', async (_name, url, reason) => {
    const baseUrl = await url();
    const github = createGitHubSource({ baseUrl, retries: 3, retryBaseMs: 1000 });
    const started = Date.now();
    const errors = await Promise.all(REPOS.map((r) => failure(github.loadRepository(request(r)))));
    expect(Date.now() - started).toBeLessThan(5000); // three retries would wait 1 + 4 + 9 s
    expect(errors[0]!.fatal).toBe(true);
    expect(errors[1]).toBe(errors[0]);
    expect(errors[0]!.message).toMatch(reason);
    expect(errors[0]!.message).toContain(`GitHub API at ${baseUrl} cannot be reached`);
    expect(errors[0]!.message).toContain('--snapshot');
    expect(github.stats.byKind.retries).toBe(0);
    expect(github.stats.requests).toBeLessThanOrEqual(REPOS.length);
  });
});
