/**
 * The build replaces --out as a whole and empties folders of its own inside --cache, so both are used only
 * when they are the tool's: a new or empty folder, an earlier bundle (manifest.json with bundleVersion), a
 * cache it made (its VERSION marker). Anything else exits with 2 and is byte-identical afterwards. Through
 * the real command line; GitHub is a closed port, so a build that went ahead would fail, not fetch.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_VERSION } from '../../src/cache/folder.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { runCli } from '../support/cli.ts';
import { makeHostileSnapshot, removeTemporaryFolders, snapshotFolder } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

/** A buildable snapshot and config: were a check missing, the build would go on and replace the folder. */
function project() {
  const input = makeHostileSnapshot([{ name: 'svc', files: [{ path: 'README.md', content: '# Service\n\nFirst text.\n' }] }]);
  return { ...input, cache: path.join(input.dir, 'cache') };
}

/** A folder of someone else's: files, a subfolder, and the names the cache itself uses. */
function foreignFolder(dir: string): string {
  mkdirSync(path.join(dir, 'notes/deep'), { recursive: true });
  writeFileSync(path.join(dir, 'todo.txt'), 'keep me\n');
  writeFileSync(path.join(dir, 'notes/deep/plan.md'), '# Plan\n');
  for (const sub of ['repos', 'http', 'blobs', 'render']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, sub, 'data.json'), '{"mine": true}\n');
  }
  return dir;
}

function expectRefused(run: ReturnType<typeof runCli>, option: '--out' | '--cache', pattern: RegExp): void {
  expect(run.stderr).toMatch(new RegExp(`^error: ${option} `));
  expect(run.stderr).toMatch(pattern);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

const NOT_A_BUNDLE = /holds files and is not a bundle this tool built \(it has no manifest\.json with bundleVersion\)/;
const NOT_A_CACHE = /holds files and was not made by this tool \(it has no VERSION file reading "gen3-docs-cache"\).*Choose another folder/;

describe('--out is replaced only when it is an earlier bundle', () => {
  it('refuses a folder with files that is not a bundle, and leaves it byte-identical', () => {
    const p = project();
    const folder = foreignFolder(path.join(p.dir, 'site'));
    const before = snapshotFolder(folder);
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', folder]);
    expectRefused(run, '--out', NOT_A_BUNDLE);
    expect(snapshotFolder(folder)).toEqual(before);
    expect(readdirSync(p.dir).sort()).toEqual(['site', 'snapshot', 'sources.json']);
  });

  it('refuses .git', () => {
    const p = project();
    const repo = path.join(p.dir, 'docs-repo');
    mkdirSync(repo);
    writeFileSync(path.join(repo, 'README.md'), '# Docs\n');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    git('add', 'README.md');
    expect(git('commit', '-q', '-m', 'docs').status).toBe(0);
    const before = snapshotFolder(path.join(repo, '.git'));
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', '.git'], { cwd: repo });
    expectRefused(run, '--out', NOT_A_BUNDLE);
    expect(snapshotFolder(path.join(repo, '.git'))).toEqual(before);
    expect(git('log', '--oneline').stdout).toMatch(/docs/);
  });

  it('refuses src from the tool folder', () => {
    // Nothing in this config can be loaded, so even a missing check would publish nothing over src/.
    const p = makeHostileSnapshot([]);
    writeFileSync(p.configFile, JSON.stringify({ repositories: [{ repo: 'absent/repo', section: 'S' }] }));
    const before = snapshotFolder(path.join(PROJECT_ROOT, 'src'));
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--no-cache', '--out', 'src']);
    expectRefused(run, '--out', NOT_A_BUNDLE);
    expect(snapshotFolder(path.join(PROJECT_ROOT, 'src'))).toEqual(before);
    expect(existsSync(path.join(PROJECT_ROOT, 'src-build-report.json'))).toBe(false);
  });

  it('refuses a sibling folder', () => {
    const p = project();
    const cwd = path.join(p.dir, 'work');
    mkdirSync(cwd);
    const sibling = foreignFolder(path.join(p.dir, 'sibling'));
    const before = snapshotFolder(sibling);
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', '../sibling'], { cwd });
    expectRefused(run, '--out', NOT_A_BUNDLE);
    expect(snapshotFolder(sibling)).toEqual(before);
  });

  it('refuses a folder whose manifest.json is not a bundle manifest', () => {
    const p = project();
    const folder = path.join(p.dir, 'app');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'manifest.json'), '{"name": "a web app", "version": "1.0.0"}\n');
    const before = snapshotFolder(folder);
    expectRefused(runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', folder]), '--out', NOT_A_BUNDLE);
    expect(snapshotFolder(folder)).toEqual(before);
  });

  it('replaces a previous bundle, and builds into an empty folder', async () => {
    const p = project();
    mkdirSync(p.out);
    const first = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', p.out]);
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(p.out, 'manifest.json'), 'utf8')).bundleVersion).toMatch(/^\d+\.\d+\.\d+$/);

    await editSnapshotFile(p.snapshot, 'hostile-org/svc', 'README.md', (text) => text.replace('First', 'Second'));
    const second = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--cache', p.cache, '--out', p.out]);
    expect(second.code).toBe(0);
    expect(readFileSync(path.join(p.out, 'services/svc/index.html'), 'utf8')).toContain('Second text.');
  });
});

