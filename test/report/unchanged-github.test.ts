/**
 * Through GitHub with a cache, a rebuild whose heads did not move finds nothing changed from the documents the
 * cache listed for each commit: it reads no tree and no blob. A build that has work reads them and makes the
 * same bundle as the first build.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { openCache } from '../../src/sources/cache.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { treeHashes } from '../support/site.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const SNAPSHOT = path.join(PROJECT_ROOT, 'examples/snapshot');
const CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');

describe('a rebuild through GitHub at the same heads', () => {
  const server = useGitHubServer({ snapshotDir: SNAPSHOT, token: 'token' }, { reset: false });

  it('reads no tree or blob to find nothing changed, and reads them for a build that has work', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'unchanged-github-'));
    const cacheDir = path.join(root, 'cache');
    const run = async (out: string) => {
      const github = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token', cache: openCache(cacheDir) });
      const result = await build({ config: loadConfig(CONFIG), source: github, outDir: path.join(root, out), cacheDir, search: false });
      return { result, kinds: github.stats.byKind };
    };
    const first = await run('out');
    expect(first.kinds.blobs).toBeGreaterThan(0);

    // Neither the trees (kept in the repository records) nor the blobs are there to read.
    await rm(path.join(cacheDir, 'repos'), { recursive: true });
    await rm(path.join(cacheDir, 'blobs'), { recursive: true });
    const same = await run('out');
    expect(same.result.unchanged).toBe(true);
    expect(same.kinds).toMatchObject({ graphql: 1, rest: 0, trees: 0, blobs: 0 });
    expect(same.result.warnings).toEqual(first.result.warnings);
    expect(same.result.repositories).toEqual({ ...first.result.repositories, fresh: 0, cached: first.result.repositories.loaded });

    // Into a new out/ there is work: every tree and text is read again, and the bundle is the first one.
    const other = await run('other');
    expect(other.result.unchanged).toBeUndefined();
    expect(other.kinds.trees).toBeGreaterThan(0);
    expect(other.kinds.blobs).toBeGreaterThan(0);
    expect(other.result.warnings).toEqual(first.result.warnings);
    expect(treeHashes(path.join(root, 'other'))).toEqual(treeHashes(path.join(root, 'out')));
  });
});
