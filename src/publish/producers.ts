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
import type { ReleasePlan } from '../releases/plan.ts';
import type { RenderedPage } from '../render/types.ts';
import { composeSite } from '../compose/site.ts';
import { createTemplateEngine } from '../compose/templates.ts';
import { indexPages } from '../compose/search.ts';
import { cachedSearchIndex, SearchKey } from '../compose/search-cache.ts';
import { manifestFile } from './manifest.ts';
import { exportMarkdown, type MarkdownExportStats } from './markdown-export.ts';
import { atomFeed, releasesIndexFile } from './release-files.ts';
import { diagramScript, hasDiagram } from './diagram-script.ts';
import type { Staging } from './write.ts';

export interface ProduceContext {
  config: Config;
  catalog: Catalog;
  rendered: Map<CatalogPage, RenderedPage>;
  releases?: ReleasePlan;
  /** Problems found while producing (nav entries naming missing pages, a skipped sitemap). */
  warnings: Warning[];
  search: boolean;
  markdown: boolean;
  cacheDir?: string;
  onCacheDamage?: CacheDamage;
  staging: Staging;
  /** Gives the event loop a turn (SIGINT/SIGTERM) between files of a long run of synchronous writes. */
  turn: () => Promise<void>;
}

/** What producers tell the report. */
export interface ProducedStats {
  search?: { pages: number; bytes: number };
  markdownExport?: MarkdownExportStats;
}

export interface Producer {
  name: string;
  /** The report's duration that this producer's time counts towards. */
  stage: 'compose' | 'export';
  /** Sees every file that the producers before it wrote. */
  observe?(file: OutputFile): void;
  produce(context: ProduceContext, emit: (file: OutputFile) => void): Promise<ProducedStats | void>;
}

const sitePages = (): Producer => ({
  name: 'pages',
  stage: 'compose',
  async produce({ config, catalog, rendered, releases, warnings }, emit) {
    await composeSite({ config, catalog, rendered, engine: createTemplateEngine(), warnings, releases, sink: emit });
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

const manifest = (): Producer => ({
  name: 'manifest',
  stage: 'compose',
  async produce({ catalog, rendered }, emit) {
    emit(manifestFile(catalog, rendered));
  },
});

/** Only the composed pages are indexed; no other file (an asset above all) ever is. */
const searchIndex = (): Producer => {
  const key = new SearchKey(codeVersion());
  const pages: string[] = [];
  return {
    name: 'search index',
    stage: 'compose',
    observe(file) {
      if (!file.path.endsWith('.html')) return;
      key.add(file);
      pages.push(file.path);
    },
    async produce({ search, cacheDir, staging, onCacheDamage, turn }, emit) {
      if (!search) return;
      // Pages identical to the last build's have the same index: the cache keeps it (keyed by every page's bytes).
      const index = await cachedSearchIndex(cacheDir, key.digest(), () => indexPages(pages.map((p) => ({ path: p, content: () => readFileSync(path.join(staging.dir, p)) }))), onCacheDamage);
      for (const file of index.files) {
        emit(file);
        await turn();
      }
      return { search: { pages: index.pages, bytes: index.bytes } };
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

/** Every output of the bundle, in the order they are made. */
export const PRODUCERS: (() => Producer)[] = [sitePages, releaseFiles, manifest, diagrams, searchIndex, markdownExport];

/** Runs every producer into the staging folder; `lap` closes each producer's time on the report's clock. */
export async function runProducers(context: ProduceContext, lap: (stage: Producer['stage']) => void, producers = PRODUCERS.map((make) => make())): Promise<ProducedStats> {
  const stats: ProducedStats = {};
  for (const [i, producer] of producers.entries()) {
    const later = producers.slice(i + 1).filter((p) => p.observe);
    const emit = (file: OutputFile) => {
      context.staging.writeSync(file);
      for (const p of later) p.observe!(file);
    };
    Object.assign(stats, await producer.produce(context, emit));
    lap(producer.stage);
  }
  return stats;
}
