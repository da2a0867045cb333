import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { dependenciesHold, recordingContext, reuseIfValid, reuseRendered, type Dependency } from '../../src/render/dependencies.ts';
import type { RepoTree } from '../../src/catalog/catalog.ts';
import type { RenderContext } from '../../src/render/types.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

const DEMO = path.join(PROJECT_ROOT, 'examples/snapshot');
const DEMO_CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');

function tree(commitSha: string, paths: Record<string, 'blob' | 'tree'>): RepoTree {
  return { commitSha, defaultBranch: 'main', entries: new Map(Object.entries(paths).map(([p, type]) => [p, { path: p, type, mode: '', sha: '' }])) };
}

function context(pages: Record<string, string>, trees: Record<string, RepoTree>): RenderContext {
  return {
    repo: 'acme/svc',
    path: 'README.md',
    commitSha: 'c1',
    pageUrl: 'services/svc/',
    pageUrlForFile: (repo, p) => pages[`${repo}/${p}`],
    treeOf: (repo) => trees[repo],
    publishAsset: async (repo, p) => (trees[repo]?.entries.get(p) ? `assets/files/${p.replace(/\//g, '_')}` : undefined),
  };
}

async function hashes(dir: string, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    if ((await stat(full)).isDirectory()) for (const [k, v] of await hashes(full, `${prefix}${name}/`)) out.set(k, v);
    else if (name !== 'build-report.json') out.set(`${prefix}${name}`, createHash('sha256').update(await readFile(full)).digest('hex'));
  }
  return out;
}

