import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnce, mergeRequests } from '../../src/sources/load-once.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { ContentSource, RepositoryRequest } from '../../src/sources/types.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');

const service: RepositoryRequest = { repo: 'fixture-org/alpha', include: ['README.md', 'docs/**/*.md'], exclude: ['docs/guide/**'], tags: true };
const guides: RepositoryRequest = { repo: 'fixture-org/alpha', include: ['docs/guide/**/*.md'], exclude: [], tags: false };
const other: RepositoryRequest = { repo: 'fixture-org/beta', include: ['README.md'], exclude: [], tags: true };

/** The snapshot source, counting what it is asked to load; every load carries one path warning. */
function counting(): ContentSource & { asked: RepositoryRequest[] } {
  const source = createSnapshotSource(FIXTURE);
  const asked: RepositoryRequest[] = [];
  return {
    ...source,
    asked,
    async loadRepository(request) {
      asked.push(request);
      return { ...(await source.loadRepository(request)), warnings: [{ path: 'docs/odd.md', message: 'not UTF-8', ruleId: 'file-encoding' }] };
    },
  };
}

describe('mergeRequests', () => {
  it('selects what any request selects, and leaves out only what every request excludes', () => {
    expect(mergeRequests([service, guides])).toEqual({ repo: 'fixture-org/alpha', include: ['README.md', 'docs/**/*.md', 'docs/guide/**/*.md'], exclude: [], tags: true });
    expect(mergeRequests([{ ...service, exclude: ['a', 'b'] }, { ...guides, exclude: ['b'] }]).exclude).toEqual(['b']);
  });
});

describe('loadOnce', () => {
  it('reads a repository in two roles once, each role keeping its own documents, tags and warnings', async () => {
    const source = counting();
    const load = loadOnce(source, [service, other, guides]);
    const [asService, asGuides, beta] = await Promise.all([load(service), load(guides), load(other)]);
    expect(source.asked.map((r) => r.repo)).toEqual(['fixture-org/alpha', 'fixture-org/beta']);

    // Each role gets what it would get from a load of its own.
    const alone = createSnapshotSource(FIXTURE);
    for (const [content, request] of [[asService, service], [asGuides, guides]] as const) {
      const expected = await alone.loadRepository(request);
      expect(content.documents.map((d) => d.path)).toEqual(expected.documents.map((d) => d.path));
      expect(content.documents).toEqual(expected.documents);
      expect(content.tags).toEqual(expected.tags);
      expect(content.commitSha).toBe(expected.commitSha);
    }
    expect(asService.documents.some((d) => d.path.startsWith('docs/guide/'))).toBe(false);
    expect(asGuides.documents.map((d) => d.path)).toEqual(['docs/guide/setup.md', 'docs/guide/Über Größe.md']);
    expect(asService.tags.length).toBeGreaterThan(0);
    expect(asGuides.tags).toEqual([]);
    // Warnings about the repository's paths are reported once, with the first role.
    expect(asService.warnings).toEqual([{ path: 'docs/odd.md', message: 'not UTF-8', ruleId: 'file-encoding' }]);
    expect(asGuides.warnings).toBeUndefined();
    expect(beta.documents.map((d) => d.path)).toEqual(['README.md']);
  });

  it('takes names that differ only in case for one repository, as GitHub does', async () => {
    const source = counting();
    const upper = { ...guides, repo: 'Fixture-Org/Alpha' };
    const load = loadOnce(source, [service, upper]);
    const [, asGuides] = await Promise.all([load(service), load(upper)]);
    expect(source.asked).toHaveLength(1);
    expect(asGuides.documents.map((d) => d.path)).toEqual(['docs/guide/setup.md', 'docs/guide/Über Größe.md']);
  });

  it('fails every role of a repository that cannot be loaded', async () => {
    const missing = { ...service, repo: 'fixture-org/gone' };
    const load = loadOnce(createSnapshotSource(FIXTURE), [missing, { ...guides, repo: 'fixture-org/gone' }]);
    await expect(load(missing)).rejects.toThrow(/fixture-org\/gone/);
    await expect(load({ ...guides, repo: 'fixture-org/gone' })).rejects.toThrow(/fixture-org\/gone/);
  });
});
