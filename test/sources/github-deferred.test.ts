/**
 * A repository whose head is the commit the cache kept its documents for is answered, when the build allows
 * it, from that list alone: no tree or blob is read until the content is completed. Anything that could change
 * the documents (another commit, other globs, a damaged entry) means a complete load.
 */
import { mkdtempSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGitHubSource } from '../../src/sources/github.ts';
import { openCache } from '../../src/sources/cache.ts';
import type { RepoContent, RepositoryRequest } from '../../src/sources/types.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

// Each test starts from the demo snapshot and an empty cache; the server reads the snapshot anew after each reset.
const snapshot = path.join(mkdtempSync(path.join(tmpdir(), 'github-deferred-')), 'snapshot');
let cacheDir: string;
const server = useGitHubServer({ snapshotDir: snapshot, token: 'token' });

const request: RepositoryRequest = { repo: 'gen3-demo/file-index', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: true };
const selectionFile = () => path.join(cacheDir, 'selections/gen3-demo/file-index/@default.json');

beforeEach(async () => {
  await rm(snapshot, { recursive: true, force: true });
  await cp(path.join(PROJECT_ROOT, 'examples/snapshot'), snapshot, { recursive: true });
  cacheDir = path.join(await mkdtemp(path.join(tmpdir(), 'github-deferred-cache-')), 'cache');
});

/** A new source over the same cache, as the next build makes one; its warnings collected. */
function source() {
  const warnings: string[] = [];
  const github = createGitHubSource({ baseUrl: server.url, graphqlUrl: server.graphqlUrl, token: 'token', cache: openCache(cacheDir, { onWarning: (m) => warnings.push(m) }) });
  const load = async (r: RepositoryRequest, defer = true) => {
    await github.prefetch([r]);
    return github.loadRepository(r, { defer });
  };
  return { github, warnings, load };
}

const listed = (content: RepoContent) => content.documents.map((d) => [d.path, d.blobSha]);
const texts = (content: RepoContent) => content.documents.map((d) => [d.path, d.text]);

describe('a GitHub load at the commit the cache kept the documents of', () => {
  it('reads no tree and no blob, and reads them all when completed', async () => {
    const full = await source().load(request);
    expect(full.deferred).toBeUndefined();
    expect(full.documents.length).toBeGreaterThan(1);

    // Without the tree and the blobs, a deferred load has all it needs: the cache's list.
    await rm(path.join(cacheDir, 'blobs'), { recursive: true });
    await rm(path.join(cacheDir, 'repos'), { recursive: true });
    server.reset();
    const next = source();
    const deferred = await next.load(request);
    expect(deferred.deferred?.treeSize).toBe(full.tree.length);
    expect(listed(deferred)).toEqual(listed(full));
    expect(deferred.tags).toEqual(full.tags);
    expect(deferred.freshness).toBe('cached');
    expect(next.github.stats.byKind).toMatchObject({ trees: 0, blobs: 0, graphql: 1 });
    expect(server.requests.map((r) => r.path)).toEqual(['/graphql']);
    expect(() => deferred.documents[0]!.text).toThrow(/deferred document/);

    const completed = await deferred.deferred!.complete();
    expect(completed.deferred).toBeUndefined();
    expect(texts(completed)).toEqual(texts(full));
    expect(completed.tree).toEqual(full.tree);
    expect(next.github.stats.byKind.trees).toBe(1);
    // With a token the documents come in one GraphQL query, not a REST request each.
    expect(next.github.stats.byKind.blobs).toBe(0);
    expect(server.requests.filter((r) => r.body?.includes('object(oid: '))).toHaveLength(1);
    // Completed once: a second call reads nothing more.
    expect(await deferred.deferred!.complete()).toBe(completed);
    expect(next.github.stats.byKind.trees).toBe(1);
  });

  it('asks nothing more to complete a deferred load, through REST without a token too', async () => {
    const rest = () => createGitHubSource({ baseUrl: server.url, cache: openCache(cacheDir) });
    const full = await rest().loadRepository(request, { defer: true });
    const github = rest();
    const deferred = await github.loadRepository(request, { defer: true });
    expect(deferred.deferred).toBeDefined();
    const asked = github.stats.requests;
    expect(asked).toBeGreaterThan(0);
    expect(texts(await deferred.deferred!.complete())).toEqual(texts(full));
    expect(github.stats.requests).toBe(asked);
  });

  it('is complete when the build did not ask for deferral', async () => {
    await source().load(request);
    const again = await source().load(request, false);
    expect(again.deferred).toBeUndefined();
    expect(again.documents.every((d) => typeof d.text === 'string')).toBe(true);
  });

  it('is complete, with the new documents, once the head moved', async () => {
    const before = await source().load(request);
    await source().load(request);
    await editSnapshotFile(snapshot, 'gen3-demo/file-index', 'README.md', (t) => `${t}\nA pushed line.\n`);
    server.reset();
    const after = await source().load(request);
    expect(after.deferred).toBeUndefined();
    expect(after.commitSha).not.toBe(before.commitSha);
    expect(after.documents.find((d) => d.path === 'README.md')!.text).toContain('A pushed line.');
    // The new commit's list is kept in turn.
    expect((await source().load(request)).deferred).toBeDefined();
  });

  it('is complete, and the repository record rewritten, when a tag was added at the same commit', async () => {
    await source().load(request);
    const tagsFile = path.join(snapshot, 'gen3-demo/file-index/tags.json');
    const tags = JSON.parse(await readFile(tagsFile, 'utf8'));
    await writeFile(tagsFile, JSON.stringify([{ name: '9.9.9', commit: { sha: tags[0].commit.sha }, date: '2026-07-01T00:00:00Z' }, ...tags]));
    server.reset();
    const tagged = await source().load(request);
    expect(tagged.deferred).toBeUndefined();
    expect(tagged.tags.map((t) => t.name)).toContain('9.9.9');
    const record = JSON.parse((await readFile(path.join(cacheDir, 'repos/gen3-demo/file-index/@default.json'), 'utf8')).replace(/^.*\n/, ''));
    expect(record.tags.map((t: { name: string }) => t.name)).toContain('9.9.9');
    expect((await source().load(request)).deferred).toBeDefined();
  });

  it('is complete for other globs at the same commit', async () => {
    await source().load(request);
    const narrower = { ...request, exclude: ['docs/**'] };
    const other = await source().load(narrower);
    expect(other.deferred).toBeUndefined();
    expect(other.documents.map((d) => d.path)).toEqual(['README.md']);
    // The list kept is now the one of these globs; the first request is complete again, not answered from it.
    expect((await source().load(request)).deferred).toBeUndefined();
  });

  it('is complete, with a warning, when the kept list was damaged or edited', async () => {
    const full = await source().load(request);
    const bytes = await readFile(selectionFile(), 'utf8');
    await writeFile(selectionFile(), bytes.replace('"README.md"', '"EVIL.md"'));
    const next = source();
    const content = await next.load(request);
    expect(content.deferred).toBeUndefined();
    expect(texts(content)).toEqual(texts(full));
    expect(next.warnings).toEqual([
      expect.stringMatching(/^cache .*: selections\/gen3-demo\/file-index\/@default\.json does not match the hash recorded when it was written \(damaged or edited\); not used, the tree and files are read instead$/),
    ]);
    // Written again from the complete load.
    expect((await source().load(request)).deferred).toBeDefined();
  });
});
