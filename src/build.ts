/**
 * The pipeline, one way: config -> sources -> catalog -> render -> compose -> publish.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { Config, RepositoryConfig } from './config/types.ts';
import { DEFAULT_INCLUDE } from './config/types.ts';
import type { ContentSource, RepositoryRequest } from './sources/types.ts';
import { buildCatalog, type CatalogPage } from './catalog/catalog.ts';
import type { Warning } from './core/warning.ts';
import type { RenderContext, RenderedPage } from './render/types.ts';
import type { PageJob } from './render/render-pages.ts';
import { guidesDialect } from './render/dialect.ts';
import { type OutputFile, REPORT_FILE } from './core/bundle.ts';
import { openStaging, type PublishResult } from './publish/write.ts';
import { AssetStore, DEFAULT_MAX_ASSET_BYTES } from './publish/assets.ts';
import type { MarkdownExportStats } from './publish/markdown-export.ts';
import { StageTimer, makeReport, reportJson, sortWarnings, type BuildReport } from './report/report.ts';
import { codeVersion } from './core/code-version.ts';
import { inputFingerprint, listOutput, outputUnchanged, readBuildState, replaceFile, writeBuildState } from './publish/build-state.ts';
import { mapLimit } from './core/concurrency.ts';
import { discoverRepositories } from './sources/discover.ts';
import { loadOnce } from './sources/load-once.ts';
import { SourceError } from './sources/types.ts';
import { claimCacheFolder } from './cache/folder.ts';
import { damagedEntryWarning } from './cache/entry.ts';
import { outFolderProblem } from './publish/out-folder.ts';
import { eventLoopTurns } from './core/event-loop.ts';

export interface BuildOptions {
  config: Config;
  source: ContentSource;
  outDir: string;
  /** Build only these repositories ("owner/name"); the release notes and guides are kept. */
  only?: string[];
  /** Build the search index (default true). */
  search?: boolean;
  /** Warnings and failed repositories fail the build: nothing is published. */
  strict?: boolean;
  /** Skips out/md/ (the Markdown export). */
  markdown?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Folder of the caches kept between builds (rendered pages, parsed release notes, the search index, the last build's state); none when undefined. */
  cacheDir?: string;
  /** Render worker threads: undefined = automatic, 0 = render on the main thread. */
  workers?: number;
  /** Files shown as images that are larger than this many bytes stay on GitHub (default DEFAULT_MAX_ASSET_BYTES). */
  maxAssetBytes?: number;
  /** Wall clock for the report's generatedAt; the bundle itself never reads it. */
  now?: () => Date;
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
  | { stage: 'compose'; pages: number }
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
  search?: { pages: number; bytes: number };
  /** True when nothing had changed since the last build into this out/, which was left as it was. */
  unchanged?: boolean;
  /** Pages rendered by this build and pages reused from the cache. */
  render: { rendered: number; cached: number; workers: number };
  /** Whether out/ was replaced; false when --strict found warnings or no repository loaded. */
  published: boolean;
  /** Where build-report.json was written: inside out/ when published, else beside it. */
  reportPath: string;
  report: BuildReport;
}

/** Where the report goes when out/ is not replaced: beside it, so the previous bundle stays as it was. */
export function unpublishedReportPath(outDir: string): string {
  const abs = path.resolve(outDir);
  return path.join(path.dirname(abs), `${path.basename(abs)}-${REPORT_FILE}`);
}

