import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitHubSource, listOrgRepositories, pageOfLink, type GitHubSourceOptions } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { SourceError, type RepositoryRequest } from '../../src/sources/types.ts';
import { startGitHubServer } from '../support/github-server.ts';
import { docsRequest as request, failure, withoutTagDates } from '../support/source-requests.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const ALPHA_HEAD = '700ddbbc2dec35402fa4d42c5fa7fb60fe56c6e9';

// The tests pick the API and token explicitly; whatever the shell exports must not leak in.
beforeEach(() => {
  vi.stubEnv('GITHUB_TOKEN', '');
  vi.stubEnv('GITHUB_API_URL', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('GitHub source against the test server', () => {
  const server = useGitHubServer({ snapshotDir: FIXTURE });
  const source = (options: GitHubSourceOptions = {}) => createGitHubSource({ baseUrl: server.url, ...options });

  const cases: [string, Partial<RepositoryRequest>][] = [
    ['fixture-org/alpha', {}],
    ['fixture-org/alpha', { include: ['**/*.md', '**/*.png'], exclude: ['docs/guide/**'], tags: false }],
    ['fixture-org/alpha', { ref: 'v1.2.0' }],
    ['fixture-org/beta', { include: ['*.md', 'docs/**/*.md', 'mkdocs.yml'] }],
  ];
  it.each(cases)('yields the same content as the snapshot source: %s %j', async (repo, extra) => {
    const github = source();
    const snapshot = createSnapshotSource(FIXTURE);
    const viaApi = await github.loadRepository(request(repo, extra));
    const viaSnapshot = await snapshot.loadRepository(request(repo, extra));
    expect(viaApi).toEqual(withoutTagDates(viaSnapshot));
    expect(github.missing).toEqual(snapshot.missing);
  });

  it('sends the documented requests and counts them', async () => {
    const github = source();
    const content = await github.loadRepository(request('fixture-org/alpha'));
    const paths = server.requests.map((r) => r.path);
    expect(paths.slice(0, 2)).toEqual(['/repos/fixture-org/alpha', '/repos/fixture-org/alpha/branches/master']);
    expect(paths).toContain(`/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}`);
    expect(server.requests.find((r) => r.path.includes('/git/trees/'))?.query).toEqual({ recursive: '1' });
    expect(paths).toContain('/repos/fixture-org/alpha/tags');
    // One blob download per selected file: the four documents plus docs/missing.md, which is a 404.
    const blobs = server.requests.filter((r) => r.path.includes('/git/blobs/'));
    expect(blobs).toHaveLength(content.documents.length + 1);
    expect(blobs.filter((r) => r.status === 404)).toHaveLength(1);
    expect(github.stats.requests).toBe(server.requests.length);
    expect(github.stats.byStatus).toEqual({ '200': server.requests.length - 1, '404': 1 });
    expect(github.warnings.join('\n')).toContain('docs/missing.md');
  });

  it('resolves an explicit ref through /commits/{ref} and reports refs that name nothing', async () => {
    const github = source();
    const content = await github.loadRepository(request('fixture-org/alpha', { ref: 'v1.2.0', tags: false }));
    expect(content.ref).toBe('v1.2.0');
    expect(content.commitSha).toBe(ALPHA_HEAD);
    expect(server.requests.map((r) => r.path)).toContain('/repos/fixture-org/alpha/commits/v1.2.0');

    const unknown = await failure(github.loadRepository(request('fixture-org/alpha', { ref: 'no-such-ref' })));
    expect(unknown.status).toBe(422);
    expect(unknown.message).toContain('"no-such-ref"');
    expect(unknown.message).toContain('sources.json');

    // The snapshot only has the head commit's tree, so an older tag is a 404 on the tree.
    const old = await failure(github.loadRepository(request('fixture-org/alpha', { ref: 'v1.0.0' })));
    expect(old.status).toBe(404);
    expect(old.message).toContain('tree of commit');
  });

  it('reads image blobs by their tree sha, and undefined for what the API does not have', async () => {
    const github = source();
    const snapshot = createSnapshotSource(FIXTURE);
    const content = await github.loadRepository(request('fixture-org/alpha', { tags: false }));
    const png = await github.readBlob(content, 'docs/img/diagram.png');
    expect(png).toEqual(await snapshot.readBlob(content, 'docs/img/diagram.png'));
    expect(png?.subarray(1, 4).toString()).toBe('PNG');
    expect(await github.readBlob(content, 'docs/guide/img/diagram.png')).toEqual(png);
    expect(await github.readBlob(content, 'src/main.py')).toBeUndefined(); // in the tree, content not served
    expect(await github.readBlob(content, 'docs/nothing.png')).toBeUndefined(); // not in the tree: no request
    await expect(github.readBlob(content, '../beta/README.md')).rejects.toBeInstanceOf(SourceError);
  });

  it('explains a repository that does not exist', async () => {
    const error = await failure(source().loadRepository(request('fixture-org/gamma')));
    expect(error.repo).toBe('fixture-org/gamma');
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `repository fixture-org/gamma was not found (404) at ${server.url}/repos/fixture-org/gamma: check the name in sources.json (or, if it is private, set GITHUB_TOKEN)`,
    );
  });

  it('bounds a request that never gets an answer by the timeout, retried a bounded number of times', async () => {
    server.setFault('/repos/*/*/git/trees/*', 'hang');
    const github = source({ timeoutMs: 300, retries: 1, retryBaseMs: 10 });
    const started = Date.now();
    const error = await failure(github.loadRepository(request('fixture-org/alpha')));
    // Without the timeout it would wait for ever; two timeouts take 0.7 s here.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(github.stats.byStatus.timeout).toBe(2);
    expect(github.stats.byKind.retries).toBe(1);
    expect(error.repo).toBe('fixture-org/alpha');
    expect(error.message).toContain(`${server.url}/repos/fixture-org/alpha/git/trees/${ALPHA_HEAD}`);
    expect(error.message).toContain('300 ms');
    expect(error.message).toMatch(/retry|snapshot/);
  });

  it('bounds a slow answer by the timeout', async () => {
    // The answer would come after 20 s; the 300 ms timeout ends the wait well before half of that.
    server.setFault('/repos/fixture-org/beta', { kind: 'delay', delayMs: 20_000 });
    const started = Date.now();
    const error = await failure(source({ timeoutMs: 300, retries: 0 }).loadRepository(request('fixture-org/beta')));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.message).toContain('300 ms');
  });

  it('bounds an answer whose body stalls after the headers', async () => {
    // The test server answers whole; this one sends headers and part of the body, then nothing.
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '1000' });
      res.write('{"name": "alpha", ');
    });
    await new Promise<void>((done) => stalling.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const error = await failure(createGitHubSource({ baseUrl: url, timeoutMs: 300, retries: 0 }).loadRepository(request('fixture-org/alpha')));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error.message).toContain(`${url}/repos/fixture-org/alpha`);
      expect(error.message).toContain('300 ms');
    } finally {
      stalling.closeAllConnections();
      await new Promise((done) => stalling.close(done));
    }
  });

  it('warns about a truncated tree, or fails when asked to', async () => {
    server.setFault('/repos/fixture-org/alpha/git/trees/*', { kind: 'truncatedTree', keep: 0.5 });
    const warnings: string[] = [];
    const content = await source({ onWarning: (m) => warnings.push(m) }).loadRepository(request('fixture-org/alpha'));
    expect(content.treeTruncated).toBe(true);
    expect(content.tree.length).toBeLessThan(20);
    expect(warnings.some((w) => w.includes('truncated'))).toBe(true);

    const error = await failure(source({ truncatedTree: 'error' }).loadRepository(request('fixture-org/alpha')));
    expect(error.message).toContain('truncated');
  });

  it('retries cut-short JSON and server errors, then turns them into SourceErrors', async () => {
    const fast = { retries: 2, retryBaseMs: 5 };
    const once = server.setFault('/repos/fixture-org/alpha', { kind: 'invalidJson', times: 1 });
    const blip = server.setFault('/repos/fixture-org/alpha/git/blobs/*', { kind: 'status', status: 502, times: 2 });
    const recovered = source(fast);
    expect((await recovered.loadRepository(request('fixture-org/alpha'))).documents).toHaveLength(4);
    expect([once.hits, blip.hits]).toEqual([1, 2]);
    expect(recovered.stats.byKind.retries).toBe(3);
    expect(recovered.stats.byStatus.invalidJson).toBe(1);

    server.setFault('/repos/fixture-org/beta', 'invalidJson');
    const malformed = await failure(source(fast).loadRepository(request('fixture-org/beta')));
    expect(malformed.message).toContain('not valid JSON');
    expect(malformed.message).toContain('3 tries');

    server.setFault('/repos/fixture-org/alpha/git/blobs/*', { kind: 'status', status: 502 });
    const failed = await failure(source(fast).loadRepository(request('fixture-org/alpha')));
    expect(failed.status).toBe(502);
    expect(failed.message).toContain('/git/blobs/');
  });

  it('downloads blobs raw, byte for byte, and retries raw bytes that are not the blob asked for', async () => {
    const fast = { retries: 2, retryBaseMs: 5 };
    // A PNG is no UTF-8, and the server labels raw bytes UTF-8 as GitHub does: decoded as text, it would change.
    const png = await readFile(join(FIXTURE, 'github/fixture-org/alpha/files/docs/img/diagram.png'));
    const github = source(fast);
    const content = await github.loadRepository(request('fixture-org/alpha', { include: ['**/*.md', '**/*.png'] }));
    const cut = server.setFault('/repos/fixture-org/alpha/git/blobs/*', { kind: 'cutShort', times: 1 });
    expect(await github.readBlob(content, 'docs/img/diagram.png')).toEqual(png);
    expect(cut.hits).toBe(1);
    expect(github.stats.byStatus.invalidBlob).toBe(1);
    const png200 = server.requests.filter((r) => r.path.includes('/git/blobs/') && r.status === 200).at(-1)!;
    // The bytes themselves, not base64 in JSON (which would be a third larger at least).
    expect(png200.bytes).toBe(png.length);

    // A server that answers JSON whatever was asked for is read as before.
    const json = { sha: '96ed45fda7ef83777bbe13859ff95778266aa1b3', size: png.length, content: png.toString('base64'), encoding: 'base64' };
    const asJson = server.setFault('/repos/fixture-org/alpha/git/blobs/*', { kind: 'status', status: 200, body: json, times: 1 });
    expect(await github.readBlob(content, 'docs/img/diagram.png')).toEqual(png);
    expect(asJson.hits).toBe(1);

    server.setFault('/repos/fixture-org/alpha/git/blobs/*', 'cutShort');
    const failed = await failure(github.readBlob(content, 'docs/img/diagram.png'));
    expect(failed.message).toContain('is not the blob');
    expect(failed.message).toContain('docs/img/diagram.png');
  });

  it('lists the repositories of an organisation across pages', async () => {
    const snapshot = createSnapshotSource(FIXTURE);
    const repos = await listOrgRepositories('fixture-org', { baseUrl: server.url });
    const metas = await Promise.all(['alpha', 'beta'].map(async (n) => (await snapshot.loadRepository(request(`fixture-org/${n}`))).meta));
    expect(repos).toEqual(metas);
    const missing = await failure(listOrgRepositories('no-such-org', { baseUrl: server.url }));
    expect(missing.status).toBe(404);
  });

  it('honours GITHUB_API_URL and GITHUB_TOKEN', async () => {
    vi.stubEnv('GITHUB_API_URL', `${server.url}/`);
    vi.stubEnv('GITHUB_TOKEN', 'from-env');
    const github = createGitHubSource();
    expect(github.baseUrl).toBe(server.url);
    expect(github.authenticated).toBe(true);
    await github.loadRepository(request('fixture-org/beta'));
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authenticated)).toBe(true);
  });

  it('defaults to api.github.com', () => {
    expect(createGitHubSource().baseUrl).toBe('https://api.github.com');
  });
});

