/**
 * A rebuild that finds nothing changed costs about what starting the program, reading the sources and
 * checking out/ cost: the stages it skips are not even loaded. Checked on the modules the compiled program
 * actually loads (test/support/module-log.mjs), not on its timing.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

const BUILD_TIMEOUT = 240_000;
const HOOK = pathToFileURL(path.join(PROJECT_ROOT, 'test/support/module-log.mjs')).href;

/** Packages of the stages after the sources, and the GitHub client a snapshot build has no use for. */
const HEAVY_PACKAGES = [
  'unified',
  'micromark',
  'remark-parse',
  'rehype-sanitize',
  '@wooorm/starry-night',
  'nunjucks',
  'pagefind',
  'jsdom',
  'dompurify',
  'file-type',
  '@scalar/openapi-parser',
  'playwright-core',
  'yaml',
  '@octokit/rest',
  'bottleneck',
];
/** Stages of the program (dist/) a rebuild that changes nothing skips. */
const SKIPPED_STAGES = ['catalog', 'api', 'releases', 'render', 'compose'];

function loadedModules(log: string): string[] {
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

const packageOf = (url: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
const stageOf = (url: string) => new RegExp(`^${pathToFileURL(path.join(PROJECT_ROOT, 'dist')).href}/([^/]+)/`).exec(url)?.[1];

describe('a rebuild that finds nothing changed', () => {
  it('loads neither the rendering stages nor their packages, nor Ajv to validate the configuration', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'unchanged-modules-'));
    const [out, cache] = [path.join(root, 'out'), path.join(root, 'cache')];
    const build = (log: string) => {
      const run = runCli(['--snapshot', 'examples/snapshot', '--config', 'examples/sources.json', '--out', out, '--cache', cache], {
        env: { NODE_OPTIONS: `--import ${HOOK}`, MODULE_LOG: log },
        timeout: BUILD_TIMEOUT,
      });
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.code).toBe(0);
      return { run, modules: loadedModules(log) };
    };

    const first = build(path.join(root, 'first.log'));
    // The log sees what a build that renders loads, so its silence below means something.
    const firstPackages = new Set(first.modules.map(packageOf));
    expect([...firstPackages].filter((p) => p !== undefined && HEAVY_PACKAGES.includes(p)).sort()).toEqual(
      expect.arrayContaining(['@wooorm/starry-night', 'micromark', 'nunjucks', 'pagefind', 'remark-parse', 'unified', 'yaml']),
    );
    expect(SKIPPED_STAGES.filter((s) => first.modules.some((m) => stageOf(m) === s))).toEqual(SKIPPED_STAGES);
    // The highlighter loads its common grammars, not the ~600 its entry module would import.
    const grammars = first.modules.filter((m) => m.includes('/@wooorm/starry-night/lang/'));
    expect(grammars.length).toBeGreaterThan(10);
    expect(grammars.length).toBeLessThan(100);
    expect(first.modules.filter((m) => /\/@wooorm\/starry-night\/(index|lib\/all)\.js$/.test(m))).toEqual([]);

    const second = build(path.join(root, 'second.log'));
    expect(JSON.parse(readFileSync(path.join(out, 'build-report.json'), 'utf8')).output.unchanged).toBeGreaterThan(0);
    expect(second.modules.map(packageOf).filter((p) => p !== undefined && HEAVY_PACKAGES.includes(p))).toEqual([]);
    expect(second.modules.filter((m) => SKIPPED_STAGES.includes(stageOf(m) ?? ''))).toEqual([]);
    // The configuration is checked by the validator compiled ahead of time (src/config/validator.ts).
    expect(second.modules.filter((m) => /\/node_modules\/ajv\/dist\/(2020|core|compile\/)/.test(m))).toEqual([]);
    expect(second.modules.some((m) => m.endsWith('/dist/config/sources-validator.cjs'))).toBe(true);
  }, 2 * BUILD_TIMEOUT);
});
