/**
 * The last stage: the verdict (published, or why not), the report as the staging folder's last file, the
 * swap into out/ (or the staging folder dropped and the report written beside out/), and the state the next
 * build compares itself with.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogPage } from '../catalog/catalog.ts';
import { REPORT_FILE } from '../core/bundle.ts';
import type { OnProgress } from '../core/build-events.ts';
import type { RuleId, Warning } from '../core/warning.ts';
import { strictVerdict } from './strict.ts';
import type { RenderPagesStats } from '../render/render-pages.ts';
import type { RenderedPage } from '../render/types.ts';
import type { LoadedSources } from '../sources/load.ts';
import type { ContentSource } from '../sources/types.ts';
import { outputListing, writeBuildState } from '../publish/build-state.ts';
import type { ProducedStats } from '../publish/producers.ts';
import type { PublishResult, Staging } from '../publish/write.ts';
import { makeReport, reportJson, sortWarnings, type BuildReport, type StageTimer } from './report.ts';
import { repositoriesResult, type BuildResult } from './result.ts';

/** Where the report goes when out/ is not replaced: beside it, so the previous bundle stays as it was. */
export function unpublishedReportPath(outDir: string): string {
  const abs = path.resolve(outDir);
  return path.join(path.dirname(abs), `${path.basename(abs)}-${REPORT_FILE}`);
}

export interface FinishInput {
  source: ContentSource;
  sources: LoadedSources;
  rendered: Map<CatalogPage, RenderedPage>;
  renderStats: RenderPagesStats;
  produced: ProducedStats;
  /** Every warning of the build, in the order found; cache damage is reported with them. */
  warnings: Warning[];
  cacheDamage: Warning[];
  staging: Staging;
  outDir: string;
  strict: boolean;
  /** With strict: warnings of these rules are reported but do not stop publishing. */
  allowRules?: readonly RuleId[];
  cacheDir?: string;
  fingerprint?: string;
  timer: StageTimer;
  now: Date;
  onProgress?: OnProgress;
}

/** Why the bundle is not published, or undefined when it is. */
function verdict(sources: LoadedSources, warnings: Warning[], strict: boolean, allowRules: readonly RuleId[] = []): string | undefined {
  if (!sources.loads.some((l) => l.content)) return 'no repository could be loaded';
  return strict ? strictVerdict(sources, warnings, allowRules) : undefined;
}

export async function finishBuild(input: FinishInput): Promise<BuildResult> {
  const { sources, staging, outDir, timer } = input;
  const warnings = sortWarnings([...input.warnings, ...input.cacheDamage]);
  const reason = verdict(sources, warnings, input.strict, input.allowRules);
  const links = { rewritten: 0, broken: 0 };
  for (const r of input.rendered.values()) {
    links.rewritten += r.stats.linksRewritten;
    links.broken += r.stats.linksBroken;
  }
  const reportOf = (output: PublishResult | null): BuildReport =>
    makeReport({
      published: !reason,
      reason,
      strict: input.strict,
      source: input.source,
      pages: input.rendered.keys(),
      render: input.renderStats,
      loads: sources.loads,
      warnings,
      links,
      markdownExport: input.produced.markdownExport ?? null,
      durations: timer.totals(),
      output,
      now: input.now,
    });

  let report: BuildReport;
  let reportPath: string;
  if (reason) {
    await staging.abort();
    report = reportOf(null);
    reportPath = unpublishedReportPath(outDir);
    await writeFile(reportPath, reportJson(report));
  } else {
    // The report is the last file of the staging folder, so it can count and time the others.
    const written = staging.written;
    timer.lap('publish');
    report = reportOf({ files: written.files, bytes: written.bytes, unchanged: written.unchanged });
    staging.writeSync({ path: REPORT_FILE, content: reportJson(report) });
    await staging.commit();
    await rm(unpublishedReportPath(outDir), { force: true });
    reportPath = path.join(outDir, REPORT_FILE);
    // After damage in the cache, the next build checks every entry again rather than repeat this report.
    if (input.fingerprint && input.cacheDir && input.cacheDamage.length === 0) {
      const abs = path.resolve(outDir);
      const search = input.produced.search;
      const { files, folders } = outputListing(abs, REPORT_FILE);
      await writeBuildState(input.cacheDir, { outDir: abs, fingerprint: input.fingerprint, files, folders, report, ...(search ? { search } : {}), ...(input.produced.composed ? { composed: input.produced.composed } : {}) });
    }
    input.onProgress?.({ stage: 'publish', files: written.files + 1 });
  }
  return {
    pages: input.rendered.size,
    repositories: repositoriesResult(sources),
    ...(input.source.stats !== undefined ? { fetch: input.source.stats } : {}),
    warnings,
    links,
    seconds: report.durations.total,
    outDir,
    render: input.renderStats,
    published: !reason,
    reportPath,
    report,
    search: input.produced.search,
  };
}
