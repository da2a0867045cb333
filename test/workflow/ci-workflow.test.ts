/** The CI workflow and .ci/run: every Node.js line that engines names, and the README's two test commands. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../support/corpus.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  container?: string;
  strategy?: { 'fail-fast'?: boolean; matrix: { node: number[] } };
  steps: Step[];
}

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const text = read('.github/workflows/ci.yml');
const wf = YAML.parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
const docs = YAML.parse(read('.github/workflows/docs.yml')) as { jobs: Record<string, Job> };
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string> };
const ciRun = read('.ci/run');

/** The test commands of the README's quick start, comments dropped. */
const readmeTestCommands = () =>
  [...read('README.md').matchAll(/^(npm (?:test|run test:\S+))\s*(?:#.*)?$/gm)].map((m) => m[1]!);

describe('CI workflow', () => {
  const test = wf.jobs.test!;

  it('parses as YAML with no duplicate keys and no tabs', () => {
    expect(() => YAML.parse(text, { uniqueKeys: true })).not.toThrow();
    expect(text).not.toMatch(/\t/);
  });

  it('runs on pull requests, pushes to main and by hand, reading the repository only', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect((wf.on.push as { branches: string[] }).branches).toEqual(['main']);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('tests every Node.js line that engines names, and no other', () => {
    // Each alternative of engines is one major line from a tested minimum: ^20.19.0 || ^22.12.0 || ^24.0.0.
    const ranges = pkg.engines.node.split('||').map((r) => r.trim());
    for (const range of ranges) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const majors = ranges.map((r) => Number(r.slice(1).split('.')[0]));
    expect(test.strategy!.matrix.node).toEqual(majors);
    expect(test.strategy!['fail-fast']).toBe(false);
    // The Node.js running these tests is one of them.
    expect(majors).toContain(Number(process.versions.node.split('.')[0]));
  });

  it('builds the docs on the newest of those lines', () => {
    const newest = Math.max(...test.strategy!.matrix.node);
    for (const job of [docs.jobs.check!, docs.jobs.build!]) {
      const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setup!.with!['node-version']).toBe(newest);
    }
  });

  it('runs .ci/run as root in the Debian Node.js image of each line, then the typecheck', () => {
    expect(test.container).toBe('node:${{ matrix.node }}-bookworm');
    expect(test.steps[0]).toEqual({ uses: expect.stringMatching(/^actions\/checkout@v\d+$/), with: { 'persist-credentials': false } });
    expect(test.steps.slice(1).map((s) => s.run)).toEqual(['.ci/run', 'npm run typecheck']);
  });
});

describe('.ci/run', () => {
  it('installs Chromium, MkDocs, the Material theme and the PyMdown extensions from Debian', () => {
    const packages = ciRun.match(/for package in ([^;]+);/)![1]!.split(/\s+/);
    expect(packages.sort()).toEqual(['chromium', 'mkdocs', 'mkdocs-material', 'python3-pymdownx']);
  });

  it('ends with npm ci and exactly the two test commands of the README', () => {
    const commands = readmeTestCommands();
    expect(commands).toEqual(['npm test', 'npm run test:slow']);
    const last = ciRun.trimEnd().split('\n').slice(-3);
    expect(last).toEqual(['npm ci --no-audit --no-fund', ...commands]);
    expect(pkg.scripts['test:slow']).toBeDefined();
  });
});
