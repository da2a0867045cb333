/**
 * Warnings grouped by repository and by what they are about, for the console: a writer checking one
 * repository with --only wants its link warnings, not a hundred lines about how the release notes upstream
 * are formatted. The category is told from the warning's rule and where it comes from: the link rules, the
 * release-notes repository, anything else in a repository, and the build itself (site files, the
 * configuration, the cache).
 */
import { RULES, type Warning } from '../core/warning.ts';
import type { BuildReport } from './report.ts';

export const CATEGORIES = ['links', 'pages', 'release notes', 'build'] as const;
export type WarningCategory = (typeof CATEGORIES)[number];

export interface WarningGroup {
  /** "owner/name" as the report names it; undefined for warnings about the build as a whole. */
  repo?: string;
  category: WarningCategory;
  items: Warning[];
}


/** The repository a warning's file belongs to, by the longest "owner/name/" prefix. */
export function repositoryOf(warning: Warning, repos: string[]): string | undefined {
  const file = warning.file.toLowerCase();
  let best: string | undefined;
  for (const repo of repos) {
    const r = repo.toLowerCase();
    if ((file === r || file.startsWith(`${r}/`)) && (!best || r.length > best.length)) best = repo;
  }
  return best;
}

export function categoryOf(warning: Warning, repo: string | undefined, releaseRepos: Set<string>): WarningCategory {
  if (repo === undefined) return 'build';
  if (RULES[warning.ruleId]?.about === 'links') return 'links';
  if (releaseRepos.has(repo.toLowerCase())) return 'release notes';
  return 'pages';
}

/** Groups in a stable order: repositories by name, then the build's own; categories in CATEGORIES order. */
export function groupWarnings(report: BuildReport): WarningGroup[] {
  const repos = [...new Set(report.repositories.items.map((r) => r.repo))];
  const releaseRepos = new Set(report.repositories.items.filter((r) => r.role === 'releases').map((r) => r.repo.toLowerCase()));
  const groups = new Map<string, WarningGroup>();
  for (const w of report.warnings.items) {
    const repo = repositoryOf(w, repos);
    const category = categoryOf(w, repo, releaseRepos);
    const key = `${repo === undefined ? '\uffff' : repo.toLowerCase()}\0${CATEGORIES.indexOf(category)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ...(repo === undefined ? {} : { repo }), category, items: [] }));
    group.items.push(w);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** "links 2, release notes 7": the categories of some groups with their counts. */
export function categoryCounts(groups: WarningGroup[]): string {
  return groups.map((g) => `${g.category} ${g.items.length}`).join(', ');
}

/** Whether a group is to be shown in full: every group without --only, else the named ones and the build's. */
export function isSelected(group: WarningGroup, only: string[] | undefined): boolean {
  if (!only?.length || group.repo === undefined) return true;
  return only.some((o) => o.toLowerCase() === group.repo!.toLowerCase());
}
