/**
 * "Nothing changed": when every input of a build (configuration, options, each repository's commit and
 * documents, the warnings so far) matches the last build into the same out/, and out/ is as that build left it,
 * the build only writes a fresh report instead of making the same files again.
 */
import path from 'node:path';
import type { Config } from '../config/types.ts';
import { REPORT_FILE } from '../core/bundle.ts';
import type { OnProgress } from '../core/build-events.ts';
import type { RuleId, Warning } from '../core/warning.ts';
import { strictVerdict } from './strict.ts';
import type { CacheDamage } from '../cache/entry.ts';
import type { LoadedSources } from '../sources/load.ts';
import type { ContentSource } from '../sources/types.ts';
import { inputFingerprint, outputUnchanged, readBuildState, replaceFile } from '../publish/build-state.ts';
import { makeReport, reportJson, type BuildReport, type StageTimer } from './report.ts';
import { repositoriesResult, type BuildResult } from './result.ts';

export interface UnchangedInput {
  config: Config;
  source: ContentSource;
  sources: LoadedSources;
  /** Everything else the bundle depends on (options, GitHub releases), as plain data. */
  inputs: Record<string, unknown>;
  warnings: Warning[];
  cacheDir: string;
  outDir: string;
  strict: boolean;
  allowRules?: readonly RuleId[];
  timer: StageTimer;
  now: Date;
  onCacheDamage: CacheDamage;
  onProgress?: OnProgress;
}

/** The fingerprint of a build's inputs, to keep with the build's state. */
export function buildFingerprint({ config, sources, inputs, warnings }: Pick<UnchangedInput, 'config' | 'sources' | 'inputs' | 'warnings'>): string {
  return inputFingerprint({
    config: { ...config, file: undefined },
    repositories: sources.repositories,
    ...inputs,
    loads: sources.loads.map((l) => ({
      role: l.role,
      repo: l.request.repo,
      failed: l.failure,
      content: l.content && {
        meta: l.content.meta,
        ref: l.content.ref,
        commit: l.content.commitSha,
        tags: l.content.tags,
        // Fresh or confirmed unchanged is the same content; a stale copy adds a notice to its pages.
        stale: l.content.freshness === 'stale' ? (l.content.staleReason ?? true) : false,
        documents: l.content.documents.map((d) => [d.path, d.blobSha]),
        tree: l.content.deferred?.treeSize ?? l.content.tree.length,
      },
    })),
    warnings,
  });
}

/** The result of a build that found nothing changed, or undefined when it has work to do. */
export async function unchangedBuild(input: UnchangedInput, fingerprint: string): Promise<BuildResult | undefined> {
  const { sources, cacheDir, outDir, source } = input;
  const state = await readBuildState<BuildReport>(cacheDir, outDir, input.onCacheDamage);
  const strictFails = input.strict && strictVerdict(sources, state?.report.warnings.items ?? [], input.allowRules ?? []);
  if (!state || state.fingerprint !== fingerprint || strictFails || !(await outputUnchanged(outDir, state, REPORT_FILE))) return undefined;
  const fresh = makeReport({
    published: true,
    strict: input.strict,
    source,
    pages: [],
    loads: sources.loads,
    warnings: state.report.warnings.items,
    links: state.report.links,
    markdownExport: state.report.markdownExport,
    durations: input.timer.totals(),
    output: state.report.output && { ...state.report.output, unchanged: state.report.output.files },
    now: input.now,
  });
  const report: BuildReport = { ...fresh, pages: { ...state.report.pages, rendered: 0, cached: state.report.pages.total, workers: 0 } };
  await replaceFile(outDir, REPORT_FILE, reportJson(report));
  input.onProgress?.({ stage: 'publish', files: 1 });
  return {
    pages: report.pages.total,
    repositories: repositoriesResult(sources),
    ...(source.stats !== undefined ? { fetch: source.stats } : {}),
    warnings: report.warnings.items,
    links: report.links,
    seconds: report.durations.total,
    outDir,
    render: { rendered: 0, cached: report.pages.total, workers: 0 },
    unchanged: true,
    published: true,
    reportPath: path.join(outDir, REPORT_FILE),
    report,
    ...(state.search ? { search: state.search } : {}),
  };
}
