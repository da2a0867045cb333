import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { build } from '../../src/build.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, PROJECT_ROOT, noteCorpusSkip } from '../support/corpus.ts';
import { runCli, treeHashes } from '../support/site.ts';

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
  let server: GitHubServer;
  beforeAll(async () => {
    server = await startGitHubServer({ snapshotDir: path.join(PROJECT_ROOT, 'examples/snapshot') });
  });
  afterAll(() => server.close());

  it('yields the same site as the snapshot', async () => {
    const { fromSnapshot, fromGitHub, result, github } = await buildBoth(path.join(PROJECT_ROOT, 'examples/snapshot'), path.join(PROJECT_ROOT, 'examples/sources.json'), server);
    expect(result.repositories.failed).toEqual([]);
    expect(github.stats.requests).toBeGreaterThan(0);
    expect(treeHashes(fromGitHub)).toEqual(treeHashes(fromSnapshot));
  });

  it('honours GITHUB_API_URL from the command line', async () => {
    server.reset();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gh-cli-')), 'out');
    const run = await runCli(['--config', 'examples/sources.json', '--out', out, '--no-cache'], { GITHUB_API_URL: server.url, GITHUB_TOKEN: '' });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/from 6 repositories/);
    expect(server.requests.filter((r) => r.path === '/repos/gen3-demo/authz-gateway').length).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_CORPUS)('building through the GitHub API: the corpus', () => {
  let server: GitHubServer;
  beforeAll(async () => {
    server = await startGitHubServer({ snapshotDir: CORPUS_SNAPSHOT });
  });
  afterAll(() => server?.close());

  it('yields the same pages as the snapshot build', async () => {
    const { fromSnapshot, fromGitHub, result } = await buildBoth(CORPUS_SNAPSHOT, path.join(PROJECT_ROOT, 'sources.json'), server);
    expect(result.repositories.failed).toEqual([]);
    const a = treeHashes(fromGitHub);
    const b = treeHashes(fromSnapshot);
    expect([...a.keys()]).toEqual([...b.keys()]);
    const differing = [...a].filter(([k, v]) => b.get(k) !== v).map(([k]) => k);
    expect(differing).toEqual([]);
  }, 240_000);
});
