/**
 * The outputs of the bundle, each a producer registered in one list: a new output is its own module plus one
 * line here. Producers run in order and write into the staging folder as they go, so a big site is never
 * held in memory whole; later producers see the files earlier ones wrote (the search index reads the pages).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.ts';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import { RELEASES_FEED_FILE, type OutputFile } from '../core/bundle.ts';
import { codeVersion } from '../core/code-version.ts';
import type { Warning } from '../core/warning.ts';
import type { CacheDamage } from '../cache/entry.ts';
import type { ApiPlan } from '../api/plan.ts';
import type { ReleasePlan } from '../releases/plan.ts';
import type { RenderedPage } from '../render/types.ts';
import { composeSite, type PageComposer } from '../compose/site.ts';
import type { ComposeMemo } from '../compose/memo.ts';
import { createTemplateEngine } from '../compose/templates.ts';
import { SearchIndexer, indexPages, searchablePart } from '../compose/search.ts';
import { cachedSearchIndex, SearchKey } from '../compose/search-cache.ts';
import { apiSpecFiles } from './api-specs.ts';
import { manifestFile } from './manifest.ts';
import { exportMarkdown, type MarkdownExportStats } from './markdown-export.ts';
import { atomFeed, releasesIndexFile } from './release-files.ts';
import { redirectPages } from './redirects.ts';
import { blogFeed } from './blog-feed.ts';
import { diagramScript, hasDiagram } from './diagram-script.ts';
import { drawDiagrams } from './diagram-render.ts';
import type { DiagramBrowserLauncher } from './diagram-browser.ts';
import type { Staging } from './write.ts';

export interface ProduceContext {
  config: Config;
  catalog: Catalog;
  rendered: Map<CatalogPage, RenderedPage>;
  releases?: ReleasePlan;
  /** The API reference pages and their OpenAPI documents. */
  apis?: ApiPlan;
  /** Problems found while producing (nav entries naming missing pages, a skipped sitemap). */
  warnings: Warning[];
  search: boolean;
  markdown: boolean;
  cacheDir?: string;
  onCacheDamage?: CacheDamage;
  staging: Staging;
  /** Pages rendered by this build rather than taken from the cache: none means the site is likely unchanged. */
  pagesRendered?: number;
  /** Gives the event loop a turn (SIGINT/SIGTERM) between files of a long run of synchronous writes. */
  turn: () => Promise<void>;
  /** The Chromium to draw diagrams with at build time (diagram-render.ts); none leaves them to the reader's browser. */
  diagramBrowser?: DiagramBrowserLauncher;
  /** Receives the function that composes one page again (`npm run dev` updates a saved page with it). */
  onPageComposer?: (compose: PageComposer) => void;
  /** The last build's composed pages, taken again where unchanged. */
  memo?: ComposeMemo;
}

/** What producers tell the report. */
export interface ProducedStats {
  search?: { pages: number; bytes: number };
  markdownExport?: MarkdownExportStats;
  /** The key of each composed page, kept with the build's state for the next build. */
  composed?: Record<string, string>;
}

export interface Producer {
  name: string;
  /** The report's duration that this producer's time counts towards. */
  stage: 'compose' | 'export';
  /** Called before the first producer runs, to start work that proceeds while the others produce. */
  begin?(context: ProduceContext): void;
  /** Sees every file that the producers before it wrote. */
  observe?(file: OutputFile): void;
  /** Stops what `begin` started, when a producer failed. */
  abort?(): Promise<void>;
  produce(context: ProduceContext, emit: (file: OutputFile) => void): Promise<ProducedStats | void>;
}

/** Mermaid diagrams drawn into the rendered pages before they are composed; they then need no script. */
const drawnDiagrams = (): Producer => ({
  name: 'diagrams',
  stage: 'compose',
  async produce({ rendered, warnings, cacheDir, onCacheDamage, diagramBrowser }) {
    await drawDiagrams({ rendered, warnings, cacheDir, onCacheDamage, chromium: diagramBrowser?.chromium, open: diagramBrowser && (() => diagramBrowser.open()) });
  },
});

const sitePages = (): Producer => ({
  name: 'pages',
  stage: 'compose',
  async produce({ config, catalog, rendered, releases, apis, warnings, onPageComposer, memo }, emit) {
    await composeSite({ config, catalog, rendered, engine: createTemplateEngine(), warnings, releases, apis, sink: emit, onPageComposer, memo });
    return memo ? { composed: memo.keys } : undefined;
  },
});

const releaseFiles = (): Producer => ({
  name: 'release data',
  stage: 'compose',
  async produce({ config, rendered, releases }, emit) {
    if (!releases) return;
    emit(releasesIndexFile(releases));
    emit({ path: RELEASES_FEED_FILE, content: atomFeed(releases, rendered, config.site) });
  },
});