describe('GitHub source with a token-checking server', () => {
  const server = useGitHubServer({ snapshotDir: FIXTURE, token: 'right-token', anonymousLimit: 60 });

  it('works with the right token', async () => {
    const content = await createGitHubSource({ baseUrl: server.url, token: 'right-token' }).loadRepository(request('fixture-org/alpha'));
    expect(content.documents.length).toBe(4);
    expect(server.requests.every((r) => r.authenticated)).toBe(true);
  });

  it('works without a token', async () => {
    const github = createGitHubSource({ baseUrl: server.url });
    expect(github.authenticated).toBe(false);
    const content = await github.loadRepository(request('fixture-org/beta'));
    expect(content.documents.map((d) => d.path)).toEqual(['README.md', 'docs/api.md']);
    expect(server.requests.some((r) => r.authenticated)).toBe(false);
  });

  it('names GITHUB_TOKEN when the token is rejected', async () => {
    vi.stubEnv('GITHUB_TOKEN', 'wrong-token');
    const error = await failure(createGitHubSource({ baseUrl: server.url }).loadRepository(request('fixture-org/alpha')));
    expect(error.status).toBe(401);
    expect(error.message).toContain('GITHUB_TOKEN');
    expect(error.message).toContain('Bad credentials');
    expect(error.message).toContain(`${server.url}/repos/fixture-org/alpha`);
  });

  it('explains an exhausted anonymous rate limit', async () => {
    const small = await startGitHubServer({ snapshotDir: FIXTURE, token: 'right-token', anonymousLimit: 3 });
    try {
      const error = await failure(createGitHubSource({ baseUrl: small.url }).loadRepository(request('fixture-org/alpha')));
      expect(error.status).toBe(403);
      expect(error.message).toContain('rate limit');
      expect(error.message).toContain('GITHUB_TOKEN');
      // With the token the budget is separate and large.
      await createGitHubSource({ baseUrl: small.url, token: 'right-token' }).loadRepository(request('fixture-org/alpha'));
    } finally {
      await small.close();
    }
  });
});

