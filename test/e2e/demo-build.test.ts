import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env });

/** Every file under `dir` and its bytes, but the build report (it holds times and the date). */
function bundleFiles(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .filter((name) => name !== 'build-report.json')
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name))]),
  );
}

/** A whole build in a child process: only a guard against a hung build, on a machine that may be busy. */
const BUILD_TIMEOUT = 240_000;

describe('the CLI on the demo snapshot', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'demo-')), 'out');

  it('builds the demo into a fresh folder and prints a summary', () => {
    const run = runCli(['--snapshot', 'examples/snapshot', '--config', 'examples/sources.json', '--out', out], { timeout: BUILD_TIMEOUT });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Built \d+ pages from 6 repositories into /m);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const urls = manifest.pages.map((p: { url: string }) => p.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        'services/authz-gateway/',
        'services/authz-gateway/docs/',
        'services/authz-gateway/docs/providers/google/',
        'services/demo-portal/',
        'guides/',
        'guides/developer-guide/contribute/',
        'releases/2026.05/',
        'releases/2026.06/',
      ]),
    );
    for (const url of urls) expect(existsSync(path.join(out, url, 'index.html')), url).toBe(true);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  }, BUILD_TIMEOUT);

  it('builds the same bundle as the compiled program, whose render workers load compiled code', () => {
    expect(existsSync(path.join(out, 'manifest.json')), 'the build above ran').toBe(true);
    const compiledOut = path.join(mkdtempSync(path.join(tmpdir(), 'demo-compiled-')), 'out');
    // bin/gen3-docs.js is what `npm run build` and `npx` run: it compiles src/ first when dist/ is older.
    const run = spawnSync(
      process.execPath,
      ['bin/gen3-docs.js', '--snapshot', 'examples/snapshot', '--config', 'examples/sources.json', '--out', compiledOut, '--no-cache', '--workers', '2'],
      // No browser, as runCli runs the build above: both leave the diagrams to the reader's browser.
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: '', CHROMIUM_PATH: '' }, timeout: BUILD_TIMEOUT },
    );
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    const expected = bundleFiles(out);
    const actual = bundleFiles(compiledOut);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true);
  }, BUILD_TIMEOUT);

  it('prints the help and exits 0', () => {
    const run = cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--snapshot DIR');
  });

  it('exits 2 on an unknown option', () => {
    const run = cli(['--snapsot', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--snapsot'");
  });

  it.each([
    ['an unknown key', { repositories: [{ repo: 'gen3-demo/file-index', section: 'x', exlude: [] }] }, 'repositories[0].exlude: unknown key'],
    ['a missing repo', { repositories: [{ section: 'x' }] }, 'repositories[0].repo: required key "repo" is missing'],
    ['a repo that is not owner/name', { repositories: [{ repo: 'file-index', section: 'x' }] }, 'repositories[0].repo: must be a GitHub repository as owner/name'],
  ])('exits 2 on a config with %s, naming the field, before any network call', (_name, config, message) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'badconfig-'));
    const file = path.join(dir, 'sources.json');
    writeFileSync(file, JSON.stringify(config));
    // An API URL nothing listens on: a network call would fail differently.
    const run = cli(['--config', file, '--out', path.join(dir, 'out')], { GITHUB_API_URL: 'http://127.0.0.1:9' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses an output folder that contains the project', () => {
    const run = cli(['--snapshot', 'examples/snapshot', '--config', 'examples/sources.json', '--out', '..']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out ..: the output folder would contain the current folder');
  });
});