describe('dependency recording', () => {
  it('records the answers about links to the guides\' old site, and notices when one changes', async () => {
    const oldSite = (to?: string) => (url: string) => (to && url === 'https://docs.widget.test/a/' ? { targetUrl: to } : undefined);
    const ctx = { ...context({}, {}), pageForOldSiteUrl: oldSite('guides/a/') };
    const deps: Dependency[] = [];
    const recording = recordingContext(ctx, deps);
    expect(recording.pageForOldSiteUrl!('https://docs.widget.test/a/')).toEqual({ targetUrl: 'guides/a/' });
    expect(recording.pageForOldSiteUrl!('https://docs.widget.test/b/')).toBeUndefined();
    expect(deps).toEqual([
      ['site', '', 'https://docs.widget.test/a/', 'guides/a/#'],
      ['site', '', 'https://docs.widget.test/b/', null],
    ]);
    expect(await dependenciesHold(deps, ctx)).toEqual(new Map());
    expect(await dependenciesHold(deps, { ...ctx, pageForOldSiteUrl: oldSite('guides/moved/') })).toBeUndefined();
    expect(await dependenciesHold(deps, { ...ctx, pageForOldSiteUrl: oldSite(undefined) })).toBeUndefined();
  });

  it('records the answers a render got and notices when one changes', async () => {
    const trees = { 'acme/svc': tree('c1', { 'docs/a.md': 'blob', 'logo.png': 'blob', docs: 'tree' }), 'acme/other': tree('o1', { 'x.md': 'blob' }) };
    const ctx = context({ 'acme/svc/docs/a.md': 'services/svc/docs/a/' }, trees);
    const deps: Dependency[] = [];
    const recording = recordingContext(ctx, deps);
    expect(recording.pageUrlForFile('acme/svc', 'docs/a.md')).toBe('services/svc/docs/a/');
    expect(recording.treeOf('acme/svc')!.entries.get('docs/missing.md')).toBeUndefined();
    expect(recording.treeOf('acme/other')!.commitSha).toBe('o1');
    expect(recording.treeOf('acme/svc')!.commitSha).toBe('c1');
    expect(await recording.publishAsset('acme/svc', 'logo.png')).toBe('assets/files/logo.png');
    expect(deps).toEqual([
      ['page', 'acme/svc', 'docs/a.md', 'services/svc/docs/a/'],
      ['entry', 'acme/svc', 'docs/missing.md', null],
      ['commit', 'acme/other', '', 'o1'],
      ['asset', 'acme/svc', 'logo.png', 'assets/files/logo.png'],
    ]);
    expect(await dependenciesHold(deps, ctx)).toEqual(new Map());
    // The page's own commit is not a dependency: a commit elsewhere in the repository keeps the render.
    expect(await dependenciesHold(deps, context({ 'acme/svc/docs/a.md': 'services/svc/docs/a/' }, { ...trees, 'acme/svc': tree('c2', { 'docs/a.md': 'blob', 'logo.png': 'blob' }) }))).toEqual(new Map());
    // The file that was missing appears: the broken link can now resolve.
    expect(await dependenciesHold(deps, context({ 'acme/svc/docs/a.md': 'services/svc/docs/a/' }, { ...trees, 'acme/svc': tree('c1', { 'docs/a.md': 'blob', 'docs/missing.md': 'blob', 'logo.png': 'blob' }) }))).toBeUndefined();
    // The linked page moved.
    expect(await dependenciesHold(deps, context({ 'acme/svc/docs/a.md': 'services/svc/docs/a-2/' }, trees))).toBeUndefined();
    // Another repository moved to a new commit: the render holds, its pinned URLs are to move from o1 to o2.
    expect(await dependenciesHold(deps, context({ 'acme/svc/docs/a.md': 'services/svc/docs/a/' }, { ...trees, 'acme/other': tree('o2', { 'x.md': 'blob' }) }))).toEqual(new Map([['o1', 'o2']]));
    // ...unless that repository is gone.
    expect(await dependenciesHold(deps, context({ 'acme/svc/docs/a.md': 'services/svc/docs/a/' }, { 'acme/svc': trees['acme/svc'] }))).toBeUndefined();
  });

  it('iterating a tree depends on the whole tree', () => {
    const deps: Dependency[] = [];
    const recording = recordingContext(context({}, { 'acme/svc': tree('c1', { a: 'blob' }) }), deps);
    expect([...recording.treeOf('acme/svc')!.entries.keys()]).toEqual(['a']);
    expect(deps).toEqual([['tree', 'acme/svc', '', 'c1']]);
  });

  it('a case-insensitive lookup depends on that key only', async () => {
    const deps: Dependency[] = [];
    const ctx = context({}, { 'acme/svc': tree('c1', { 'Docs/Setup.md': 'blob' }) });
    const recording = recordingContext(ctx, deps);
    expect(recording.treeOf('acme/svc')!.lower!.get('docs/setup.md')).toBe('Docs/Setup.md');
    expect(deps).toEqual([['lower', 'acme/svc', 'docs/setup.md', 'Docs/Setup.md']]);
    expect(await dependenciesHold(deps, context({}, { 'acme/svc': tree('c2', { 'Docs/Setup.md': 'blob', 'other.md': 'blob' }) }))).toEqual(new Map());
    expect(await dependenciesHold(deps, context({}, { 'acme/svc': tree('c2', { 'docs/setup.md': 'blob' }) }))).toBeUndefined();
  });

  it('moves pinned URLs of a reused render to the new commit', () => {
    const old = 'a'.repeat(40);
    const now = 'b'.repeat(40);
    const page = reuseRendered(
      { html: `<a href="https://github.com/x/y/blob/${old}/z.py">z</a>`, title: 't', description: '', toc: [], frontMatter: {}, ids: [], crossLinks: [], warnings: [], stats: { linksRewritten: 0, linksBroken: 0 }, sourceUrl: `https://github.com/x/y/blob/${old}/README.md`, commit: old, markdown: { body: `[z](https://github.com/x/y/blob/${old}/z.py)`, stats: { links: { toExport: 0, toGitHub: 1, broken: 0 }, images: { copied: 0, toGitHub: 0 }, html: { kept: 0, dropped: 0, asText: 0 } } } },
      now,
    );
    expect(page.html).toBe(`<a href="https://github.com/x/y/blob/${now}/z.py">z</a>`);
    expect(page.sourceUrl).toContain(now);
    expect(page.markdown!.body).toContain(now);
    expect(page.commit).toBe(now);
  });

  it('renders again a page whose own text names a commit that moved', async () => {
    const [old, now] = ['a'.repeat(40), 'b'.repeat(40)];
    const trees = (sha: string) => ({ 'acme/svc': tree('c1', { 'README.md': 'blob' }), 'acme/other': tree(sha, { 'x.md': 'blob' }) });
    const deps: Dependency[] = [];
    const page = { html: '<p>x</p>', title: 't', description: '', toc: [], frontMatter: {}, ids: [], crossLinks: [], warnings: [], stats: { linksRewritten: 0, linksBroken: 0 }, sourceUrl: '', commit: 'c1' };
    expect(recordingContext(context({}, trees(old)), deps).treeOf('acme/other')!.commitSha).toBe(old);
    // A link at another ref: the moved head is only compared against, the render stands.
    expect(await reuseIfValid({ page, deps }, { text: '[x](https://github.com/acme/other/blob/v1/x.md)', commitSha: 'c1' }, context({}, trees(now)))).toEqual(page);
    // A link at exactly the old head: it resolved because it named the head, which it no longer does.
    expect(await reuseIfValid({ page, deps }, { text: `[x](https://github.com/acme/other/blob/${old}/x.md)`, commitSha: 'c1' }, context({}, trees(now)))).toBeUndefined();
    expect(await reuseIfValid({ page, deps }, { text: `[x](https://github.com/acme/other/blob/${old}/x.md)`, commitSha: 'c1' }, context({}, trees(old)))).toEqual(page);
  });

  it('moves URLs pinned to other repositories in the same pass, never swapping a sha twice', () => {
    const [own, ownNow, other, otherNow] = ['1', '2', '3', '4'].map((c) => c.repeat(40)) as [string, string, string, string];
    // The other repository's new commit is the page's old one: a second pass would move it again.
    const html = `<a href="https://github.com/x/y/blob/${own}/a.py">a</a><a href="https://github.com/x/o/tree/${other}/d">d</a><a href="https://github.com/x/p/blob/${ownNow}/e">e</a>`;
    const page = reuseRendered(
      { html, title: 't', description: '', toc: [], frontMatter: {}, ids: [], crossLinks: [{ href: `https://github.com/x/o/blob/${other}/f.md`, targetUrl: "services/o/f/", fragment: "" }], warnings: [], stats: { linksRewritten: 0, linksBroken: 0 }, sourceUrl: `https://github.com/x/y/blob/${own}/README.md`, commit: own },
      ownNow,
      new Map([[other, otherNow], [ownNow, own]]),
    );
    expect(page.html).toBe(`<a href="https://github.com/x/y/blob/${ownNow}/a.py">a</a><a href="https://github.com/x/o/tree/${otherNow}/d">d</a><a href="https://github.com/x/p/blob/${own}/e">e</a>`);
    expect(page.crossLinks[0]!.href).toBe(`https://github.com/x/o/blob/${otherNow}/f.md`);
    expect(page.sourceUrl).toBe(`https://github.com/x/y/blob/${ownNow}/README.md`);
  });
});

