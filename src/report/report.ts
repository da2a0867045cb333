/**
 * out/build-report.json: what one build did. Unlike every other file of the bundle it holds the wall-clock
 * time and durations, so it is the one file that differs between two builds of the same inputs.
 * docs/schemas/build-report.schema.json describes it.
 */
import type { CatalogPage, PageKind } from '../catalog/catalog.ts';
import type { Warning } from '../core/warning.ts';
import type { SourceStats } from '../sources/types.ts';
import type { LoadedRepository } from '../sources/load.ts';
import type { MarkdownExportStats } from '../publish/markdown-export.ts';
import { BUNDLE_VERSION } from '../core/bundle.ts';


export const STAGES = ['load', 'catalog', 'api', 'render', 'compose', 'export', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

export type RepositoryStatus = 'fresh' | 'cached' | 'stale' | 'failed';

export interface RepositoryReport {
  repo: string;
  /** What the repository was loaded for: its service pages, the guides or the release notes. */
  role: 'service' | 'guides' | 'releases';
  status: RepositoryStatus;
  commit?: string;
  message?: string;
}

export interface BuildReport {
  reportVersion: 1;
  bundleVersion: string;
  generatedAt: string;
  /** Whether out/ was replaced by this build. */
  published: boolean;
  /** Why it was not, when it was not. */
  reason?: string;
  strict: boolean;
  source: 'github' | 'snapshot' | 'local';
  pages: { total: number; byKind: Record<PageKind, number>; rendered?: number; cached?: number; workers?: number };
  repositories: { total: number; fresh: number; cached: number; stale: number; failed: number; items: RepositoryReport[] };
  warnings: { total: number; items: Warning[] };
  links: { rewritten: number; broken: number };
  markdownExport: MarkdownExportStats | null;
  github: { requests: number; byStatus: Record<string, number>; rateLimit: { limit?: number; remaining: number; reset?: string } | null } | null;
  /** Seconds per stage, and in all. */
  durations: Record<Stage | 'total', number>;
  output: { files: number; bytes: number; unchanged?: number } | null;
}

export function compareWarnings(a: Warning, b: Warning): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if ((a.line ?? 0) !== (b.line ?? 0)) return (a.line ?? 0) - (b.line ?? 0);
  if ((a.column ?? 0) !== (b.column ?? 0)) return (a.column ?? 0) - (b.column ?? 0);
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export function sortWarnings(warnings: Warning[]): Warning[] {
  return [...warnings].sort(compareWarnings);
}

export function githubStats(stats: SourceStats | undefined): BuildReport['github'] {
  if (!stats) return null;
  const byStatus = Object.fromEntries(Object.entries(stats.byStatus).sort(([a], [b]) => (a < b ? -1 : 1)));
  // The core REST limit is the one a build runs out of; GraphQL has its own.
  const state = stats.rateLimit?.core ?? Object.values(stats.rateLimit ?? {})[0];
  const reset = typeof state?.reset === 'number' ? new Date(state.reset * 1000).toISOString() : state?.reset;
  const rateLimit = state ? { ...(state.limit !== undefined ? { limit: state.limit } : {}), remaining: state.remaining, ...(reset ? { reset } : {}) } : null;
  return { requests: stats.requests, byStatus, rateLimit };
}

export function repositoryCounts(items: RepositoryReport[]): Omit<BuildReport['repositories'], 'items'> {
  const counts = { total: items.length, fresh: 0, cached: 0, stale: 0, failed: 0 };
  for (const item of items) counts[item.status]++;
  return counts;
}

/** Measures stages one after another: `lap('render')` closes the render stage. */
export class StageTimer {
  private last = performance.now();
  private readonly started = this.last;
  readonly durations = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;

  lap(stage: Stage): void {
    const now = performance.now();
    this.durations[stage] += (now - this.last) / 1000;
    this.last = now;
  }

  totals(): Record<Stage | 'total', number> {
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const out = Object.fromEntries(STAGES.map((s) => [s, round(this.durations[s])])) as Record<Stage | 'total', number>;
    out.total = round((performance.now() - this.started) / 1000);
    return out;
  }
}

export function reportJson(report: BuildReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface ReportInput {
  published: boolean;
  reason?: string;
  strict: boolean;
  source: { kind: BuildReport['source']; stats?: SourceStats };
  pages: Iterable<CatalogPage>;
  render?: { rendered: number; cached: number; workers: number };
  /** Every repository load, in any order; `content` is undefined for a failed one. */
  loads: LoadedRepository[];
  /** Sorted already. */
  warnings: Warning[];
  links: BuildReport['links'];
  markdownExport: MarkdownExportStats | null;
  durations: BuildReport['durations'];
  output: BuildReport['output'];
  now: Date;
}

export function makeReport(input: ReportInput): BuildReport {
  const byKind: Record<PageKind, number> = { readme: 0, doc: 0, guide: 0, release: 0, changes: 0, api: 0 };
  let total = 0;
  for (const page of input.pages) {
    byKind[page.kind]++;
    total++;
  }
  const items = input.loads
    .map((l): RepositoryReport => {
      const base = { repo: l.content?.meta.fullName ?? l.request.repo, role: l.role };
      if (!l.content) return { ...base, status: 'failed', message: l.failure ?? 'failed' };
      return { ...base, status: l.content.freshness ?? 'fresh', commit: l.content.commitSha };
    })
    .sort((a, b) => (a.repo !== b.repo ? (a.repo < b.repo ? -1 : 1) : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  return {
    reportVersion: 1,
    bundleVersion: BUNDLE_VERSION,
    generatedAt: input.now.toISOString(),
    published: input.published,
    ...(input.reason ? { reason: input.reason } : {}),
    strict: input.strict,
    source: input.source.kind,
    pages: { total, byKind, ...(input.render ?? {}) },
    repositories: { ...repositoryCounts(items), items },
    warnings: { total: input.warnings.length, items: input.warnings },
    links: input.links,
    markdownExport: input.markdownExport,
    github: githubStats(input.source.stats),
    durations: input.durations,
    output: input.output,
  };
}
