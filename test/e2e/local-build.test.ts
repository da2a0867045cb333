/**
 * `--local OWNER/REPO=DIR` through the real command line, with real Git checkouts made by the tests: a
 * wrong --local stops the CLI with exit code 2 before anything is written; a good one previews the working
 * tree (untracked pages included) and publishes what a symlink names, never what it points at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { BUNDLE_VERSION } from '../../src/core/bundle.ts';
import { runCli } from '../support/cli.ts';
import { removeTemporaryFolders, snapshotFolder, temporaryFolder } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

const SNAPSHOT = path.join(PROJECT_ROOT, 'test/fixtures/bundle/github');
const CONFIG = path.join(PROJECT_ROOT, 'test/fixtures/bundle/sources.json');
const REPO = 'fixture-docs/svc-alpha';

/** A Git checkout of svc-alpha with one commit; `files` maps paths to text, or to { symlink: target }. */
function checkout(parent: string, files: Record<string, string | { symlink: string }>): string {
  const dir = path.join(parent, 'svc-alpha');
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    if (typeof content === 'string') writeFileSync(path.join(dir, file), content);
    else symlinkSync(content.symlink, path.join(dir, file));
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'init');
  return dir;
}

/** A folder with an out/ from an earlier build (a page and its manifest), to show that a refused run leaves it as it was. */
function workspace(): { dir: string; out: string } {
  const dir = temporaryFolder('local-cli-');
  const out = path.join(dir, 'out');
  mkdirSync(out);
  writeFileSync(path.join(out, 'index.html'), 'previous build');
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ bundleVersion: BUNDLE_VERSION, pages: [] }));
  return { dir, out };
}

function expectUntouched(dir: string, before: Map<string, string>): void {
  expect(snapshotFolder(dir)).toEqual(before);
}

describe('--local on the command line', () => {
  it('exits 2 and writes nothing when the --local folder does not exist', () => {
    const { dir, out } = workspace();
    const before = snapshotFolder(dir);
    const missing = path.join(dir, 'nonexistent');
    const run = runCli(['--snapshot', SNAPSHOT, '--config', CONFIG, '--out', out, '--no-cache', '--local', `${REPO}=${missing}`]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(`error: --local ${REPO}=${missing}: ${missing} does not exist; give the folder of a Git checkout\n`);
    expectUntouched(dir, before);
  });

  it('exits 2 and writes nothing when the --local folder is not a Git checkout', () => {
    const { dir, out } = workspace();
    const plain = path.join(dir, 'plain');
    mkdirSync(plain);
    const before = snapshotFolder(dir);
    const run = runCli(['--snapshot', SNAPSHOT, '--config', CONFIG, '--out', out, '--no-cache', '--local', `${REPO}=${plain}`]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: --local ${REPO}=${plain}: ${plain} is not a Git checkout \\(.*\\)\\n$`));
    expectUntouched(dir, before);
  });

  it('exits 2 and writes nothing when --local names a repository the build does not read', () => {
    const { dir, out } = workspace();
    const repo = checkout(dir, { 'README.md': '# Alpha\n' });
    const before = snapshotFolder(dir);
    const run = runCli(['--snapshot', SNAPSHOT, '--config', CONFIG, '--out', out, '--no-cache', '--local', `fixture-docs/notlisted=${repo}`]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(`error: --local fixture-docs/notlisted=${repo}: fixture-docs/notlisted is not a repository of ${CONFIG}; check the name\n`);
    expectUntouched(dir, before);
    // A listed repository left out by --only is not read either.
    const only = runCli(['--snapshot', SNAPSHOT, '--config', CONFIG, '--out', out, '--no-cache', '--only', 'fixture-docs/svc-beta', '--local', `${REPO}=${repo}`]);
    expect(only.code, only.stderr).toBe(2);
    expect(only.stderr).toContain(`${REPO} is not a repository of this build (--only fixture-docs/svc-beta, the guides and the release notes)`);
    expectUntouched(dir, before);
  });

  it('previews untracked pages, and never publishes what a symlink points at: not /proc/self/environ, not a file outside the checkout', () => {
    const { dir, out } = workspace();
    const marker = `ENV-MARKER-${process.pid}-${Date.now()}`;
    const secret = `FILE-MARKER-${process.pid}-${Date.now()}`;
    writeFileSync(path.join(dir, 'secret'), secret);
    const repo = checkout(dir, {
      'README.md': '# Alpha preview\n\n![environment](docs/img/environ.png) ![secret](docs/img/secret.png) [new page](docs/new.md)\n',
      'docs/img/environ.png': { symlink: '/proc/self/environ' },
      'docs/img/secret.png': { symlink: '../../../secret' },
    });
    writeFileSync(path.join(repo, 'docs/new.md'), '# Written, not yet committed\n');
    const run = runCli(['--snapshot', SNAPSHOT, '--config', CONFIG, '--out', out, '--no-cache', '--local', `${REPO}=${repo}`], { env: { DOCS_TEST_MARKER: marker } });
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { pages: { url: string; title: string }[] };
    expect(manifest.pages).toContainEqual(expect.objectContaining({ url: 'services/svc-alpha/docs/new/', title: 'Written, not yet committed' }));
    const published: string[] = [];
    const walk = (folder: string): void => {
      for (const name of readdirSync(folder)) {
        const full = path.join(folder, name);
        if (statSync(full).isDirectory()) walk(full);
        else published.push(full);
      }
    };
    walk(out);
    expect(published.length).toBeGreaterThan(20);
    for (const file of published) {
      const text = readFileSync(file, 'latin1');
      expect(text.includes(marker), file).toBe(false);
      expect(text.includes(secret), file).toBe(false);
    }
  });
});
