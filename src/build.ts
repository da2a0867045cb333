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
import { composeSite, type OutputFile } from './compose/site.ts';
import { createTemplateEngine } from './compose/templates.ts';
import { publish } from './publish/write.ts';
import { manifestFile } from './publish/manifest.ts';
import { mapLimit } from './sources/shared.ts';
import { discoverRepositories } from './sources/discover.ts';
import { SourceError } from './sources/types.ts';

export interface BuildOptions {
  config: Config;
  source: ContentSource;
  outDir: string;
  /** Build only these repositories ("owner/name"); the release notes and guides are kept. */
  only?: string[];
  /** A repository that failed, or was served stale from the cache, fails the build before anything is written. */
  strict?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

/** The build cannot go on: a fatal source error (bad token, rate limit) or a --strict violation. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export type ProgressEvent =
  | { stage: 'discover'; repositories: number; added: string[] }
  | { stage: 'load'; repo: string; done: number; total: number; failed?: string; stale?: string }
  | { stage: 'render'; done: number; total: number }
  | { stage: 'publish'; files: number };

export interface BuildResult {
  pages: number;
  repositories: {
    loaded: number;
    /** Read from the source in this build. */
    fresh: number;
    /** Confirmed unchanged and reused from the cache. */
    cached: number;
    /** The source failed; the last good cached copy was used. */
    stale: { repo: string; reason: string }[];
    failed: { repo: string; message: string }[];
    /** Repositories that organisation discovery added to the listed ones. */
    discovered: string[];
  };
  /** The source's request counters (GitHub: requests by kind, bytes, rate limit), when it keeps any. */
  fetch?: unknown;
  warnings: Warning[];
  links: { rewritten: number; broken: number };
  seconds: number;
  outDir: string;
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
  const stale: { repo: string; reason: string }[] = [];

  // Organisations in sources.json become repositories before anything is loaded.
  const discovery = await discoverRepositories(config, source).catch((error: unknown) => {
    throw error instanceof SourceError ? new BuildError(`organisation discovery failed: ${error.message}`) : error;
  });
  if (config.organizations?.length) {
    options.onProgress?.({ stage: 'discover', repositories: discovery.repositories.length, added: discovery.added });
    // The CLI checks --only against the listed repositories; discovered ones are only known now.
    const unknown = (only ?? []).filter((o) => !discovery.repositories.some((r) => r.repo.toLowerCase() === o));
    if (unknown.length > 0) throw new BuildError(`--only ${unknown.join(', ')}: neither listed in ${config.file} nor discovered in its organisations`);
  }

  // Sources: every repository, the guides and the release notes, a few at a time.
  const serviceConfigs = discovery.repositories.filter((r) => !only || only.includes(r.repo.toLowerCase()));
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
  const stop = (error: unknown): never => {
    throw error instanceof SourceError && error.fatal ? new BuildError(error.message) : error;
  };
  // Lets a source ask for every repository's head at once (GitHub GraphQL) instead of one by one.
  await source.prefetch?.(requests.map((r) => r.request)).catch(stop);
  const loaded = await mapLimit(requests, 4, async (item) => {
    try {
      const content = await source.loadRepository(item.request);
      if (content.freshness === 'stale') stale.push({ repo: item.request.repo, reason: content.staleReason ?? 'the source failed' });
      options.onProgress?.({ stage: 'load', repo: item.request.repo, done: ++done, total: requests.length, ...(content.freshness === 'stale' ? { stale: content.staleReason ?? '' } : {}) });
      return { ...item, content };
    } catch (error) {
      // A rejected token or an exhausted rate limit would fail every other repository the same way.
      if (error instanceof SourceError && error.fatal) stop(error);
      const message = (error as Error).message;
      failed.push({ repo: item.request.repo, message });
      options.onProgress?.({ stage: 'load', repo: item.request.repo, done: ++done, total: requests.length, failed: message });
      return { ...item, content: undefined };
    }
  });
  if (options.strict && (failed.length > 0 || stale.length > 0)) {
    const lines = [...failed.map((f) => `  - ${f.repo} failed: ${f.message}`), ...stale.map((f) => `  - ${f.repo} is stale (cached copy): ${f.reason}`)];
    throw new BuildError(`--strict: ${failed.length} failed and ${stale.length} stale repositories; nothing was written\n${lines.join('\n')}`);
  }
  const services = loaded.filter((l) => l.role === 'service' && l.content).map((l) => ({ config: l.config!, content: l.content! }));
  const catalog = buildCatalog({
    config: { ...config, repositories: discovery.repositories },
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

  // Compose and publish.
  const files = composeSite({ config, catalog, rendered, engine: createTemplateEngine() });
  files.push(...assets.values(), manifestFile(catalog, rendered));
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
    repositories: {
      loaded: loaded.filter((l) => l.content).length,
      fresh: loaded.filter((l) => l.content && (l.content.freshness ?? 'fresh') === 'fresh').length,
      cached: loaded.filter((l) => l.content?.freshness === 'cached').length,
      stale,
      failed,
      discovered: discovery.added,
    },
    ...(source.stats !== undefined ? { fetch: source.stats } : {}),
    warnings,
    links: { rewritten, broken },
    seconds: (performance.now() - started) / 1000,
    outDir: options.outDir,
  };
}
