/** The two test commands: every test file runs in exactly one, chosen by its path as the README says. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVitest, type TestProject, type Vitest } from 'vitest/node';
import { PROJECT_ROOT } from '../support/corpus.ts';

const scripts = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** The test files in the repository, relative to its root. */
function testFiles(dir = 'test'): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(file);
    return file.endsWith('.test.ts') ? [file] : [];
  });
}

describe('the test split', () => {
  let vitest: Vitest;
  let projects: Map<string, TestProject>;
  const runsIn = (file: string) => [...projects].filter(([, p]) => p.matchesTestGlob(path.join(PROJECT_ROOT, file))).map(([name]) => name);

  beforeAll(async () => {
    // Vitest's own reading of vitest.config.ts and its own matching of a path against each project.
    vitest = await createVitest('test', { root: PROJECT_ROOT, watch: false, reporters: [] });
    projects = new Map(vitest.projects.map((p) => [p.name, p]));
  });
  afterAll(() => vitest?.close());

  it('has the two projects that npm test and npm run test:slow run', () => {
    expect([...projects.keys()].sort()).toEqual(['slow', 'unit']);
    expect(scripts.test).toBe('vitest run --project unit');
    expect(scripts['test:slow']).toBe('vitest run --project slow');
  });

  it('runs every test file in exactly one of them', () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expect(runsIn(file), file).toHaveLength(1);
  });

  it('puts hostile, browser, end-to-end, corpus and worker-thread suites in test:slow, wherever they are added', () => {
    for (const file of [
      'test/hostile/new-input.test.ts',
      'test/browser/new-page.test.ts',
      'test/e2e/new-build.test.ts',
      'test/e2e/corpus-build.test.ts',
      'test/releases/corpus.test.ts',
      'test/render/new-corpus-pages.test.ts',
      'test/publish/kill.test.ts',
      'test/render/workers.test.ts',
    ]) {
      expect(runsIn(file), file).toEqual(['slow']);
    }
  });

  it('keeps the unit suites and the demo build in npm test', () => {
    for (const file of ['test/e2e/demo-build.test.ts', 'test/render/new-plugin.test.ts', 'test/new-folder/a.test.ts', 'test/demo-snapshot.test.ts']) {
      expect(runsIn(file), file).toEqual(['unit']);
    }
  });
});
