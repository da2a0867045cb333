/**
 * The pipeline, one way, each stage one function: config (the caller) -> sources -> catalog -> releases ->
 * render -> publish (the producers of every output) -> report.
 */
import type { Config } from './config/types.ts';
import type { ContentSource } from './sources/types.ts';
import { BuildError, type OnProgress } from './core/build-events.ts';
import { codeVersion } from './core/code-version.ts';
import { eventLoopTurns } from './core/event-loop.ts';
import type { RuleId, Warning } from './core/warning.ts';
import { claimCacheFolder } from './cache/folder.ts';
import { damagedEntryWarning } from './cache/entry.ts';
import { completeSources, loadSources, loadGitHubReleases, contentOf } from './sources/load.ts';
import { outFolderProblem } from './publish/out-folder.ts';
import { DEFAULT_MAX_ASSET_BYTES } from './core/bundle.ts';
import { StageTimer } from './report/report.ts';
import { buildFingerprint, unchangedBuild } from './report/unchanged.ts';
import { composeMemo, readBuildState } from './publish/build-state.ts';
import type { BuildResult } from './report/result.ts';
import type { RenderMemory } from './render/render-cache.ts';
import type { Catalog, CatalogPage } from './catalog/catalog.ts';
import type { PageJob } from './render/render-pages.ts';
import type { RenderContext, RenderedPage } from './render/types.ts';
import type { PageComposer } from './compose/site.ts';

export { BuildError, type ProgressEvent } from './core/build-events.ts';
export type { BuildResult } from './report/result.ts';
export { unpublishedReportPath } from './report/finish.ts';

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
  /** With strict: warnings of these rules are reported but do not fail the build. */
  allowRules?: RuleId[];
  /** Skips out/md/ (the Markdown export). */
  markdown?: boolean;
  onProgress?: OnProgress;
  /** Folder of the caches kept between builds (sources, rendered pages, parsed release notes, the search index, the last build's state); none when undefined. */
  cacheDir?: string;
  /** Render worker threads: undefined = automatic, 0 = render on the main thread. */
  workers?: number;
  /** Files shown as images that are larger than this many bytes stay on GitHub (default DEFAULT_MAX_ASSET_BYTES). */
  maxAssetBytes?: number;
  /** Rendered pages kept in memory by a process that builds again and again (`npm run dev`); with cacheDir. */
  renderMemory?: RenderMemory;
  /** Chromium to draw mermaid diagrams with at build time; without, the reader's browser draws them. */
  diagramBrowser?: string;
  /** Wall clock for the report's generatedAt; the bundle itself never reads it. */
  now?: () => Date;
  /** Whether a build whose inputs and out/ are the last build's only writes a new report (default true). */
  reuseUnchanged?: boolean;
  /** Receives what the pages were made from, once they are composed (before the build publishes). */
  onSite?: (site: BuiltSite) => void;
}

/** What a build made its pages from: enough for `npm run dev` to render and compose one saved page again. */
export interface BuiltSite {
  catalog: Catalog;
  rendered: Map<CatalogPage, RenderedPage>;
  /** A page's render job and context; its images are only those this build published (another one rejects). */
  render: { job(page: CatalogPage): PageJob; context(job: PageJob): RenderContext };
  composePage: PageComposer;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const timer = new StageTimer();
  const { config, source, outDir, cacheDir, onProgress } = options;
  const [only, search, markdown, strict] = [options.only?.map((r) => r.toLowerCase()), options.search !== false, options.markdown !== false, !!options.strict];
  const maxAssetBytes = options.maxAssetBytes ?? DEFAULT_MAX_ASSET_BYTES;
  const now = () => options.now?.() ?? new Date();
  const outProblem = outFolderProblem(outDir);
  if (outProblem) throw new BuildError(`output folder ${outDir}: ${outProblem}`);
  if (cacheDir) claimCacheFolder(cacheDir);
  const cacheDamage: Warning[] = [];
  const onCacheDamage = (file: string, instead: string) => cacheDamage.push(damagedEntryWarning(file, instead));

  // A build that may find nothing changed lets the source leave trees and texts unread until they are needed.
  const reuseUnchanged = !!cacheDir && options.reuseUnchanged !== false;
  const loaded = await loadSources({ config, source, only, onProgress, defer: reuseUnchanged });
  const releaseWarnings: Warning[] = [];
  const githubReleases = await loadGitHubReleases(config, source, releaseWarnings);
  timer.lap('load');