describe('tag pagination', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'github-tags-'));
    await cp(FIXTURE, dir, { recursive: true });
    const tags = Array.from({ length: 250 }, (_, i) => ({
      name: `v0.${249 - i}.0`,
      commit: { sha: (249 - i).toString(16).padStart(40, 'a') },
      date: new Date(Date.UTC(2020, 0, 1) + (249 - i) * 86_400_000).toISOString(),
    }));
    await writeFile(join(dir, 'github/fixture-org/beta/tags.json'), JSON.stringify(tags));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  // Started after the hook above has written the snapshot, closed before it is removed.
  const server = useGitHubServer(() => ({ snapshotDir: dir }));

  it('reads every page the Link header names, the pages after the first at once', async () => {
    const content = await createGitHubSource({ baseUrl: server.url }).loadRepository(request('fixture-org/beta'));
    const expected = await createSnapshotSource(dir).loadRepository(request('fixture-org/beta'));
    expect(content.tags).toHaveLength(250);
    expect(content.tags).toEqual(withoutTagDates(expected).tags);
    const pages = server.requests.filter((r) => r.path === '/repos/fixture-org/beta/tags');
    expect(pages[0]!.query.page).toBe('1');
    expect(pages.map((r) => r.query.page).sort()).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.query.per_page === '100' && r.status === 200)).toBe(true);
  });

  it('follows "next" links one page at a time when the server names no last page', async () => {
    const withoutLast: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      const link = headers.get('link');
      if (link) headers.set('link', link.split(',').filter((part) => !/rel="last"/.test(part)).join(','));
      return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
    };
    const content = await createGitHubSource({ baseUrl: server.url, fetch: withoutLast }).loadRepository(request('fixture-org/beta'));
    expect(content.tags.map((t) => t.name)).toEqual(Array.from({ length: 250 }, (_, i) => `v0.${249 - i}.0`));
    const pages = server.requests.filter((r) => r.path === '/repos/fixture-org/beta/tags');
    expect(pages.map((r) => r.query.page)).toEqual(['1', '2', '3']);
  });

  it('refuses a list longer than it reads', async () => {
    const huge: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      if (String(input instanceof Request ? input.url : input).includes('/tags')) {
        headers.set('link', `<${server.url}/repos/fixture-org/beta/tags?per_page=100&page=2>; rel="next", <${server.url}/repos/fixture-org/beta/tags?per_page=100&page=5000>; rel="last"`);
      }
      return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
    };
    const error = await failure(createGitHubSource({ baseUrl: server.url, fetch: huge }).loadRepository(request('fixture-org/beta')));
    expect(error.message).toBe('tags of fixture-org/beta: 5000 pages of 100 items; at most 1000 are read');
    expect(server.requests.filter((r) => r.path === '/repos/fixture-org/beta/tags')).toHaveLength(1);
  });
});

describe('pageOfLink', () => {
  const link = '<https://api.github.com/repositories/1/tags?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/tags?per_page=100&page=19>; rel="last"';
  it('reads the page of the named relation', () => {
    expect(pageOfLink(link, 'next')).toBe(2);
    expect(pageOfLink(link, 'last')).toBe(19);
    expect(pageOfLink(link, 'prev')).toBeUndefined();
    expect(pageOfLink('', 'last')).toBeUndefined();
    expect(pageOfLink('<https://x/tags?after=abc>; rel="last"', 'last')).toBeUndefined();
    expect(pageOfLink('<not a url>; rel="last"', 'last')).toBeUndefined();
  });
});
