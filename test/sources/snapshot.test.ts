import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { UNREADABLE_MESSAGE } from '../../src/sources/documents.ts';
import { SourceError, type RepositoryRequest } from '../../src/sources/types.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const ALPHA_HEAD = '700ddbbc2dec35402fa4d42c5fa7fb60fe56c6e9';
const DOCS = ['README.md', 'docs/**/*.md'];

const request = (repo: string, extra: Partial<RepositoryRequest> = {}): RepositoryRequest => ({
  repo,
  include: DOCS,
  exclude: [],
  tags: true,
  ...extra,
});

describe('snapshot source', () => {
  it('loads meta, tree, tags and the selected documents of a repository', async () => {
    const source = createSnapshotSource(FIXTURE);
    const content = await source.loadRepository(request('fixture-org/alpha'));

    expect(source.kind).toBe('snapshot');
    expect(content.meta).toEqual({
      fullName: 'fixture-org/alpha',
      owner: 'fixture-org',
      name: 'alpha',
      defaultBranch: 'master',
      description: 'Alpha service',
      htmlUrl: 'https://github.com/fixture-org/alpha',
      pushedAt: '2024-03-10T10:00:00+00:00',
      archived: false,
      fork: false,
      topics: [],
    });
    expect(content.ref).toBe('master');
    expect(content.commitSha).toBe(ALPHA_HEAD);
    expect(content.treeTruncated).toBe(false);
    expect(content.tree.find((e) => e.path === 'src/main.py')).toMatchObject({ type: 'blob', mode: '100644' });
    expect(content.tree.find((e) => e.path === 'vendor/lib')).toMatchObject({ type: 'commit' });
    expect(content.tags.map((t) => t.name)).toEqual(['v1.2.0', 'v1.1.0', 'v1.0.0']);
    expect(content.tags[0]).toEqual({ name: 'v1.2.0', sha: ALPHA_HEAD, date: '2024-03-10T10:00:00+00:00' });

    expect(content.documents.map((d) => d.path)).toEqual([
      'README.md',
      'docs/guide/setup.md',
      'docs/guide/Über Größe.md',
      'docs/index.md',
    ]);
    const readme = content.documents[0]!;
    expect(readme.text).toBe('# Alpha\n\nAlpha serves things. See [the docs](docs/index.md).\n');
    expect(readme.blobSha).toBe(content.tree.find((e) => e.path === 'README.md')!.sha);
    expect(readme.commitSha).toBe(ALPHA_HEAD);
    expect(readme.sourceUrl).toBe(`https://github.com/fixture-org/alpha/blob/${ALPHA_HEAD}/README.md`);
    expect(content.documents[2]!.sourceUrl).toBe(
      `https://github.com/fixture-org/alpha/blob/${ALPHA_HEAD}/docs/guide/%C3%9Cber%20Gr%C3%B6%C3%9Fe.md`,
    );
  });

  it('skips and reports selected files that the snapshot does not hold', async () => {
    const warnings: string[] = [];
    const source = createSnapshotSource(FIXTURE, { onWarning: (m) => warnings.push(m) });
    const content = await source.loadRepository(request('fixture-org/alpha'));
    expect(content.documents.map((d) => d.path)).not.toContain('docs/missing.md');
    expect(content.tree.map((e) => e.path)).toContain('docs/missing.md');
    expect(source.missing).toEqual([{ repo: 'fixture-org/alpha', path: 'docs/missing.md' }]);
    expect(warnings.filter((w) => w.includes('docs/missing.md'))).toHaveLength(1);
    expect(content.warnings).toContainEqual({ path: 'docs/missing.md', message: UNREADABLE_MESSAGE, ruleId: 'unreadable-file' });
  });

  it('warns about a selected file that is a symlink, naming it', async () => {
    const warnings: string[] = [];
    const source = createSnapshotSource(FIXTURE, { onWarning: (m) => warnings.push(m) });
    const content = await source.loadRepository(request('fixture-org/alpha'));
    expect(content.tree.find((e) => e.path === 'docs/link.md')).toMatchObject({ mode: '120000' });
    expect(content.documents.map((d) => d.path)).not.toContain('docs/link.md');
    const message = 'symbolic link (Git mode 120000), not followed: left out; commit the file itself instead of a link';
    expect(content.warnings?.filter((w) => w.path !== 'docs/missing.md')).toEqual([{ path: 'docs/link.md', message, ruleId: 'symlink' }]);
    expect(warnings).toContain(`fixture-org/alpha: "docs/link.md": ${message}`);
  });

  it('honours exclude globs, the tags flag, and decodes UTF-8 without the BOM', async () => {
    const source = createSnapshotSource(FIXTURE);
    const beta = await source.loadRepository(
      request('fixture-org/beta', { include: ['*.md', 'docs/**/*.md', 'mkdocs.yml'], exclude: ['CHANGELOG.md'], tags: false }),
    );
    expect(beta.ref).toBe('main');
    expect(beta.tags).toEqual([]);
    expect(beta.meta.description).toBeNull();
    expect(beta.documents.map((d) => d.path)).toEqual(['README.md', 'docs/api.md', 'mkdocs.yml']);
    expect(beta.documents[0]!.text).toBe('# Beta\r\n\r\nCafé library.\r\n');
  });

  it('accepts the folder holding github/ or the github/ folder itself', async () => {
    const a = await createSnapshotSource(FIXTURE).loadRepository(request('fixture-org/beta'));
    const b = await createSnapshotSource(join(FIXTURE, 'github')).loadRepository(request('fixture-org/beta'));
    expect(b).toEqual(a);
    expect(createSnapshotSource(FIXTURE).root).toBe(join(FIXTURE, 'github'));
  });

  it('names the missing folder when a repository is not in the snapshot', async () => {
    const source = createSnapshotSource(FIXTURE);
    const error = await source.loadRepository(request('fixture-org/gamma')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).repo).toBe('fixture-org/gamma');
    expect((error as SourceError).message).toContain(join(FIXTURE, 'github', 'fixture-org', 'gamma'));
    expect((error as SourceError).message).toContain('sources.json');
  });

  it('refuses repository names that would leave the snapshot', async () => {
    const source = createSnapshotSource(FIXTURE);
    for (const repo of ['../fixture-org', 'fixture-org/..', 'a/b/c', 'fixture-org']) {
      await expect(source.loadRepository(request(repo))).rejects.toBeInstanceOf(SourceError);
    }
  });

  it('warns when asked for a ref other than the one commit it holds', async () => {
    const warnings: string[] = [];
    const source = createSnapshotSource(FIXTURE, { onWarning: (m) => warnings.push(m) });
    const atTag = await source.loadRepository(request('fixture-org/alpha', { ref: 'v1.2.0' }));
    expect(atTag.ref).toBe('v1.2.0');
    expect(warnings.filter((w) => w.includes('ref'))).toEqual([]);
    const old = await source.loadRepository(request('fixture-org/alpha', { ref: 'v1.0.0' }));
    expect(old.commitSha).toBe(ALPHA_HEAD);
    expect(warnings.some((w) => w.includes('"v1.0.0"'))).toBe(true);
  });

  describe('readBlob', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'snapshot-test-'));
      await cp(FIXTURE, join(dir, 'snap'), { recursive: true });
      await writeFile(join(dir, 'secret.txt'), 'outside');
      await symlink(join(dir, 'secret.txt'), join(dir, 'snap/github/fixture-org/alpha/files/docs/escape.md'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('returns the bytes of files/<path>, or undefined when absent', async () => {
      const source = createSnapshotSource(FIXTURE);
      const alpha = await source.loadRepository(request('fixture-org/alpha'));
      const png = await source.readBlob(alpha, 'docs/img/diagram.png');
      expect(png?.subarray(1, 4).toString()).toBe('PNG');
      // files/ keeps one copy of an image that the tree has under two paths; the sha finds it.
      expect(await source.readBlob(alpha, 'docs/guide/img/diagram.png')).toEqual(png);
      expect(await source.readBlob(alpha, 'src/main.py')).toBeUndefined();
      expect(await source.readBlob(alpha, 'docs/img')).toBeUndefined();
    });

    it('never reads outside the snapshot', async () => {
      const source = createSnapshotSource(join(dir, 'snap'));
      const alpha = await source.loadRepository(request('fixture-org/alpha'));
      for (const path of ['../repo.json', 'docs/../../tree.json', '/etc/passwd', 'docs//index.md', './README.md', 'a\\..\\b']) {
        await expect(source.readBlob(alpha, path), path).rejects.toBeInstanceOf(SourceError);
      }
      await expect(source.readBlob(alpha, 'docs/escape.md')).rejects.toThrow(/outside/);
    });
  });
});
