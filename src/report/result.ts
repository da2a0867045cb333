/** What a build returns to its caller (the CLI, tests, the bench). */
import type { Warning } from '../core/warning.ts';
import type { LoadedSources } from '../sources/load.ts';
import type { BuildReport } from './report.ts';

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

export function repositoriesResult(sources: LoadedSources): BuildResult['repositories'] {
  const loaded = sources.loads.filter((l) => l.content);
  return {
    loaded: loaded.length,
    fresh: loaded.filter((l) => (l.content!.freshness ?? 'fresh') === 'fresh').length,
    cached: loaded.filter((l) => l.content!.freshness === 'cached').length,
    stale: sources.stale,
    failed: sources.failed,
    discovered: sources.discovered,
  };
}