function serviceRequest(entry: RepositoryConfig): RepositoryRequest {
  return { repo: entry.repo, ref: entry.ref, include: entry.include ?? DEFAULT_INCLUDE, exclude: entry.exclude ?? [], tags: true };
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const timer = new StageTimer();
  const { config, source } = options;
  const only = options.only?.map((r) => r.toLowerCase());
  const warnings: Warning[] = [];
  const failed: { repo: string; message: string }[] = [];
  const stale: { repo: string; reason: string }[] = [];
  const outProblem = outFolderProblem(options.outDir);
  if (outProblem) throw new BuildError(`output folder ${options.outDir}: ${outProblem}`);
  if (options.cacheDir) claimCacheFolder(options.cacheDir);
  // Cache entries that failed their hash check: reported with the other warnings.
  const cacheDamage: Warning[] = [];
  const onCacheDamage = (file: string, instead: string) => cacheDamage.push(damagedEntryWarning(file, instead));

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
  const load = loadOnce(source, requests.map((r) => r.request));
  const loaded = await mapLimit(requests, 8, async (item) => {
    try {
      const content = await load(item.request);
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
  for (const l of loaded) {
    for (const w of l.content?.warnings ?? []) warnings.push({ file: w.path ? `${l.request.repo}/${w.path}` : l.request.repo, message: w.message });
  }
  const githubReleases = config.releaseNotes?.githubReleases?.length
    ? await (await import('./compose/releases.ts')).loadGitHubReleases(config, source, warnings)
    : [];
  timer.lap('load');

  const repositoriesResult = () => ({
    loaded: loaded.filter((l) => l.content).length,
    fresh: loaded.filter((l) => l.content && (l.content.freshness ?? 'fresh') === 'fresh').length,
    cached: loaded.filter((l) => l.content?.freshness === 'cached').length,
    stale,
    failed,
    discovered: discovery.added,
  });

  // Nothing changed since the last build into this out/: say so instead of building the same files again.
  const fingerprint = options.cacheDir
    ? inputFingerprint({
        config: { ...config, file: undefined },
        repositories: discovery.repositories,
        options: { only, search: options.search !== false, markdown: options.markdown !== false, maxAssetBytes: options.maxAssetBytes ?? DEFAULT_MAX_ASSET_BYTES },
        loads: loaded.map((l) => ({
          role: l.role,
          repo: l.request.repo,
          failed: failed.find((f) => f.repo === l.request.repo)?.message,
          content: l.content && {
            meta: l.content.meta,
            ref: l.content.ref,
            commit: l.content.commitSha,
            tags: l.content.tags,
            // Fresh or confirmed unchanged is the same content; a stale copy adds a notice to its pages.
            stale: l.content.freshness === 'stale' ? (l.content.staleReason ?? true) : false,
            documents: l.content.documents.map((d) => [d.path, d.blobSha]),
            tree: l.content.tree.length,
          },
        })),
        githubReleases,
        warnings,
      })
    : undefined;
  if (fingerprint && options.cacheDir) {
    const state = await readBuildState<BuildReport>(options.cacheDir, options.outDir, onCacheDamage);
    const strictFails = options.strict && (state?.report.warnings.total || failed.length || stale.length);
    if (state && state.fingerprint === fingerprint && !strictFails && (await outputUnchanged(options.outDir, state, REPORT_FILE))) {
      const fresh = makeReport({
        published: true,
        strict: !!options.strict,
        source,
        pages: [],
        loads: loaded.map((l) => ({ role: l.role, repo: l.request.repo, content: l.content, message: failed.find((f) => f.repo === l.request.repo)?.message })),
        warnings: state.report.warnings.items,
        links: state.report.links,
        markdownExport: state.report.markdownExport,
        durations: timer.totals(),
        output: state.report.output && { ...state.report.output, unchanged: state.report.output.files },
        now: options.now?.() ?? new Date(),
      });
      const report: BuildReport = { ...fresh, pages: { ...state.report.pages, rendered: 0, cached: state.report.pages.total, workers: 0 } };
      await replaceFile(options.outDir, REPORT_FILE, reportJson(report));
      options.onProgress?.({ stage: 'publish', files: 1 });
      return {
        pages: report.pages.total,
        repositories: repositoriesResult(),
        ...(source.stats !== undefined ? { fetch: source.stats } : {}),
        warnings: report.warnings.items,
        links: report.links,
        seconds: report.durations.total,
        outDir: options.outDir,
        render: { rendered: 0, cached: report.pages.total, workers: 0 },
        unchanged: true,
        published: true,
        reportPath: path.join(options.outDir, REPORT_FILE),
        report,
        ...(state.search ? { search: state.search } : {}),
      };
    }
  }

  // The heavy stages are loaded only when there is work for them.
  const [{ renderPages }, { RenderCache }, { makeLinkIndex }, { resolveCrossLinks }, { composeSite }, { createTemplateEngine }, { indexPages }, { cachedSearchIndex, SearchKey }, { exportMarkdown }, { manifestFile }, { planReleases, relocateWarnings }, { cachedReleaseParser }] =
    await Promise.all([
      import('./render/render-pages.ts'),
      import('./render/render-cache.ts'),
      import('./render/link-index.ts'),
      import('./render/cross-links.ts'),
      import('./compose/site.ts'),
      import('./compose/templates.ts'),
      import('./compose/search.ts'),
      import('./compose/search-cache.ts'),
      import('./publish/markdown-export.ts'),
      import('./publish/manifest.ts'),
      import('./compose/releases.ts'),
      import('./releases/parse-cache.ts'),
    ]);
  const services = loaded.filter((l) => l.role === 'service' && l.content).map((l) => ({ config: l.config!, content: l.content! }));
  const catalog = buildCatalog({
    config: { ...config, repositories: discovery.repositories },
    services,
    guides: loaded.find((l) => l.role === 'guides')?.content,
    releaseNotes: loaded.find((l) => l.role === 'releases')?.content,
  });
  timer.lap('catalog');

  // Release notes: parsed into the model; the release pages, and the pages generated from all releases
  // (a service's changes by release, the breaking changes), become catalog pages of generated Markdown.
  const releasePlan = planReleases({ config, catalog, githubReleases, parse: cachedReleaseParser(options.cacheDir, codeVersion(), onCacheDamage) });
  if (releasePlan) warnings.push(...releasePlan.warnings);

  // The staging folder opens before rendering: images are checked and published into it as pages ask for them.
  const staging = await openStaging(options.outDir);
  const assets = new AssetStore({
    staging,
    markdown: options.markdown !== false,
    maxBytes: options.maxAssetBytes ?? DEFAULT_MAX_ASSET_BYTES,
    find: (repo, filePath) => {
      const content = catalog.repos.get(repo.toLowerCase());
      const entry = catalog.treeOf(repo)?.entries.get(filePath);
      return content && entry ? { content, entry } : undefined;
    },
    source,
    warn: (warning) => warnings.push(warning),
  });
  const publishAsset = (repo: string, filePath: string) => assets.publish(repo, filePath);

  // Normalize: each page rendered on its own, links resolved against the catalog.
  const contextOf = (job: PageJob): RenderContext => ({
    repo: job.doc.repo,
    path: job.doc.path,
    commitSha: job.doc.commitSha,
    pageUrl: job.pageUrl,
    dialect: job.dialect,
    pageUrlForFile: (repo, filePath) => catalog.pageForFile(repo, filePath)?.url,
    treeOf: (repo) => catalog.treeOf(repo),
    publishAsset,
  });
  const guideDialect = guidesDialect(config.guides, (repo) => catalog.repos.get(repo.toLowerCase())?.documents, warnings);
  const cache = options.cacheDir ? new RenderCache(options.cacheDir, undefined, onCacheDamage) : undefined;
  const renderedPages = await renderPages({
    jobs: catalog.pages.map((page) => ({ doc: page.doc, pageUrl: page.url, dialect: page.kind === 'guide' ? guideDialect : undefined })),
    context: contextOf,
    linkIndex: () =>
      makeLinkIndex(
        catalog.pages.map((p) => ({ repo: p.doc.repo, path: p.doc.path, url: p.url })),
        [...catalog.repos.values()].map((r) => [r.meta.fullName, catalog.treeOf(r.meta.fullName)!]),
      ),
    cache,
    workers: options.workers,
    markdown: options.markdown !== false,
    onRendered: (done, total) => options.onProgress?.({ stage: 'render', done, total }),
  }).catch(async (error: unknown) => {
    await staging.abort();
    throw error;
  });
  const rendered = new Map<CatalogPage, RenderedPage>();
  catalog.pages.forEach((page, i) => {
    const result = renderedPages.pages[i]!;
    rendered.set(page, result);
    warnings.push(...result.warnings);
  });
  warnings.push(...resolveCrossLinks([...rendered].map(([page, r]) => ({ url: page.url, file: `${page.doc.repo}/${page.doc.path}`, page: r }))));
  if (releasePlan) relocateWarnings(releasePlan, rendered, warnings);

  timer.lap('render');

  // Compose, search, export and publish. Files go into the staging folder as they are made, so that a big
  // site is never held in memory whole; the staging folder becomes out/ only if the build is to be published.
  let report: BuildReport;
  let reportPath: string;
  let search: Awaited<ReturnType<typeof cachedSearchIndex>> | undefined;
  let markdownStats: MarkdownExportStats | null = null;
  let rewritten = 0;
  let broken = 0;
  let reason: string | undefined;
  const sortedWarnings: Warning[] = [];
  try {
    const searchKey = new SearchKey(codeVersion());
    const htmlPages: string[] = [];
    // Only the composed pages are indexed for search; no other file (an asset above all) ever is.
    const sinkPage = (file: OutputFile) => {
      staging.writeSync(file);
      if (file.path.endsWith('.html')) {
        searchKey.add(file);
        htmlPages.push(file.path);
      }
    };
    const sink = (file: OutputFile) => staging.writeSync(file);
    // Writing thousands of files is synchronous too: the event loop gets a turn now and then (SIGINT/SIGTERM).
    const turn = eventLoopTurns();
    options.onProgress?.({ stage: 'compose', pages: rendered.size });
    await composeSite({ config, catalog, rendered, engine: createTemplateEngine(), warnings, releases: releasePlan, sink: sinkPage });
    sink(manifestFile(catalog, rendered));
    // Pages identical to the last build's have the same index: the cache keeps it (keyed by every page's bytes).
    if (options.search !== false) {
      search = await cachedSearchIndex(options.cacheDir, searchKey.digest(), () =>
        indexPages(htmlPages.map((p) => ({ path: p, content: () => readFileSync(path.join(staging.dir, p)) }))),
        onCacheDamage,
      );
      for (const file of search.files) {
        sink(file);
        await turn();
      }
    }
    timer.lap('compose');
    if (options.markdown !== false) {
      const exported = await exportMarkdown({ catalog, rendered, site: config.site });
      for (const file of exported.files) {
        sink(file);
        await turn();
      }
      markdownStats = exported.stats;
    }
    timer.lap('export');

    sortedWarnings.push(...sortWarnings([...warnings, ...cacheDamage]));
    const loadedCount = loaded.filter((l) => l.content).length;
    if (loadedCount === 0) reason = 'no repository could be loaded';
    else if (options.strict && (sortedWarnings.length || failed.length || stale.length)) {
      reason = `--strict: ${sortedWarnings.length} warnings, ${failed.length} failed repositories${stale.length ? `, ${stale.length} stale (cached copies)` : ''}`;
    }
    for (const r of rendered.values()) {
      rewritten += r.stats.linksRewritten;
      broken += r.stats.linksBroken;
    }
    const reportOf = (output: PublishResult | null): BuildReport =>
      makeReport({
        published: !reason,
        reason,
        strict: !!options.strict,
        source,
        pages: rendered.keys(),
        render: renderedPages.stats,
        loads: loaded.map((l) => ({ role: l.role, repo: l.request.repo, content: l.content, message: failed.find((f) => f.repo === l.request.repo)?.message })),
        warnings: sortedWarnings,
        links: { rewritten, broken },
        markdownExport: markdownStats,
        durations: timer.totals(),
        output,
        now: options.now?.() ?? new Date(),
      });

    if (reason) {
      await staging.abort();
      report = reportOf(null);
      reportPath = unpublishedReportPath(options.outDir);
      await writeFile(reportPath, reportJson(report));
    } else {
      // The report is the last file of the staging folder, so it can count and time the others.
      const written = staging.written;
      timer.lap('publish');
      report = reportOf({ files: written.files, bytes: written.bytes, unchanged: written.unchanged });
      staging.writeSync({ path: REPORT_FILE, content: reportJson(report) });
      await staging.commit();
      await rm(unpublishedReportPath(options.outDir), { force: true });
      reportPath = path.join(options.outDir, REPORT_FILE);
      // After damage in the cache, the next build checks every entry again rather than repeat this report.
      if (fingerprint && options.cacheDir && cacheDamage.length === 0) {
        const outDir = path.resolve(options.outDir);
        await writeBuildState(options.cacheDir, { outDir, fingerprint, files: await listOutput(outDir, REPORT_FILE), report, ...(search ? { search: { pages: search.pages, bytes: search.bytes } } : {}) });
      }
      options.onProgress?.({ stage: 'publish', files: written.files + 1 });
    }
  } catch (error) {
    await staging.abort();
    throw error;
  }

  return {
    pages: rendered.size,
    repositories: repositoriesResult(),
    ...(source.stats !== undefined ? { fetch: source.stats } : {}),
    warnings: sortedWarnings,
    links: { rewritten, broken },
    seconds: report.durations.total,
    outDir: options.outDir,
    render: renderedPages.stats,
    published: !reason,
    reportPath,
    report,
    search: search && { pages: search.pages, bytes: search.bytes },
  };
}
