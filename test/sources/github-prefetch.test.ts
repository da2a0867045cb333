/**
 * Images are fetched ahead: before the first page renders, the GitHub source is told the images the pages
 * will publish and fetches them into the cache, so a page does not wait for its images one request at a
 * time. Each blob is still asked for once, and the bundle is the one built without fetching ahead.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { openCache } from '../../src/sources/cache.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { PREFETCH_MAX_BYTES } from '../../src/sources/github-blobs.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { treeHashes } from '../support/site.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const SNAPSHOT = path.join(PROJECT_ROOT, 'examples/snapshot');
const CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');

/** Blob request paths of the snapshot's images, by repository. */
function imageBlobPaths(): Set<string> {
  const paths = new Set<string>();
  for (const owner of readdirSync(SNAPSHOT)) {
    for (const repo of readdirSync(path.join(SNAPSHOT, owner))) {
      const tree = JSON.parse(readFileSync(path.join(SNAPSHOT, owner, repo, 'tree.json'), 'utf8')) as { tree: { path: string; sha: string }[] };
      for (const e of tree.tree) if (/\.(png|svg|jpe?g|gif)$/i.test(e.path)) paths.add(`/repos/${owner}/${repo}/git/blobs/${e.sha}`);
    }
  }
  return paths;
}

describe('images fetched ahead through GitHub', () => {
  const server = useGitHubServer({ snapshotDir: SNAPSHOT, token: 'token' });

  it('reads a blob told ahead once, into the cache; a large one, or one without a cache, is not fetched ahead', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'prefetch-cache-'));
    const request = { repo: 'gen3-demo/demo-portal', include: ['**/*.md'], exclude: [], tags: false };
    const cached = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token', cache: openCache(cacheDir) });
    const content = await cached.loadRepository(request);
    const blobRequests = () => server.requests.filter((r) => r.path.includes('/git/blobs/')).length;
    const before = blobRequests();
    cached.prefetchBlob!(content, 'assets/portal-home.png');
    const [first, second] = await Promise.all([cached.readBlob(content, 'assets/portal-home.png'), cached.readBlob(content, 'assets/portal-home.png')]);
    expect(first).toEqual(readFileSync(path.join(SNAPSHOT, 'gen3-demo/demo-portal/files/assets/portal-home.png')));
    expect(second).toEqual(first);
    expect(blobRequests() - before).toBe(1);

    // A large blob is left to its reader (base64 in JSON costs several times its size while it arrives).
    const large = { ...content, tree: content.tree.map((e) => (e.path === 'assets/logo.svg' ? { ...e, size: PREFETCH_MAX_BYTES + 1 } : e)) };
    const beforeLarge = blobRequests();
    cached.prefetchBlob!(large, 'assets/logo.svg');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blobRequests()).toBe(beforeLarge);

    const uncached = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token' });
    const again = await uncached.loadRepository(request);
    const beforeUncached = blobRequests();
    uncached.prefetchBlob!(again, 'assets/portal-home.png');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blobRequests()).toBe(beforeUncached);
  });

  it('has the images of several pages in flight at once, asks for each once, and builds the same bundle', async () => {
    const images = imageBlobPaths();
    const pending = () => server.requests.filter((r) => images.has(r.path) && r.status === null).length;
    let mostAtOnce = 0;
    // Each image takes a while to come: without fetching ahead, pages would ask for them one page at a time.
    server.setFault((r) => images.has(r.path) && ((mostAtOnce = Math.max(mostAtOnce, pending())), true), { kind: 'delay', delayMs: 500 });
    const root = mkdtempSync(path.join(tmpdir(), 'prefetch-build-'));
    const github = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token', cache: openCache(path.join(root, 'cache')) });
    const result = await build({ config: loadConfig(CONFIG), source: github, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), search: false });
    const asked = server.requests.filter((r) => images.has(r.path)).map((r) => r.path);
    expect(asked.length).toBeGreaterThanOrEqual(6);
    expect(new Set(asked).size).toBe(asked.length);
    expect(mostAtOnce).toBeGreaterThanOrEqual(3);

    // Without a cache nothing is fetched ahead: the same bundle and warnings, the same images asked for.
    server.reset();
    const plain = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token' });
    const without = await build({ config: loadConfig(CONFIG), source: plain, outDir: path.join(root, 'plain'), search: false });
    expect(without.warnings).toEqual(result.warnings);
    expect(new Set(server.requests.filter((r) => images.has(r.path)).map((r) => r.path))).toEqual(new Set(asked));
    const bundle = treeHashes(path.join(root, 'out'));
    expect(bundle.size).toBeGreaterThan(50);
    expect(bundle).toEqual(treeHashes(path.join(root, 'plain')));
  });
});