describe('--cache uses only a folder the tool made', () => {
  const sources: [string, (p: ReturnType<typeof project>) => string[]][] = [
    ['the GitHub source', (p) => ['--config', p.configFile]],
    ['a snapshot', (p) => ['--snapshot', p.snapshot, '--config', p.configFile]],
  ];

  it.each(sources)('refuses a non-empty folder without the marker, with %s, and leaves it byte-identical', (_name, args) => {
    const p = project();
    const folder = foreignFolder(path.join(p.dir, 'stuff'));
    const before = snapshotFolder(folder);
    const run = runCli([...args(p), '--out', p.out, '--cache', folder]);
    expectRefused(run, '--cache', NOT_A_CACHE);
    expect(snapshotFolder(folder)).toEqual(before);
    expect(existsSync(p.out)).toBe(false);
  });

  it('refuses the current folder', () => {
    const p = project();
    const cwd = foreignFolder(path.join(p.dir, 'project'));
    const before = snapshotFolder(cwd);
    const run = runCli(['--config', p.configFile, '--out', path.join(p.dir, 'out'), '--cache', '.'], { cwd });
    expectRefused(run, '--cache', NOT_A_CACHE);
    expect(snapshotFolder(cwd)).toEqual(before);
  });

  it('refuses a cache inside the output folder, which every build replaces', () => {
    const p = project();
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--out', p.out, '--cache', path.join(p.out, 'cache')]);
    expectRefused(run, '--out', /would contain .*cache and is replaced on every build/);
    expect(existsSync(p.out)).toBe(false);
  });

  it('marks a folder it makes, and uses it again', () => {
    const p = project();
    expect(runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--out', p.out, '--cache', p.cache]).code).toBe(0);
    expect(readFileSync(path.join(p.cache, 'VERSION'), 'utf8')).toBe(`gen3-docs-cache ${CACHE_VERSION}\n`);
    const again = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--out', p.out, '--cache', p.cache]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/cache|error/);
  });

  it('takes over, emptied, a cache an earlier version made without the marker', () => {
    const p = project();
    expect(runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--out', p.out, '--cache', p.cache]).code).toBe(0);
    // What earlier versions left after a --snapshot build: the same folders and names, no VERSION.
    const early = path.join(p.dir, 'early');
    cpSync(p.cache, early, { recursive: true });
    rmSync(path.join(early, 'VERSION'));
    // They kept the search index as one file; this version keeps a folder of Pagefind's files.
    rmSync(path.join(early, 'search'), { recursive: true });
    mkdirSync(path.join(early, 'search'));
    writeFileSync(path.join(early, 'search', 'index.json'), 'sha256 0\n{}');
    const run = runCli(['--snapshot', p.snapshot, '--config', p.configFile, '--out', path.join(p.dir, 'out2'), '--cache', early]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: cache .*early has the layout of an earlier version: starting it afresh$/m);
    expect(readFileSync(path.join(early, 'VERSION'), 'utf8')).toBe(`gen3-docs-cache ${CACHE_VERSION}\n`);
  });
});
