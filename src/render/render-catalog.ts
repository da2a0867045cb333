/**
 * The render stage: every catalog page rendered on its own (on worker threads where they pay, from the cache
 * where unchanged), then the links between pages checked once every page's anchors are known.
 */
import type { Config } from '../config/types.ts';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import type { OnProgress } from '../core/build-events.ts';
import type { CacheDamage } from '../cache/entry.ts';
import type { Warning } from '../core/warning.ts';
import { relocateWarnings, type ReleasePlan } from '../releases/plan.ts';
import { resolveCrossLinks } from './cross-links.ts';
import { guidesDialect } from './dialect.ts';
import { makeLinkIndex } from './link-index.ts';
import { oldSiteLookup } from '../catalog/site-urls.ts';
import { RenderCache, type RenderMemory } from './render-cache.ts';
import { renderPages, type PageJob, type RenderPagesStats } from './render-pages.ts';
import type { RenderContext, RenderedPage } from './types.ts';

export interface RenderCatalogInput {
  config: Config;
  catalog: Catalog;
  releases?: ReleasePlan;
  /** Checks an image of a repository and publishes it into the bundle; its URL there, or undefined. */
  publishAsset(repo: string, filePath: string): Promise<string | undefined>;
  /** Told of the images the pages to render will likely publish, before the first one renders. */
  expectAsset?(repo: string, filePath: string): void;
  cacheDir?: string;
  onCacheDamage?: CacheDamage;
  workers?: number;
  /** Also make each page's Markdown for the export. */
  markdown: boolean;
  /** Receives the warnings of every page, in catalog order, then those of the links between pages. */
  warnings: Warning[];
  onProgress?: OnProgress;
  /** Rendered pages kept in memory between the builds of one process. */
  memory?: RenderMemory;
}

export interface RenderedCatalog {
  rendered: Map<CatalogPage, RenderedPage>;
  stats: RenderPagesStats;
}

/** How the pages of a catalog are rendered: each page's job (its document, URL and dialect) and its context. */
export function renderSetup(config: Config, catalog: Catalog, publishAsset: RenderContext['publishAsset'], warnings: Warning[]): { job(page: CatalogPage): PageJob; context(job: PageJob): RenderContext } {
  const guideDialect = guidesDialect(config.guides, (repo) => catalog.repos.get(repo.toLowerCase())?.documents, warnings);
  const pageForOldSiteUrl = oldSiteLookup(catalog.oldSite);
  return {
    job: (page) => ({ doc: page.doc, pageUrl: page.url, dialect: page.kind === 'guide' ? guideDialect : undefined }),
    context: (job) => ({
      repo: job.doc.repo,
      path: job.doc.path,
      commitSha: job.doc.commitSha,
      pageUrl: job.pageUrl,
      dialect: job.dialect,
      pageUrlForFile: (repo, filePath) => catalog.pageForFile(repo, filePath)?.url,
      pageForOldSiteUrl,
      treeOf: (repo) => catalog.treeOf(repo),
      publishAsset,
    }),
  };
}

export async function renderCatalog({ config, catalog, releases, publishAsset, expectAsset, cacheDir, onCacheDamage, workers, markdown, warnings, onProgress, memory }: RenderCatalogInput): Promise<RenderedCatalog> {
  const setup = renderSetup(config, catalog, publishAsset, warnings);
  const result = await renderPages({
    jobs: catalog.pages.map(setup.job),
    context: setup.context,
    linkIndex: () =>
      makeLinkIndex(
        catalog.pages.map((p) => ({ repo: p.doc.repo, path: p.doc.path, url: p.url })),
        [...catalog.repos.values()].map((r) => [r.meta.fullName, catalog.treeOf(r.meta.fullName)!]),
        catalog.oldSite,
      ),
    cache: cacheDir ? new RenderCache(cacheDir, undefined, onCacheDamage, memory) : undefined,
    workers,
    markdown,
    onRendered: (done, total) => onProgress?.({ stage: 'render', done, total }),
    expectAsset,
  });
  const rendered = new Map<CatalogPage, RenderedPage>();
  catalog.pages.forEach((page, i) => {
    const done = result.pages[i]!;
    rendered.set(page, done);
    warnings.push(...done.warnings);
  });
  warnings.push(...resolveCrossLinks([...rendered].map(([page, r]) => ({ url: page.url, file: `${page.doc.repo}/${page.doc.path}`, page: r }))));
  if (releases) relocateWarnings(releases, (page) => rendered.get(page)?.warnings, warnings);
  return { rendered, stats: result.stats };
}
