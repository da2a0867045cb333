/**
 * The pipeline, one way: config -> sources -> catalog -> normalize -> compose -> publish.
 */
import path from 'node:path';
import type { Config, RepositoryConfig } from './config/types.ts';
import { DEFAULT_INCLUDE } from './config/types.ts';
import type { ContentSource, RepoContent, RepositoryRequest } from './sources/types.ts';
import { buildCatalog, type CatalogPage } from './catalog/catalog.ts';
import type { RenderedPage, Warning } from './normalize/types.ts';
import { renderMarkdown } from './normalize/render.ts';
import { resolveCrossLinks } from './normalize/cross-links.ts';
import { composeSite, type OutputFile } from './compose/site.ts';
import { createTemplateEngine } from './compose/templates.ts';
import { buildSearchIndex } from './compose/search.ts';
import { publish } from './publish/write.ts';
import { manifestFile } from './publish/manifest.ts';
import { mapLimit } from './sources/shared.ts';

export interface BuildOptions {
  config: Config;
  source: ContentSource;
  outDir: string;
  /** Build only these repositories ("owner/name"); the release notes and guides are kept. */
  only?: string[];
  /** Build the search index (default true). */
  search?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { stage: 'load'; repo: string; done: number; total: number; failed?: string }
  | { stage: 'render'; done: number; total: number }
  | { stage: 'publish'; files: number };

export interface BuildResult {
  pages: number;
  repositories: { loaded: number; failed: { repo: string; message: string }[] };
  warnings: Warning[];
  links: { rewritten: number; broken: number };
  seconds: number;
  outDir: string;
  search?: { pages: number; bytes: number };
}

function serviceRequest(entry: RepositoryConfig): RepositoryRequest {
  return { repo: entry.repo, ref: entry.ref, include: entry.include ?? DEFAULT_INCLUDE, exclude: entry.exclude ?? [], tags: true };
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { config, source } = options;
  const only = options.only?.map((r) => r.toLowerCase());
  const warnings: Warning[] = [];
  const failed: { repo: string; message: string }[] = [];

  // Sources: every repository, the guides and the release notes, a few at a time.
  const serviceConfigs = config.repositories.filter((r) => !only || only.includes(r.repo.toLowerCase()));
  const requests: { role: 'service' | 'guides' | 'releases'; config?: RepositoryConfig; request: RepositoryRequest }[] = [
    ...serviceConfigs.map((c) => ({ role: 'service' as const, config: c, request: serviceRequest(c) })),
  ];
  if (config.guides) {
    const g = config.guides;
    const include = [`${g.path.replace(/\/+$/, '')}/**/*.md`, ...(g.nav ? [g.nav] : [])];
    requests.push({ role: 'guides', request: { repo: g.repo, ref: g.ref, include, exclude: [], tags: false } });
  }
  if (config.releaseNotes) {
    const r = config.releaseNotes;
    const base = r.path.replace(/\/+$/, '');
    requests.push({ role: 'releases', request: { repo: r.repo, ref: r.ref, include: [`${base}/**/*.md`, `${base}/**/manifest.json`], exclude: [], tags: false } });
  }
  let done = 0;
  const loaded = await mapLimit(requests, 4, async (item) => {
    try {
      const content = await source.loadRepository(item.request);
      options.onProgress?.({ stage: 'load', repo: item.request.repo, done: ++done, total: requests.length });
      return { ...item, content };
    } catch (error) {
      const message = (error as Error).message;
      failed.push({ repo: item.request.repo, message });
      options.onProgress?.({ stage: 'load', repo: item.request.repo, done: ++done, total: requests.length, failed: message });
      return { ...item, content: undefined };
    }
  });
  for (const l of loaded) {
    for (const w of l.content?.warnings ?? []) warnings.push({ file: `${l.request.repo}/${w.path}`, message: w.message });
  }
  const services = loaded.filter((l) => l.role === 'service' && l.content).map((l) => ({ config: l.config!, content: l.content! }));
  const catalog = buildCatalog({
    config,
    services,
    guides: loaded.find((l) => l.role === 'guides')?.content,
    releaseNotes: loaded.find((l) => l.role === 'releases')?.content,
  });

  // Normalize: each page rendered on its own, links resolved against the catalog.
  const assets = new Map<string, OutputFile>();
  const publishAsset = async (repo: string, filePath: string): Promise<string | undefined> => {
    const content = catalog.repos.get(repo.toLowerCase());
    const entry = catalog.treeOf(repo)?.entries.get(filePath);
    if (!content || !entry || entry.type !== 'blob') return undefined;
    const name = `assets/files/${entry.sha.slice(0, 16)}-${path.posix.basename(filePath).replace(/[^A-Za-z0-9._-]/g, '_')}`;
    if (!assets.has(name)) {
      const bytes = await source.readBlob(content, filePath);
      if (!bytes) return undefined;
      assets.set(name, { path: name, content: bytes });
    }
    return name;
  };
  const rendered = new Map<CatalogPage, RenderedPage>();
  let renderedCount = 0;
  await mapLimit(catalog.pages, 8, async (page) => {
    const result = await renderMarkdown(page.doc, {
      repo: page.doc.repo,
      path: page.doc.path,
      commitSha: page.doc.commitSha,
      pageUrl: page.url,
      pageUrlForFile: (repo, filePath) => catalog.pageForFile(repo, filePath)?.url,
      treeOf: (repo) => catalog.treeOf(repo),
      publishAsset,
    });
    rendered.set(page, result);
    warnings.push(...result.warnings);
    options.onProgress?.({ stage: 'render', done: ++renderedCount, total: catalog.pages.length });
  });
  warnings.push(...resolveCrossLinks([...rendered].map(([page, r]) => ({ url: page.url, file: `${page.doc.repo}/${page.doc.path}`, page: r }))));

  // Compose and publish.
  const files = composeSite({ config, catalog, rendered, engine: createTemplateEngine(), warnings });
  const search = options.search === false ? undefined : await buildSearchIndex(files);
  files.push(...assets.values(), ...(search?.files ?? []), manifestFile(catalog, rendered));
  await publish(options.outDir, files);
  options.onProgress?.({ stage: 'publish', files: files.length });

  let rewritten = 0;
  let broken = 0;
  for (const r of rendered.values()) {
    rewritten += r.stats.linksRewritten;
    broken += r.stats.linksBroken;
  }
  return {
    pages: rendered.size,
    repositories: { loaded: loaded.filter((l) => l.content).length, failed },
    warnings,
    links: { rewritten, broken },
    seconds: (performance.now() - started) / 1000,
    outDir: options.outDir,
    search: search && { pages: search.pages, bytes: search.bytes },
  };
}