describe('incremental builds of the demo snapshot', () => {
  it('reuses every page when nothing changed, and re-renders only what a changed file affects', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'incremental-'));
    const snapshot = path.join(root, 'snapshot');
    await cp(DEMO, snapshot, { recursive: true });
    const config = loadConfig(DEMO_CONFIG);
    const cacheDir = path.join(root, 'cache');
    const out = (name: string) => path.join(root, name);

    const cold = await build({ config, source: createSnapshotSource(snapshot), outDir: out('cold'), cacheDir, search: false });
    expect(cold.render.rendered).toBe(cold.pages);
    expect(cold.render.cached).toBe(0);

    const warm = await build({ config, source: createSnapshotSource(snapshot), outDir: out('warm'), cacheDir, search: false });
    expect(warm.render).toMatchObject({ rendered: 0, cached: cold.pages });
    expect(await hashes(out('warm'))).toEqual(await hashes(out('cold')));

    await editSnapshotFile(snapshot, 'gen3-demo/file-index', 'docs/operations.md', (text) => text.replace(/\n## /, '\nA sentence added by a push.\n\n## '));
    const changed = await build({ config, source: createSnapshotSource(snapshot), outDir: out('changed'), cacheDir, search: false });
    // Only the changed page: the README linking to it gets the same answers, the release pages link to the
    // services by branch, and the guide whose export compared a file-index tag with file-index's head commit
    // is reused (that head moved, but the guide's text does not name it).
    expect(changed.render.rendered).toBe(1);
    const fresh = await build({ config, source: createSnapshotSource(snapshot), outDir: out('fresh'), search: false });
    expect(await hashes(out('changed'))).toEqual(await hashes(out('fresh')));
    expect(await readFile(path.join(out('changed'), 'services/file-index/docs/operations/index.html'), 'utf8')).toContain('A sentence added by a push.');
    expect(fresh.render.rendered).toBe(fresh.pages);
  }, 120_000);
});
