/**
 * A hostile or broken configuration through the real command line: exit code 2, one message naming the file,
 * the place and the problem, and nothing fetched or written (no out/, no staging folder). GitHub is never
 * asked: GITHUB_API_URL points at a closed port, which would make any fetch fail with exit code 1 instead.
 * test/config/load.test.ts covers the validator case by case; this suite proves the CLI stops before work.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { runCli } from '../support/cli.ts';
import { removeTemporaryFolders, temporaryFolder } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

function workspace(configText: string): { dir: string; config: string; out: string } {
  const dir = temporaryFolder('hostile-config-');
  const config = path.join(dir, 'sources.json');
  writeFileSync(config, configText);
  return { dir, config, out: path.join(dir, 'out') };
}

function expectNothingWritten(dir: string): void {
  expect(readdirSync(dir).filter((n) => n !== 'sources.json' && n !== 'cwd')).toEqual([]);
}

const ok = (repo: Record<string, unknown> = {}) => JSON.stringify({ repositories: [{ repo: 'uc-cdis/fence', section: 'Core', ...repo }] });

describe('hostile configuration stops the CLI with exit code 2 before any work', () => {
  const cases: [string, string, (file: string) => string][] = [
    ['invalid JSON', '{\n  "repositories": [\n    { "repo": "a/b", "section": "x" }\n    { "repo": "c/d" }\n  ]\n}\n', (f) => `error: ${f}:4:5: not valid JSON (comma expected); fix the syntax and run again\n`],
    ['a trailing comma', '{ "repositories": [], }', (f) => `error: ${f}:1:23: not valid JSON (property name expected); fix the syntax and run again\n`],
    ['an empty file', '', (f) => `error: ${f}:1:1: not valid JSON (value expected); fix the syntax and run again\n`],
    ['an unknown top-level key', JSON.stringify({ repositories: [], repos: [] }), (f) => `error: ${f}: invalid configuration\n  - repos: unknown key "repos" (check its spelling against sources.schema.json)\n`],
    ['an unknown repository key', ok({ branch: 'main' }), (f) => `error: ${f}: invalid configuration\n  - repositories[0].branch: unknown key "branch" (check its spelling against sources.schema.json)\n`],
    ['repositories of the wrong type', JSON.stringify({ repositories: { repo: 'a/b' } }), (f) => `error: ${f}: invalid configuration\n  - repositories: must be array\n`],
    ['a section of the wrong type', ok({ section: 7 }), (f) => `error: ${f}: invalid configuration\n  - repositories[0].section: must be string\n`],
    ['include as a string', ok({ include: 'docs/*.md' }), (f) => `error: ${f}: invalid configuration\n  - repositories[0].include: must be array\n`],
    ...['../x', 'a/b/c', 'x?y', 'x#y', 'own er/name', 'owner/../x', 'owner/..', 'https://github.com/a/b', '/a/b', 'a\\b/c'].map(
      (repo): [string, string, (f: string) => string] => [
        `repo ${JSON.stringify(repo)}`,
        ok({ repo }),
        (f) => `error: ${f}: invalid configuration\n  - repositories[0].repo: must be a GitHub repository as owner/name, e.g. "uc-cdis/fence"\n`,
      ],
    ),
    ...['../*.md', 'docs/../../*.md', '/etc/**', 'docs\\*.md', 'docs/\u0000.md'].map((glob): [string, string, (f: string) => string] => [
      `glob ${JSON.stringify(glob)}`,
      ok({ include: ['README.md', glob] }),
      (f) => `error: ${f}: invalid configuration\n  - repositories[0].include[1]: must be a glob inside the repository: no leading "/", no "..", no backslashes or control characters\n`,
    ]),
    [
      'release notes outside the repository',
      JSON.stringify({ repositories: [], releaseNotes: { repo: 'uc-cdis/cdis-manifest', path: '../releases' } }),
      (f) => `error: ${f}: invalid configuration\n  - releaseNotes.path: must be a path inside the repository: no leading "/", no "..", no backslashes or control characters\n`,
    ],
    [
      'a guides nav file with an absolute path',
      JSON.stringify({ repositories: [], guides: { repo: 'uc-cdis/docs-gen3', path: 'docs', nav: '/etc/mkdocs.yml' } }),
      (f) => `error: ${f}: invalid configuration\n  - guides.nav: must be a path inside the repository: no leading "/", no "..", no backslashes or control characters\n`,
    ],
    ['a ref with shell characters', ok({ ref: 'main;rm -rf /' }), (f) => `error: ${f}: invalid configuration\n  - repositories[0].ref: must be a branch, tag or commit sha (letters, digits, ".", "_", "-", "/")\n`],
  ];

  it.each(cases)('%s', (_name, text, message) => {
    const { dir, config, out } = workspace(text);
    const run = runCli(['--config', config, '--out', out]);
    expect(run.stderr).toBe(message(config));
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
    expectNothingWritten(dir);
  });
});

describe('an output folder that would replace the project or an input is refused with exit code 2', () => {
  const parentOfProject = path.dirname(PROJECT_ROOT);
  it.each([
    ['the current folder', '.', () => `error: --out .: the output folder would contain the current folder (${PROJECT_ROOT}) and is replaced on every build; choose a folder of its own, e.g. out\n`],
    ['the project root by absolute path', PROJECT_ROOT, () => `error: --out ${PROJECT_ROOT}: the output folder would contain the current folder (${PROJECT_ROOT}) and is replaced on every build; choose a folder of its own, e.g. out\n`],
    ['the parent of the project', '..', () => `error: --out ..: the output folder would contain the current folder (${PROJECT_ROOT}) and is replaced on every build; choose a folder of its own, e.g. out\n`],
    ['the parent by absolute path', parentOfProject, () => `error: --out ${parentOfProject}: the output folder would contain the current folder (${PROJECT_ROOT}) and is replaced on every build; choose a folder of its own, e.g. out\n`],
    ['the file-system root', '/', () => 'error: --out /: refusing to use the file-system root as output folder\n'],
  ])('%s', (_name, outArg, message) => {
    const { dir, config } = workspace(ok());
    const run = runCli(['--config', config, '--out', outArg]);
    expect(run.stderr).toBe(message());
    expect(run.code).toBe(2);
    expectNothingWritten(dir);
  });

  it('the project root when run from another folder', () => {
    const { dir, config } = workspace(ok());
    const cwd = path.join(dir, 'cwd');
    mkdirSync(cwd);
    const run = runCli(['--config', config, '--out', PROJECT_ROOT], { cwd });
    expect(run.stderr).toBe(`error: --out ${PROJECT_ROOT}: the output folder would contain ${PROJECT_ROOT} and is replaced on every build; choose a folder of its own, e.g. out\n`);
    expect(run.code).toBe(2);
    expect(existsSync(path.join(PROJECT_ROOT, 'package.json'))).toBe(true);
  });

  it('the folder of the configuration file', () => {
    const { dir, config } = workspace(ok());
    const cwd = path.join(dir, 'cwd');
    mkdirSync(cwd);
    const run = runCli(['--config', config, '--out', dir], { cwd: PROJECT_ROOT });
    expect(run.stderr).toBe(`error: --out ${dir}: the output folder would contain ${config} and is replaced on every build; choose a folder of its own, e.g. out\n`);
    expect(run.code).toBe(2);
    expect(existsSync(config)).toBe(true);
  });

  it('a snapshot folder', () => {
    const { dir, config } = workspace(ok());
    const snapshot = path.join(dir, 'snap');
    mkdirSync(snapshot);
    const run = runCli(['--config', config, '--snapshot', snapshot, '--out', snapshot]);
    expect(run.stderr).toBe(`error: --out ${snapshot}: the output folder would contain ${snapshot} and is replaced on every build; choose a folder of its own, e.g. out\n`);
    expect(run.code).toBe(2);
  });

  it('an existing file', () => {
    const { dir, config } = workspace(ok());
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    const run = runCli(['--config', config, '--out', file]);
    expect(run.stderr).toBe(`error: --out ${file}: exists and is not a folder; refusing to replace it\n`);
    expect(run.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'sources.json']);
  });
});
