/** How a build report is shown on the console: a short summary, and warnings as text or GitHub annotations. */
import type { Warning } from '../core/warning.ts';
import type { BuildReport } from './report.ts';
import { categoryCounts, groupWarnings, isSelected, type WarningGroup } from './group.ts';

/** GitHub workflow commands: the message part. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub workflow commands: a property value (file=, title=), where ':' and ',' separate. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'warning' | 'error' | 'notice', properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${kind}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/**
 * One annotation per warning and failed repository. Warning files are "owner/name/path"; when the workflow
 * runs in that same repository (GITHUB_REPOSITORY), the prefix is dropped so GitHub can place the annotation
 * on the file. With --only (`only`), warnings of the other repositories are one notice that counts them.
 */
export function githubAnnotations(report: BuildReport, localRepo?: string, only?: string[]): string[] {
  const prefix = localRepo ? `${localRepo.toLowerCase()}/` : undefined;
  const lines: string[] = [];
  const groups = groupWarnings(report);
  for (const w of groups.filter((g) => isSelected(g, only)).flatMap((g) => g.items)) {
    const file = prefix && w.file.toLowerCase().startsWith(prefix) ? w.file.slice(prefix.length) : w.file;
    lines.push(command('warning', { file, line: w.line, col: w.column, title: w.ruleId }, w.message));
  }
  const hidden = groups.filter((g) => !isSelected(g, only));
  if (hidden.length) lines.push(command('notice', { title: 'Warnings outside --only' }, hiddenSummary(hidden, 'build-report.json')));
  for (const r of report.repositories.items) {
    if (r.status === 'failed') lines.push(command('error', { title: `Repository ${r.repo} failed` }, r.message ?? 'failed'));
  }
  if (!report.published && report.reason) lines.push(command('error', { title: 'Docs not published' }, report.reason));
  return lines;
}

/** "warning: owner/repo/docs/a.md:12:5: broken link ... [broken-link]", as linters print a message. */
export function warningLine(w: Warning): string {
  const place = w.line ? `:${w.line}${w.column ? `:${w.column}` : ''}` : '';
  return `warning: ${w.file}${place}: ${w.message} [${w.ruleId}]`;
}

export interface TextWarningOptions {
  /** Where build-report.json, which keeps every warning, was written. */
  reportPath: string;
  /** --only: these repositories' warnings are shown in full, the others' counted. */
  only?: string[];
  /** Without --only: at most this many warnings of one repository and category (default 10). */
  perGroup?: number;
}

/** The groups of each repository (and of the build itself, last), in order. */
function byRepository(groups: WarningGroup[]): WarningGroup[][] {
  const out: WarningGroup[][] = [];
  for (const g of groups) {
    const last = out.at(-1);
    if (last && last[0]!.repo === g.repo) last.push(g);
    else out.push([g]);
  }
  return out;
}

const count = (groups: WarningGroup[]) => groups.reduce((n, g) => n + g.items.length, 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function hiddenSummary(hidden: WarningGroup[], reportPath: string): string {
  const repos = byRepository(hidden).map((gs) => `${gs[0]!.repo} ${count(gs)} (${categoryCounts(gs)})`);
  return `${plural(count(hidden), 'warning')} of repositories outside --only, not shown: ${repos.join('; ')}; every warning is in ${reportPath}`;
}

/**
 * Text warnings grouped by repository and category, each repository under a line that counts them. With
 * --only, the named repositories and the build's own warnings are shown in full and the others only counted;
 * without it, each category of a repository shows its first `perGroup`, so that the many warnings of one
 * kind (the release notes' formatting) do not hide the few of another (a broken link).
 */
export function textWarnings(report: BuildReport, options: TextWarningOptions): string[] {
  const groups = groupWarnings(report);
  const limit = options.only?.length ? Infinity : (options.perGroup ?? 10);
  const lines: string[] = [];
  for (const repoGroups of byRepository(groups.filter((g) => isSelected(g, options.only)))) {
    const repo = repoGroups[0]!.repo;
    const n = count(repoGroups);
    lines.push(repo === undefined ? `the build: ${plural(n, 'warning')}` : `${repo}: ${plural(n, 'warning')} (${categoryCounts(repoGroups)})`);
    for (const g of repoGroups) {
      lines.push(...g.items.slice(0, limit).map(warningLine));
      if (g.items.length > limit) lines.push(`... and ${g.items.length - limit} more ${g.category} warnings of ${repo ?? 'the build'} in ${options.reportPath}`);
    }
  }
  const hidden = groups.filter((g) => !isSelected(g, options.only));
  if (hidden.length) lines.push(hiddenSummary(hidden, options.reportPath));
  for (const r of report.repositories.items) if (r.status === 'failed') lines.push(`error: ${r.repo}: ${r.message ?? 'failed'}`);
  return lines;
}

/** The closing block on stdout: pages, repositories, warnings, time, and where the report is. */
export function summary(report: BuildReport, outDir: string, reportPath: string): string {
  const r = report.repositories;
  const kinds = Object.entries(report.pages.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const repoParts = [`${r.fresh} fresh`, r.cached ? `${r.cached} cached` : '', r.stale ? `${r.stale} stale` : '', `${r.failed} failed`].filter(Boolean).join(', ');
  const d = report.durations;
  const head = report.published
    ? `Built ${report.pages.total} pages from ${r.total - r.failed} repositories into ${outDir}`
    : `Not published: ${report.reason ?? 'build failed'}; ${outDir} left as it was`;
  return [
    head,
    `  pages         ${report.pages.total}${kinds ? ` (${kinds})` : ''}${report.pages.cached ? `; ${report.pages.rendered ?? 0} rendered, ${report.pages.cached} from the cache` : ''}`,
    `  repositories  ${r.total} (${repoParts})`,
    `  warnings      ${report.warnings.total}, broken links ${report.links.broken}`,
    `  time          ${d.total.toFixed(1)} s (load ${d.load.toFixed(1)}, render ${d.render.toFixed(1)}, compose ${(d.compose + d.export).toFixed(1)}, publish ${d.publish.toFixed(1)})`,
    `  report        ${reportPath}`,
  ].join('\n');
}