  const inputs = { options: { only, search, markdown, maxAssetBytes, diagrams: options.diagramBrowser ? 'build' : 'page' }, githubReleases };
  if (cacheDir && reuseUnchanged) {
    const warnings = [...loaded.warnings, ...releaseWarnings];
    const fingerprint = buildFingerprint({ config, sources: loaded, inputs, warnings });
    const unchanged = await unchangedBuild({ config, source, sources: loaded, inputs, warnings, cacheDir, outDir, strict, allowRules: options.allowRules, timer, now: now(), onCacheDamage, onProgress }, fingerprint);
    if (unchanged) return unchanged;
  }
  const sources = await completeSources(loaded);
  const warnings = [...sources.warnings, ...releaseWarnings];
  const fingerprint = cacheDir ? buildFingerprint({ config, sources, inputs, warnings }) : undefined;
  timer.lap('load');

  // The heavy stages are loaded only when there is work for them.
  const [{ buildCatalog }, { planApis }, { planReleases }, { cachedReleaseParser }, { renderCatalog, renderSetup }, { openStaging }, { catalogAssets }, { runProducers }, { finishBuild }, diagrams] = await Promise.all([
    import('./catalog/catalog.ts'),
    import('./api/plan.ts'),
    import('./releases/plan.ts'),
    import('./releases/parse-cache.ts'),
    import('./render/render-catalog.ts'),
    import('./publish/write.ts'),
    import('./publish/assets.ts'),
    import('./publish/producers.ts'),
    import('./report/finish.ts'),
    options.diagramBrowser ? import('./publish/diagram-render.ts') : undefined,
  ]);
  const catalog = buildCatalog({
    config: { ...config, repositories: sources.repositories },
    services: contentOf(sources, 'service').map((l) => ({ config: l.config!, content: l.content! })),
    guides: contentOf(sources, 'guides')[0]?.content,
    releaseNotes: contentOf(sources, 'releases')[0]?.content,
    warnings,
  });
  timer.lap('catalog');

  const apis = await planApis(catalog, { cacheDir, version: codeVersion(), onCacheDamage });
  warnings.push(...apis.warnings);
  timer.lap('api');

  const releases = planReleases({ config, catalog, githubReleases, apis, parse: cachedReleaseParser(cacheDir, codeVersion(), onCacheDamage) });
  if (releases) warnings.push(...releases.warnings);

  // Chromium, when diagrams will be drawn, starts on another core while the pages render.
  const diagramBrowser = options.diagramBrowser ? diagrams!.startDiagramBrowser(options.diagramBrowser, catalog, cacheDir) : undefined;
  // The staging folder opens before rendering: images are checked and published into it as pages ask for them.
  const staging = await openStaging(outDir).catch(async (error: unknown) => {
    await diagramBrowser?.close();
    throw error;
  });
  try {
    const assets = catalogAssets(catalog, staging, source, { markdown, maxBytes: maxAssetBytes, warn: (w) => warnings.push(w), cacheDir });
    const publishAsset = (repo: string, filePath: string) => assets.publish(repo, filePath);
    const expectAsset = (repo: string, filePath: string) => assets.expect(repo, filePath);
    const { rendered, stats } = await renderCatalog({ config, catalog, releases, publishAsset, expectAsset, cacheDir, onCacheDamage, workers: options.workers, markdown, warnings, onProgress, memory: options.renderMemory });
    timer.lap('render');

    onProgress?.({ stage: 'compose', pages: rendered.size });
    const published = (repo: string, filePath: string) => assets.published(repo, filePath) ?? Promise.reject(new Error(`${repo}/${filePath} was not published`));
    const onPageComposer = options.onSite && ((composePage: PageComposer) => options.onSite!({ catalog, rendered, composePage, render: renderSetup(config, catalog, published, []) }));
    // Pages composed as the last build into this out/ composed them are taken from out/ (compose/memo.ts).
    const memo = cacheDir ? composeMemo(outDir, await readBuildState(cacheDir, outDir)) : undefined;
    const context = { config, catalog, rendered, releases, apis, warnings, search, markdown, cacheDir, onCacheDamage, staging, pagesRendered: stats.rendered, turn: eventLoopTurns(), onPageComposer, memo, diagramBrowser };
    const produced = await runProducers(context, (stage) => timer.lap(stage));
    return await finishBuild({ source, sources, rendered, renderStats: stats, produced, warnings, cacheDamage, staging, outDir, strict, allowRules: options.allowRules, cacheDir, fingerprint, timer, now: now(), onProgress });
  } catch (error) {
    await staging.abort();
    throw error;
  } finally {
    await diagramBrowser?.close();
  }
}
