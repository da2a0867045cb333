import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { build } from '../../src/build.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { createGitHubSource, type GitHubSourceOptions } from '../../src/sources/github.ts';
import { openCache } from '../../src/sources/cache.ts';
import { type GitHubServer } from '../support/github-server.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, PROJECT_ROOT, noteCorpusSkip } from '../support/corpus.ts';
import { runCliAsync } from '../support/cli.ts';
import { treeHashes } from '../support/site.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

noteCorpusSkip('corpus build through the GitHub-compatible server');

async function buildBoth(snapshotDir: string, configFile: string, server: GitHubServer) {
  const config = loadConfig(configFile);
  const root = mkdtempSync(path.join(tmpdir(), 'gh-vs-snapshot-'));
  const fromSnapshot = path.join(root, 'snapshot');
  const fromGitHub = path.join(root, 'github');
  await build({ config, source: createSnapshotSource(snapshotDir), outDir: fromSnapshot });
  const github = createGitHubSource({ baseUrl: server.url });
  const result = await build({ config, source: github, outDir: fromGitHub });
  return { fromSnapshot, fromGitHub, result, github };
}

describe('building through the GitHub API: the demo snapshot', () => {
  const server = useGitHubServer({ snapshotDir: path.join(PROJECT_ROOT, 'examples/snapshot') }, { reset: false });

  it('yields the same site as the snapshot', async () => {
    const { fromSnapshot, fromGitHub, result, github } = await buildBoth(path.join(PROJECT_ROOT, 'examples/snapshot'), path.join(PROJECT_ROOT, 'examples/sources.json'), server);
    expect(result.repositories.failed).toEqual([]);
    expect(github.stats.requests).toBeGreaterThan(0);
    expect(treeHashes(fromGitHub)).toEqual(treeHashes(fromSnapshot));
  });

  it('honours GITHUB_API_URL from the command line', async () => {
    server.reset();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gh-cli-')), 'out');
    const run = await runCliAsync(['--config', 'examples/sources.json', '--out', out, '--no-cache'], { env: { GITHUB_API_URL: server.url, GITHUB_TOKEN: '' } });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/from 6 repositories/);
    expect(server.requests.filter((r) => r.path === '/repos/gen3-demo/authz-gateway').length).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_CORPUS)('building through the GitHub API: the corpus', () => {
  const server = useGitHubServer({ snapshotDir: CORPUS_SNAPSHOT }, { reset: false });

  it('yields the same pages as the snapshot build with 10% of requests failing, then rebuilds from revalidation alone', async () => {
    const config = loadConfig(path.join(PROJECT_ROOT, 'sources.json'));
    const root = mkdtempSync(path.join(tmpdir(), 'gh-corpus-'));
    const cacheDir = path.join(root, 'cache');
    await build({ config, source: createSnapshotSource(CORPUS_SNAPSHOT), outDir: path.join(root, 'snapshot') });
    const reference = treeHashes(path.join(root, 'snapshot'));
    const through = async (name: string, options: GitHubSourceOptions) => {
      server.requests.length = 0;
      const github = createGitHubSource({ baseUrl: server.url, retries: 5, retryBaseMs: 5, cache: openCache(cacheDir), ...options });
      const started = Date.now();
      const result = await build({ config, source: github, outDir: path.join(root, name), cacheDir });
      const requests = [...server.requests];
      const k = github.stats.byKind;
      console.log(`[figures] corpus ${name}: ${requests.length} requests (${k.rest} REST, ${k.graphql} GraphQL, ${k.notModified} x 304, ${k.trees} trees, ${k.blobs} blobs, ${k.retries} retries), ${Date.now() - started} ms`);
      expect(result.repositories.failed).toEqual([]);
      const hashes = treeHashes(path.join(root, name));
      expect([...hashes.keys()]).toEqual([...reference.keys()]);
      expect([...hashes].filter(([file, hash]) => reference.get(file) !== hash).map(([file]) => file)).toEqual([]);
      return { result, requests, github };
    };

    // Cold, every tenth request answered 500 (seeded): retried, and not one page differs.
    const faults = [server.setFault('/repos/**', { kind: 'status', status: 500, probability: 0.1 })];
    const cold = await through('cold', {});
    for (const fault of faults) fault.remove();
    const injected = cold.requests.filter((r) => r.fault === 'status').length;
    expect(injected).toBeGreaterThan(30);
    expect(cold.github.stats.byKind.retries).toBeGreaterThanOrEqual(injected);
    expect(cold.result.render.rendered).toBe(cold.result.pages);

    // Warm without a token: only conditional requests, every one a 304; nothing downloaded or rendered.
    const warm = await through('warm', {});
    expect(warm.requests.length).toBeGreaterThan(0);
    expect(warm.requests.every((r) => r.conditional && r.status === 304)).toBe(true);
    expect(warm.result.repositories.cached).toBe(warm.result.repositories.loaded);
    expect(warm.result.render.rendered).toBe(0);

    // First with a token: the heads query, then each repository's pages' last-change dates (the corpus has
    // no per-file dates, so none is shown and the pages stay the same), at most 50 paths a query.
    const first = await through('token-first', { token: 'any-token' });
    expect(first.requests.every((r) => r.path === '/graphql')).toBe(true);
    const dateQueries = first.requests.filter((r) => r.body?.includes('history('));
    expect(dateQueries.length).toBeGreaterThan(10);
    expect(Math.max(...dateQueries.map((r) => r.body!.match(/history\(/g)!.length))).toBeLessThanOrEqual(50);
    // Warm with a token: the one GraphQL query that answers every head and its tags; the dates are cached.
    const token = await through('token', { token: 'any-token' });
    expect(token.requests.map((r) => r.path)).toEqual(['/graphql']);
    expect(token.result.render.rendered).toBe(0);
  }, 1_800_000);
});
