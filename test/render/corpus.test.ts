/** Real pages of the shared corpus, rendered with the real catalog; skipped when the corpus is not there. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { buildCatalog, type Catalog, type CatalogPage } from '../../src/catalog/catalog.ts';
import type { Config } from '../../src/config/types.ts';
import { DEFAULT_INCLUDE } from '../../src/config/types.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { RenderedPage } from '../../src/render/types.ts';
import { unsafeParts } from './unsafe.ts';

const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpus');
const snapshot = path.join(corpus, 'github');
const present = existsSync(path.join(snapshot, 'uc-cdis', 'fence'));
if (!present) console.log(`corpus tests skipped: no corpus at ${snapshot} (set CORPUS_DIR)`);

describe.skipIf(!present)('corpus pages', () => {
  let catalog: Catalog;
  const rendered = new Map<string, RenderedPage>();
  const page = (repo: string, file: string): CatalogPage => {
    const p = catalog.pageForFile(repo, file);
    if (!p) throw new Error(`not in the catalog: ${repo}/${file}`);
    return p;
  };
  const render = async (repo: string, file: string): Promise<RenderedPage> => {
    const key = `${repo}/${file}`;
    if (!rendered.has(key)) {
      const p = page(repo, file);
      rendered.set(
        key,
        await renderMarkdown(p.doc, {
          repo: p.doc.repo,
          path: p.doc.path,
          commitSha: p.doc.commitSha,
          pageUrl: p.url,
          pageUrlForFile: (r, f) => catalog.pageForFile(r, f)?.url,
          treeOf: (r) => catalog.treeOf(r),
          publishAsset: async (_r, f) => `assets/files/test-${path.posix.basename(f)}`,
        }),
      );
    }
    return rendered.get(key)!;
  };

  beforeAll(async () => {
    const source = createSnapshotSource(snapshot);
    const config: Config = {
      site: { title: 'Test' },
      repositories: [
        { repo: 'uc-cdis/fence', section: 'Core' },
        { repo: 'uc-cdis/guppy', section: 'Core', include: ['README.md', 'doc/**/*.md'] },
        { repo: 'uc-cdis/indexd', section: 'Core' },
      ],
      releaseNotes: { repo: 'uc-cdis/cdis-manifest', path: 'releases' },
    } as Config;
    const services = await Promise.all(
      config.repositories.map(async (c) => ({ config: c, content: await source.loadRepository({ repo: c.repo, include: c.include ?? DEFAULT_INCLUDE, exclude: [], tags: false }) })),
    );
    const releaseNotes = await source.loadRepository({ repo: 'uc-cdis/cdis-manifest', include: ['releases/**/*.md'], exclude: [], tags: false });
    catalog = buildCatalog({ config, services, releaseNotes });
  });

  it('numbers duplicate headings of a release note as GitHub does', async () => {
    const r = await render('uc-cdis/cdis-manifest', 'releases/2024/08/gen3-release-notes.md');
    expect(r.ids).toContain('new-features-2');
    expect(r.html).toContain('href="#new-features-2"');
    expect(r.html.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it('links a fence doc to the bundle page of another fence doc, fragment kept', async () => {
    const r = await render('uc-cdis/fence', 'docs/additional_documentation/token_management.md');
    expect(r.html).toContain('href="../terminology/index.html#oidc"');
    expect(r.crossLinks.some((c) => c.targetUrl === 'services/fence/docs/additional_documentation/terminology/' && c.fragment === 'oidc')).toBe(true);
  });

  it('prefixes <a name> anchors, points their links at the prefixed name, and lets the table of contents of a long doc work', async () => {
    const r = await render('uc-cdis/guppy', 'doc/queries.md');
    expect(r.ids).toContain('user-content-query');
    expect(r.ids).not.toContain('query');
    expect(r.html).toContain('<a href="#user-content-query">Queries</a>');
    const anchors = [...r.html.matchAll(/href="#([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
    expect(anchors.length).toBeGreaterThan(10);
    for (const a of anchors) expect(r.ids).toContain(a);
  });

  it('publishes README images and keeps the pages safe', async () => {
    const r = await render('uc-cdis/indexd', 'README.md');
    expect(r.html).toMatch(/<img src="\.\.\/\.\.\/assets\/files\/test-[^"]+\.(png|svg)"/);
    expect(r.title).not.toBe('');
    for (const p of rendered.values()) expect(unsafeParts(p.html)).toEqual([]);
  });
});
