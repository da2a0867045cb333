import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalSource } from '../../src/sources/local.ts';

function checkout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  mkdirSync(path.join(dir, 'docs'));
  writeFileSync(path.join(dir, 'README.md'), '# Local service\n\nSee [setup](docs/setup.md).\n');
  writeFileSync(path.join(dir, 'docs/setup.md'), '# Setup\n');
  writeFileSync(path.join(dir, 'docs/a file.md'), '# Spaces\n');
  writeFileSync(path.join(dir, 'main.py'), 'print(1)\n');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'init');
  return dir;
}

describe('local checkout source', () => {
  it('yields the tree of HEAD and the working-tree text', async () => {
    const dir = checkout();
    writeFileSync(path.join(dir, 'docs/setup.md'), '# Setup, edited\n');
    const source = createLocalSource(new Map([['acme/svc', dir]]));
    const repo = await source.loadRepository({ repo: 'acme/svc', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: false });
    expect(repo.meta).toMatchObject({ fullName: 'acme/svc', owner: 'acme', name: 'svc', defaultBranch: 'main' });
    expect(repo.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.tree.map((e) => `${e.type}:${e.path}`).sort()).toEqual(['blob:README.md', 'blob:docs/a file.md', 'blob:docs/setup.md', 'blob:main.py', 'tree:docs']);
    expect(repo.documents.map((d) => d.path)).toEqual(['README.md', 'docs/a file.md', 'docs/setup.md']);
    const setup = repo.documents.find((d) => d.path === 'docs/setup.md')!;
    expect(setup.text).toBe('# Setup, edited\n');
    // The sha Git itself gives the edited bytes.
    const sha = execFileSync('git', ['-C', dir, 'hash-object', 'docs/setup.md'], { encoding: 'utf8' }).trim();
    expect(setup.blobSha).toBe(sha);
    expect(setup.sourceUrl).toBe(`https://github.com/acme/svc/blob/${repo.commitSha}/docs/setup.md`);
    expect((await source.readBlob(repo, 'main.py'))?.toString()).toBe('print(1)\n');
    expect(await source.readBlob(repo, '../outside')).toBeUndefined();
  });

  it('says which path is not a checkout', async () => {
    const source = createLocalSource(new Map([['acme/svc', tmpdir()]]));
    await expect(source.loadRepository({ repo: 'acme/svc', include: ['README.md'], exclude: [], tags: false })).rejects.toThrow(
      /is not a Git checkout with a commit \(for acme\/svc\)/,
    );
  });
});
