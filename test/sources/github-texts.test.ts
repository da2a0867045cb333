/** Documents read many to a GraphQL query: what is taken from an answer, the batches, and the REST fallback. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { githubBlobs } from '../../src/sources/github-blobs.ts';
import { githubErrors } from '../../src/sources/github-errors.ts';
import { graphqlQuery, graphqlUrlFor } from '../../src/sources/github-graphql.ts';
import { createOctokit } from '../../src/sources/github-transport.ts';
import type { GitHubSettings, GitHubState } from '../../src/sources/github-types.ts';
import { TEXT_MAX_BYTES, TEXTS_BATCH, textBatches, textsFromAnswer, textsQuery } from '../../src/sources/github-texts.ts';
import type { RepoContent, TreeEntry } from '../../src/sources/types.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { docsRequest as request } from '../support/source-requests.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const entry = (sha: string, size: number): TreeEntry => ({ path: `${sha}.md`, mode: '100644', type: 'blob', sha, size });

describe('reading an answer', () => {
  const text = '# Title\n\nSome text, with ü.\n';
  const sha = gitBlobSha(Buffer.from(text));

  it('takes a text that hashes to its blob, and nothing else', () => {
    const shas = [sha, 'a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40)];
    const data = {
      repository: {
        b0: { text, isTruncated: false },
        b1: { text, isTruncated: false }, // another blob's text
        b2: { text: null, isTruncated: false }, // binary
        b3: { text: text.slice(0, 5), isTruncated: true },
        // b4: absent (not found)
      },
    };
    const texts = textsFromAnswer(data, shas);
    expect([...texts.keys()]).toEqual([sha]);
    expect(texts.get(sha)!.toString('utf8')).toBe(text);
    expect(textsFromAnswer({ repository: { b0: { text, isTruncated: true } } }, [sha]).size).toBe(0);
    expect(textsFromAnswer(null, [sha]).size).toBe(0);
  });

  it('asks for each blob by its id under its own alias, with names as JSON strings', () => {
    const query = textsQuery('o"wner', 'name', ['1'.repeat(40), '2'.repeat(40)]);
    expect(query).toContain('repository(owner: "o\\"wner", name: "name")');
    expect(query).toContain(`b0: object(oid: "${'1'.repeat(40)}") { ... on Blob { text isTruncated } }`);
    expect(query).toContain(`b1: object(oid: "${'2'.repeat(40)}")`);
  });

  it('batches by count and by listed size', () => {
    const small = Array.from({ length: 250 }, (_, i) => entry(String(i).padStart(40, '0'), 100));
    expect(textBatches(small).map((b) => b.length)).toEqual([TEXTS_BATCH, TEXTS_BATCH, 50]);
    const large = Array.from({ length: 5 }, (_, i) => entry(String(i).padStart(40, '0'), 400 * 1024));
    expect(textBatches(large).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(textBatches([entry('a'.repeat(40), 3 * 1024 * 1024), entry('b'.repeat(40), 10)]).map((b) => b.length)).toEqual([1, 1]);
  });
});

describe('documents through GraphQL, from the test server', () => {
  let dir: string;
  let server: GitHubServer;
  const latin1 = Buffer.from('# Caf\xe9\n\nNot UTF-8.\n', 'latin1');
  const big = `# Big\n\n${'A line of text.\n'.repeat(Math.ceil(TEXT_MAX_BYTES / 15))}`;

  beforeEach(() => {
    vi.stubEnv('GITHUB_TOKEN', '');
    vi.stubEnv('GITHUB_API_URL', '');
    vi.stubEnv('GITHUB_GRAPHQL_URL', '');
  });
  afterEach(() => vi.unstubAllEnvs());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gh-texts-'));
    await cp(FIXTURE, dir, { recursive: true });
    // Two documents GraphQL cannot give unchanged: one not UTF-8, one over the size asked for.
    const repoDir = join(dir, 'github/fixture-org/alpha');
    const tree = JSON.parse(await readFile(join(repoDir, 'tree.json'), 'utf8')) as { tree: TreeEntry[] };
    for (const [path, bytes] of [['docs/latin1.md', latin1], ['docs/big.md', Buffer.from(big)]] as const) {
      await writeFile(join(repoDir, 'files', path), bytes);
      tree.tree.push({ path, mode: '100644', type: 'blob', sha: gitBlobSha(bytes), size: bytes.length });
    }
    await writeFile(join(repoDir, 'tree.json'), JSON.stringify(tree));
    server = await startGitHubServer({ snapshotDir: join(dir, 'github'), token: 'the-token' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (token?: string): Promise<RepoContent> => {
    server.reset();
    const github = createGitHubSource({ baseUrl: server.url, token, retries: 0, timeoutMs: 5000 });
    await github.prefetch?.([request('fixture-org/alpha')]);
    return github.loadRepository(request('fixture-org/alpha'));
  };
  const texts = (content: RepoContent) => content.documents.map((d) => [d.path, d.text, d.blobSha]);
  const restBlobs = () => server.requests.filter((r) => r.path.includes('/git/blobs/')).map((r) => r.path.split('/').pop());
  const shaOf = (content: RepoContent, path: string) => content.tree.find((e) => e.path === path)!.sha;

  it('gives the documents REST gives, in one query, and reads through REST only what GraphQL cannot give unchanged', async () => {
    const rest = await load();
    expect(restBlobs().length).toBeGreaterThanOrEqual(rest.documents.length);
    const graphql = await load('the-token');
    expect(texts(graphql)).toEqual(texts(rest));
    expect(graphql.documents.find((d) => d.path === 'docs/latin1.md')?.text).toContain('Café');
    expect(server.requests.filter((r) => r.body?.includes('object(oid: '))).toHaveLength(1);
    // Not UTF-8: the text GraphQL gives does not hash back. Too large: not asked for. Missing: a 404 here too.
    expect(restBlobs().sort()).toEqual(['docs/latin1.md', 'docs/big.md', 'docs/missing.md'].map((p) => shaOf(graphql, p)).sort());
  });

  it('hands a text read ahead to every path that holds its blob, then lets it go (no cache)', async () => {
    const baseUrl = server.url;
    const settings: GitHubSettings = { baseUrl, graphqlUrl: graphqlUrlFor(baseUrl), token: 'the-token', tokenSource: 'GITHUB_TOKEN', timeoutMs: 5000, concurrency: 4, retries: 0, retryBaseMs: 0, maxWait: 0, cache: undefined, fetch: globalThis.fetch };
    const state: GitHubState = { stats: { requests: 0, byStatus: {}, byKind: { rest: 0, graphql: 0, conditional: 0, notModified: 0, blobs: 0, trees: 0, retries: 0, heldBack: 0 }, bytes: 0, rateLimit: {}, repositories: { fresh: 0, cached: 0, stale: 0 } }, fatal: undefined, warn: () => {} };
    const octokit = createOctokit(settings, state);
    const failures = githubErrors(settings, state);
    const blobs = githubBlobs({ octokit, failures, state, cache: undefined, ask: (what, query) => graphqlQuery(octokit, failures, settings.graphqlUrl, what, query) });
    const readme = await readFile(join(dir, 'github/fixture-org/alpha/files/README.md'));
    const sha = gitBlobSha(readme);
    const at = (path: string): TreeEntry => ({ path, mode: '100644', type: 'blob', sha, size: readme.length });
    server.reset();
    await blobs.prefetchTexts('fixture-org/alpha', [at('README.md'), at('docs/copy.md')]);
    expect(server.requests.filter((r) => r.body?.includes('object(oid: '))).toHaveLength(1);
    // One after the other, so that the second is no read joining the first.
    expect(await blobs.getBlob('fixture-org/alpha', sha, 'README.md')).toEqual(readme);
    expect(await blobs.getBlob('fixture-org/alpha', sha, 'docs/copy.md')).toEqual(readme);
    expect(restBlobs()).toEqual([]);
    // Both paths had it: a third reader, not read ahead, goes to REST.
    expect(await blobs.getBlob('fixture-org/alpha', sha, 'elsewhere.md')).toEqual(readme);
    expect(restBlobs()).toEqual([sha]);
    // Read at the same time, the two paths count down alike: the text is let go after them too.
    server.reset();
    await blobs.prefetchTexts('fixture-org/alpha', [at('README.md'), at('docs/copy.md')]);
    expect(await Promise.all([blobs.getBlob('fixture-org/alpha', sha, 'README.md'), blobs.getBlob('fixture-org/alpha', sha, 'docs/copy.md')])).toEqual([readme, readme]);
    expect(restBlobs()).toEqual([]);
    expect(await blobs.getBlob('fixture-org/alpha', sha, 'elsewhere.md')).toEqual(readme);
    expect(restBlobs()).toEqual([sha]);
  });

  it('reads every document through REST when the query fails', async () => {
    const rest = await load();
    server.reset();
    const github = createGitHubSource({ baseUrl: server.url, token: 'the-token', retries: 0, timeoutMs: 5000 });
    await github.prefetch?.([request('fixture-org/alpha')]);
    const fault = server.setFault('POST /graphql', { kind: 'status', status: 502, times: 1 });
    const content = await github.loadRepository(request('fixture-org/alpha'));
    expect(fault.hits).toBe(1);
    expect(texts(content)).toEqual(texts(rest));
    expect(restBlobs().length).toBeGreaterThanOrEqual(content.documents.length);
  });
});
