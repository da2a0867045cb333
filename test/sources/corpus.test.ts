import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitHubSource } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { RepositoryRequest } from '../../src/sources/types.ts';
import { withoutTagDates } from '../support/source-requests.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const CORPUS = resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const available = existsSync(resolve(CORPUS, 'github')) || existsSync(resolve(CORPUS, 'uc-cdis'));
if (!available) {
  console.log(`corpus tests skipped: no corpus at ${CORPUS} (set CORPUS_DIR to a copy of the shared corpus)`);
}

const requests: RepositoryRequest[] = [
  { repo: 'uc-cdis/fence', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: true },
  { repo: 'uc-cdis/arborist', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: true },
  { repo: 'uc-cdis/docs-gen3', include: ['docs/**/*.md', 'mkdocs.yml'], exclude: [], tags: true },
];

const sortMissing = (list: { repo: string; path: string }[]) => [...list].sort((a, b) => (a.repo + a.path < b.repo + b.path ? -1 : 1));

describe.skipIf(!available)('corpus through the GitHub test server', () => {
  const server = useGitHubServer({ snapshotDir: CORPUS });
  beforeEach(() => {
    vi.stubEnv('GITHUB_TOKEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(requests)('loads $repo the same way as the snapshot source', async (request) => {
    const github = createGitHubSource({ baseUrl: server.url });
    const snapshot = createSnapshotSource(CORPUS);
    const viaApi = await github.loadRepository(request);
    const viaSnapshot = await snapshot.loadRepository(request);

    expect(viaApi.documents.length).toBeGreaterThan(0);
    expect(viaApi).toEqual(withoutTagDates(viaSnapshot));
    // Blobs are fetched concurrently: the order in which 404s come back is not the tree's order.
    expect(sortMissing(github.missing)).toEqual(sortMissing(snapshot.missing));
    // One request for the repository, the branch and the tree, one per page of tags, one per document.
    const tagPages = Math.max(1, Math.ceil(viaApi.tags.length / 100));
    const selected = viaApi.documents.length + github.missing.length;
    expect(github.stats.requests).toBe(3 + tagPages + selected);
    expect(server.requests.filter((r) => r.path.includes('/git/blobs/'))).toHaveLength(selected);
  });

  it('loads every corpus repository the same way through both sources', async () => {
    const snapshot = createSnapshotSource(CORPUS);
    const github = createGitHubSource({ baseUrl: server.url });
    const root = snapshot.root;
    let documents = 0;
    for (const owner of readdirSync(root)) {
      for (const name of readdirSync(join(root, owner))) {
        // Markdown, images and YAML/JSON, so files present in the tree but not in files/ are exercised too.
        const request: RepositoryRequest = { repo: `${owner}/${name}`, include: ['**/*.{md,markdown,mdx,png,jpg,svg,gif,yml,json}'], exclude: [], tags: true };
        const viaApi = await github.loadRepository(request);
        expect(viaApi, request.repo).toEqual(withoutTagDates(await snapshot.loadRepository(request)));
        documents += viaApi.documents.length;
      }
    }
    expect(documents).toBeGreaterThan(400);
    // Blobs are fetched concurrently: the order in which 404s come back is not the tree's order.
    expect(sortMissing(github.missing)).toEqual(sortMissing(snapshot.missing));
  });
});