const apiSpecs = (): Producer => ({
  name: 'API documents',
  stage: 'compose',
  async produce({ apis, rendered }, emit) {
    for (const file of apiSpecFiles(apis, rendered)) emit(file);
  },
});

const manifest = (): Producer => ({
  name: 'manifest',
  stage: 'compose',
  async produce({ catalog, rendered }, emit) {
    emit(manifestFile(catalog, rendered));
  },
});

/**
 * Only the composed pages are indexed; no other file (an asset above all) ever is. When pages were rendered
 * (the site changed), Pagefind gets each page as it is written and indexes on another core while the rest is
 * composed; otherwise the pages are likely the last build's and the cached index is checked first.
 */
const searchIndex = (): Producer => {
  const key = new SearchKey(codeVersion());
  const pages: string[] = [];
  let staged = '';
  let early: SearchIndexer | undefined;
  const page = (p: string) => ({ path: p, content: () => searchablePart(readFileSync(path.join(staged, p), 'utf8')) });
  return {
    name: 'search index',
    stage: 'compose',
    begin({ search, cacheDir, staging, pagesRendered }) {
      staged = staging.dir;
      if (search && (!cacheDir || (pagesRendered ?? 1) > 0)) early = new SearchIndexer();
    },
    observe(file) {
      if (!file.path.endsWith('.html')) return;
      key.add(file);
      pages.push(file.path);
      early?.add(page(file.path));
    },
    async produce({ search, cacheDir, onCacheDamage, turn }, emit) {
      if (!search) return;
      // Pages identical to the last build's have the same index: the cache keeps it (keyed by every page's bytes).
      const make = early ? (dir: string) => early!.finish(dir) : (dir: string) => indexPages(pages.map(page), dir);
      const index = await cachedSearchIndex(cacheDir, key.digest(), make, onCacheDamage);
      if (index.cached) await early?.discard();
      early = undefined;
      try {
        for (const file of index.files()) {
          emit(file);
          await turn();
        }
      } finally {
        index.close();
      }
      return { search: { pages: index.pages, bytes: index.bytes } };
    },
    async abort() {
      await early?.discard();
    },
  };
};

/** The diagram library, when a page has a diagram to draw. */
const diagrams = (): Producer => {
  let needed = false;
  return {
    name: 'diagram script',
    stage: 'compose',
    observe(file) {
      if (!needed && file.path.endsWith('.html')) needed = hasDiagram(typeof file.content === 'string' ? file.content : file.content.toString('utf8'));
    },
    async produce(_context, emit) {
      if (needed) emit(diagramScript());
    },
  };
};

const markdownExport = (): Producer => ({
  name: 'Markdown export',
  stage: 'export',
  async produce({ markdown, catalog, rendered, config, turn }, emit) {
    if (!markdown) return;
    const exported = await exportMarkdown({ catalog, rendered, site: config.site });
    for (const file of exported.files) {
      emit(file);
      await turn();
    }
    return { markdownExport: exported.stats };
  },
});

const blogFeedFile = (): Producer => ({
  name: 'blog feed',
  stage: 'compose',
  async produce({ config, catalog, rendered }, emit) {
    if (catalog.blog?.posts.length) emit(blogFeed(catalog.blog, catalog, rendered, config.site));
  },
});

/** After the search index, which must not list them: a redirect page has no content of its own. */
const redirects = (): Producer => ({
  name: 'redirect pages',
  stage: 'compose',
  async produce({ config, catalog, rendered, turn }, emit) {
    for (const file of redirectPages(catalog, rendered, config.site)) {
      emit(file);
      await turn();
    }
  },
});

/** Every output of the bundle, in the order they are made. */
// The Markdown export comes before the search index: it is written while Pagefind, fed each page as it was
// composed, is still indexing on the other core, instead of after waiting for it.
export const PRODUCERS: (() => Producer)[] = [drawnDiagrams, sitePages, releaseFiles, blogFeedFile, apiSpecs, manifest, diagrams, markdownExport, searchIndex, redirects];

/** Runs every producer into the staging folder; `lap` closes each producer's time on the report's clock. */
export async function runProducers(context: ProduceContext, lap: (stage: Producer['stage']) => void, producers = PRODUCERS.map((make) => make())): Promise<ProducedStats> {
  const stats: ProducedStats = {};
  for (const producer of producers) producer.begin?.(context);
  try {
    for (const [i, producer] of producers.entries()) {
      const later = producers.slice(i + 1).filter((p) => p.observe);
      const emit = (file: OutputFile) => {
        context.staging.writeSync(file);
        for (const p of later) p.observe!(file);
      };
      Object.assign(stats, await producer.produce(context, emit));
      lap(producer.stage);
    }
  } catch (error) {
    await Promise.allSettled(producers.map((p) => p.abort?.()));
    throw error;
  }
  return stats;
}
