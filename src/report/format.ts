/** How a build report is shown on the console: a short summary, and warnings as text or GitHub annotations. */
import type { Warning } from '../normalize/types.ts';
import type { BuildReport } from './report.ts';

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
 * on the file.
 */
export function githubAnnotations(report: BuildReport, localRepo?: string): string[] {
  const prefix = localRepo ? `${localRepo.toLowerCase()}/` : undefined;
  const lines: string[] = [];
  for (const w of report.warnings.items) {
    const file = prefix && w.file.toLowerCase().startsWith(prefix) ? w.file.slice(prefix.length) : w.file;
    lines.push(command('warning', { file, line: w.line }, w.message));
  }
  for (const r of report.repositories.items) {
    if (r.status === 'failed') lines.push(command('error', { title: `Repository ${r.repo} failed` }, r.message ?? 'failed'));
  }
  if (!report.published && report.reason) lines.push(command('error', { title: 'Docs not published' }, report.reason));
  return lines;
}

export function warningLine(w: Warning): string {
  return `warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`;
}

/** Text warnings, at most `limit` of them, the rest counted. */
export function textWarnings(report: BuildReport, limit: number, reportPath: string): string[] {
  const items = report.warnings.items;
  const lines = items.slice(0, limit).map(warningLine);
  if (items.length > limit) lines.push(`... and ${items.length - limit} more warnings in ${reportPath}`);
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
