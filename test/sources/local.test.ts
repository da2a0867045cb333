import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSource, openCheckout } from '../../src/sources/local.ts';
import type { RepositoryRequest } from '../../src/sources/types.ts';

const made: string[] = [];
/** A temporary folder, removed after the suite. */
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const DOCS: RepositoryRequest = { repo: 'acme/svc', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: false };
const gitIn = (dir: string) => (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: 'pipe' });
const commit = (dir: string) => gitIn(dir)('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'change');
/** Mode and sha of a path as Git's index has them. */
const indexEntry = (dir: string, file: string) => {
  const [mode, sha] = gitIn(dir)('ls-files', '-s', '--', file).split(/\s+/);
  return { mode, sha };
};

function checkout(): string {
  const dir = temp('local-');
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

  it('dates each page file by the newest commit that changed it, from one git log', async () => {
    const dir = checkout();
    const git = gitIn(dir);
    const at = (date: string) => ({ ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '--amend', '--no-edit'], { env: at('2024-02-03T10:00:00Z'), stdio: 'pipe' });
    writeFileSync(path.join(dir, 'docs/setup.md'), '# Setup, later\n');
    writeFileSync(path.join(dir, 'main.py'), 'print(2)\n');
    git('add', '-A');
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'later'], { env: at('2025-06-07T10:00:00Z'), stdio: 'pipe' });
    writeFileSync(path.join(dir, 'docs/new.md'), '# Not committed\n');
    const repo = await createLocalSource(new Map([['acme/svc', dir]])).loadRepository(DOCS);
    const dates = Object.fromEntries(repo.tree.filter((e) => e.updated).map((e) => [e.path, e.updated]));
    // main.py is not a page; docs/new.md has no commit yet.
    expect(dates).toEqual({ 'README.md': '2024-02-03', 'docs/a file.md': '2024-02-03', 'docs/setup.md': '2025-06-07' });
  });

  it('says which path is not a checkout', async () => {
    const dir = temp('not-a-checkout-');
    const source = createLocalSource(new Map([['acme/svc', dir]]));
    await expect(source.loadRepository({ repo: 'acme/svc', include: ['README.md'], exclude: [], tags: false })).rejects.toThrow(
      new RegExp(`${dir} is not a Git checkout .*\\(for acme/svc\\); check the --local path`),
    );
  });

  it('refuses a folder that is missing, a file, inside a checkout, or a checkout without a commit', async () => {
    const dir = checkout();
    await expect(openCheckout(path.join(dir, 'nonexistent'))).rejects.toThrow(/nonexistent does not exist/);
    await expect(openCheckout(path.join(dir, 'main.py'))).rejects.toThrow(/main\.py is not a folder/);
    await expect(openCheckout(path.join(dir, 'docs'))).rejects.toThrow(/docs is inside the Git checkout .*; give the checkout's top folder/);
    const empty = temp('empty-checkout-');
    gitIn(empty)('init', '-q');
    await expect(openCheckout(empty)).rejects.toThrow(/is a Git checkout without a commit/);
    expect((await openCheckout(dir)).head).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads untracked and staged files, leaves out ignored and deleted ones', async () => {
    const dir = checkout();
    const git = gitIn(dir);
    writeFileSync(path.join(dir, '.gitignore'), 'docs/private.md\n');
    writeFileSync(path.join(dir, 'docs/private.md'), '# Private\n');
    writeFileSync(path.join(dir, 'docs/new.md'), '# New page, untracked\n');
    writeFileSync(path.join(dir, 'docs/staged.md'), '# Staged page\n');
    git('add', 'docs/staged.md');
    rmSync(path.join(dir, 'docs/setup.md'));
    git('rm', '-q', '--cached', 'main.py'); // staged deletion, the file stays untracked on disk
    const source = createLocalSource(new Map([['acme/svc', dir]]));
    const repo = await source.loadRepository(DOCS);
    const paths = repo.tree.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['.gitignore', 'docs/new.md', 'docs/staged.md', 'main.py']));
    expect(paths).not.toContain('docs/setup.md');
    expect(paths).not.toContain('docs/private.md');
    expect(repo.documents.map((d) => d.path)).toEqual(['README.md', 'docs/a file.md', 'docs/new.md', 'docs/staged.md']);
    expect(repo.documents.find((d) => d.path === 'docs/new.md')!.text).toBe('# New page, untracked\n');
    // An untracked file gets the sha Git would give it; a tracked one keeps its index entry.
    const sha = git('hash-object', 'docs/new.md').trim();
    expect(repo.tree.find((e) => e.path === 'docs/new.md')).toMatchObject({ type: 'blob', mode: '100644', sha });
    expect(repo.tree.find((e) => e.path === 'README.md')!.sha).toBe(indexEntry(dir, 'README.md').sha);
    expect(repo.tree.find((e) => e.path === 'docs')).toMatchObject({ type: 'tree', mode: '040000' });
    // Ignored files are not read, even when asked for by name.
    expect(await source.readBlob(repo, 'docs/private.md')).toBeUndefined();
    expect(await source.readBlob(repo, 'docs/setup.md')).toBeUndefined();
  });

  it('takes a committed symlink as its target path and never follows it, out of the checkout or into /proc', async () => {
    const dir = checkout();
    const outside = temp('outside-');
    writeFileSync(path.join(outside, 'secret'), 'SECRET-OUTSIDE-THE-CHECKOUT');
    const inner = path.join(outside, 'repo');
    renameSync(dir, inner);
    symlinkSync('/proc/self/environ', path.join(inner, 'docs/environ.png'));
    symlinkSync('../../secret', path.join(inner, 'docs/secret.png'));
    gitIn(inner)('add', '-A');
    commit(inner);
    symlinkSync('../../secret', path.join(inner, 'docs/untracked.png'));
    const source = createLocalSource(new Map([['acme/svc', inner]]));
    const repo = await source.loadRepository({ ...DOCS, include: [...DOCS.include, 'docs/*.png'] });
    for (const [file, target] of [['docs/environ.png', '/proc/self/environ'], ['docs/secret.png', '../../secret'], ['docs/untracked.png', '../../secret']] as const) {
      const entry = repo.tree.find((e) => e.path === file)!;
      expect(entry, file).toMatchObject({ type: 'blob', mode: '120000', size: target.length });
      expect((await source.readBlob(repo, file))?.toString(), file).toBe(target);
      expect(entry.sha, file).toBe(execFileSync('git', ['hash-object', '--stdin'], { input: target, encoding: 'utf8' }).trim());
    }
    expect(indexEntry(inner, 'docs/environ.png')).toEqual({ mode: '120000', sha: repo.tree.find((e) => e.path === 'docs/environ.png')!.sha });
    expect(repo.documents.map((d) => d.path)).not.toContain('docs/environ.png');
  });

  it('warns about a selected file that is a symlink, naming it', async () => {
    const dir = checkout();
    rmSync(path.join(dir, 'README.md'));
    symlinkSync('docs/setup.md', path.join(dir, 'README.md'));
    gitIn(dir)('add', '-A');
    commit(dir);
    const repo = await createLocalSource(new Map([['acme/svc', dir]])).loadRepository(DOCS);
    expect(repo.documents.map((d) => d.path)).not.toContain('README.md');
    expect(repo.warnings).toContainEqual({ path: 'README.md', message: expect.stringMatching(/^symbolic link .*not followed/), ruleId: 'symlink' });
  });

  it('reads nothing through a folder replaced by a symlink to outside the checkout', async () => {
    const dir = checkout();
    const outside = temp('outside-');
    writeFileSync(path.join(outside, 'setup.md'), '# SECRET-OUTSIDE\n');
    writeFileSync(path.join(outside, 'a file.md'), '# SECRET-OUTSIDE\n');
    rmSync(path.join(dir, 'docs'), { recursive: true });
    symlinkSync(outside, path.join(dir, 'docs'));
    const source = createLocalSource(new Map([['acme/svc', dir]]));
    const repo = await source.loadRepository(DOCS);
    expect(repo.documents.map((d) => d.path)).toEqual(['README.md']);
    expect(repo.documents.some((d) => d.text.includes('SECRET'))).toBe(false);
    expect(repo.warnings).toContainEqual({ path: 'docs/setup.md', message: 'left out of the tree: a symlinked folder leads outside the checkout', ruleId: 'unsafe-path' });
    expect(await source.readBlob(repo, 'docs/setup.md')).toBeUndefined();
  });
});
