/**
 * Render worker threads: the same pages as the main thread renders, the dialect carried to them, and the
 * compiled program's workers loading compiled code. Each
 * worker warms up its own parser and highlighter, tens of seconds on a 2-core machine: in the slow suites.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { renderPages } from '../../src/render/render-pages.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { makeLinkIndex } from '../../src/render/link-index.ts';
import type { RepoTree } from '../../src/catalog/catalog.ts';
import type { RenderContext } from '../../src/render/types.ts';
import { runCli } from '../support/cli.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { context, doc, trees } from './helpers.ts';

const DEMO = path.join(PROJECT_ROOT, 'examples/snapshot');
const DEMO_CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');
const ADMONITION = '# Setup\n\n!!! info "Before you start"\n    You need **Helm** 3.\n\n    And a cluster.\n\nAfter.\n';
const guides = { name: 'mkdocs' as const, extensions: ['admonition', 'pymdownx.details', 'pymdownx.mark'] };

describe('rendering pages', () => {
  it('renders the same pages in worker threads as on the main thread', async () => {
    const config = loadConfig(DEMO_CONFIG);
    const source = createSnapshotSource(DEMO);
    const content = await source.loadRepository({ repo: 'gen3-demo/authz-gateway', include: ['README.md', 'docs/**/*.md'], exclude: [], tags: false });
    const treeOfRepo: RepoTree = { commitSha: content.commitSha, defaultBranch: content.meta.defaultBranch, entries: new Map(content.tree.map((e) => [e.path, e])) };
    const url = (p: string) => `services/authz-gateway/${p.replace(/(README)?\.md$/, '').replace(/([^/])$/, '$1/')}`;
    const jobs = content.documents.map((doc) => ({ doc, pageUrl: url(doc.path) }));
    const byPath = new Map(jobs.map((j) => [j.doc.path, j.pageUrl]));
    const ctx = (job: (typeof jobs)[number]): RenderContext => ({
      repo: job.doc.repo,
      path: job.doc.path,
      commitSha: job.doc.commitSha,
      pageUrl: job.pageUrl,
      pageUrlForFile: (repo, p) => (repo === 'gen3-demo/authz-gateway' ? byPath.get(p) : undefined),
      treeOf: (repo) => (repo === 'gen3-demo/authz-gateway' ? treeOfRepo : undefined),
      publishAsset: async (_repo, p) => `assets/files/${p.replace(/\//g, '_')}`,
    });
    const linkIndex = () => makeLinkIndex(jobs.map((j) => ({ repo: j.doc.repo, path: j.doc.path, url: j.pageUrl })), [['gen3-demo/authz-gateway', treeOfRepo]]);
    const inline = await renderPages({ jobs, context: ctx, linkIndex, workers: 0, markdown: true });
    const threaded = await renderPages({ jobs, context: ctx, linkIndex, workers: 2, markdown: true });
    expect(config.repositories.length).toBeGreaterThan(0);
    expect(threaded.stats).toEqual({ cached: 0, rendered: jobs.length, workers: 2 });
    // Everything but the time spent highlighting, which is a measurement.
    const timeless = (pages: typeof inline.pages) => pages.map((p) => ({ ...p, stats: { ...p.stats, highlightMs: undefined } }));
    expect(timeless(threaded.pages)).toEqual(timeless(inline.pages));
    expect(inline.pages.some((p) => p.html.includes('assets/files/'))).toBe(true);
  }, 60_000);

  it('carries the dialect to worker threads and keys cached renders by it', async () => {
    const cache = new RenderCache(await mkdtemp(path.join(tmpdir(), 'dialect-cache-')));
    const page = doc(ADMONITION);
    const jobs = (dialect?: typeof guides) => [{ doc: page, pageUrl: 'services/widget/docs/setup/', dialect }];
    const options = { context: () => context(), linkIndex: () => makeLinkIndex([], [['acme/widget', trees['acme/widget']!]]), cache };
    const github = await renderPages({ ...options, jobs: jobs(), workers: 0 });
    expect(github.pages[0]!.html).not.toContain('admonition');
    // The GitHub render is in the cache, but not for the MkDocs dialect: rendered again, in a worker.
    const mkdocs = await renderPages({ ...options, jobs: jobs(guides), workers: 1 });
    expect(mkdocs.stats).toEqual({ cached: 0, rendered: 1, workers: 1 });
    expect(mkdocs.pages[0]!.html).toContain('<div class="admonition info">');
    const again = await renderPages({ ...options, jobs: jobs(guides), workers: 0 });
    expect(again.stats.cached).toBe(1);
    expect(again.pages[0]!.html).toBe(mkdocs.pages[0]!.html);
  }, 60_000);
});

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

describe('the compiled program with render workers', () => {
  it('builds the same demo bundle with two workers, which load compiled code, as on the main thread', () => {
    const build = (workers: string) => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), `demo-workers-${workers}-`)), 'out');
      const run = runCli(['--snapshot', 'examples/snapshot', '--config', 'examples/sources.json', '--out', out, '--no-cache', '--workers', workers], { timeout: 240_000 });
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.code).toBe(0);
      return bundleFiles(out);
    };
    const expected = build('0');
    const actual = build('2');
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true);
  }, 480_000);
});
