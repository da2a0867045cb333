/** The Markdown writers of release planning: generated text, with the origin of each line for warnings. */
import type { Table, TableCell, TableRow } from 'mdast';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import type { ServiceEntry } from '../catalog/catalog.ts';
import { github as forge } from '../forge/github.ts';
import type { SourceDocument } from '../sources/types.ts';
import { type ImageVersion, type Item, type Release } from './index.ts';
import { SourceText, parseMarkdown } from './markdown.ts';
/** GitHub releases keep their html_url as sourcePath; core releases a path in the notes repository. */
export function isGitHubRelease(release: Release): boolean {
  return /^https?:\/\//i.test(release.sourcePath);
}

/** Where a line of a generated document came from, to point warnings at the notes as written. */
export interface Origin {
  file: string;
  line: number;
}

export const BREAKING = 'Breaking Changes';
export const OTHER = 'Other';
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Markdown being generated, with the origin of each line. */
export class MarkdownOut {
  private parts: string[] = [];
  readonly lines: (Origin | undefined)[] = [undefined];

  /**
   * Appends a block after a blank line; its lines map to `origin` (line by line when `exact`, else all to its
   * first line). `item` appends to the list just written instead, keeping it tight like the notes' lists.
   */
  block(text: string, origin?: Origin, exact = false): void {
    this.append(text, origin, exact, true);
  }

  item(text: string, origin?: Origin): void {
    this.append(text, origin, false, !this.lastWasItem);
    this.lastWasItem = true;
  }

  private lastWasItem = false;

  private append(text: string, origin: Origin | undefined, exact: boolean, separate: boolean): void {
    this.lastWasItem = false;
    if (separate && this.parts.length) {
      this.parts.push('');
      this.lines.push(undefined);
    }
    text.split('\n').forEach((line, i) => {
      this.parts.push(line);
      this.lines.push(origin && { file: origin.file, line: origin.line + (exact ? i : 0) });
    });
  }

  get text(): string {
    return `${this.parts.join('\n')}\n`;
  }
}

/** 1-based line where `part` starts in `whole`, or 0. */
export function lineOf(whole: string, part: string): number {
  const at = part ? whole.replace(/\r\n?/g, '\n').indexOf(part) : -1;
  return at < 0 ? 0 : whole.replace(/\r\n?/g, '\n').slice(0, at).split('\n').length;
}

/** A list item of generated Markdown: continuation lines indented under the marker. */
export function listItem(markdown: string, prefix = ''): string {
  let text = markdown;
  if (prefix) {
    // A prefix in front of a block (code fence, table, HTML, heading...) would change what it is.
    text = /^(?:#|>|```|~~~|<|\||[-*+] |\d{1,9}[.)] |\s)/.test(markdown) || markdown === '' ? `${prefix}\n\n${markdown}` : `${prefix} ${markdown}`;
  }
  return `- ${text.split('\n').map((l, i) => (i === 0 || l === '' ? l : `  ${l}`)).join('\n')}`;
}

export function itemsOf(service: Release['services'][number]): Item[] {
  return service.categories.flatMap((c) => c.items);
}

export function categorisedItems(service: Release['services'][number]): { category: string; item: Item }[] {
  return service.categories.flatMap((c) => c.items.map((item) => ({ category: c.name, item })));
}

/** Headings of a Markdown text moved down so that the highest becomes `top` (known bugs under their section). */
export function demoteHeadings(markdown: string, top: number): string {
  const source = new SourceText(markdown);
  const edits = new Map<number, string>();
  const headings: { depth: number; start: number; end: number; atx: boolean }[] = [];
  const walk = (node: { type: string; depth?: number; position?: { start: { line: number }; end: { line: number } }; children?: unknown[] }) => {
    if (node.type === 'heading' && node.position) {
      const atx = /^[\s>]*#/.test(source.line(node.position.start.line));
      headings.push({ depth: node.depth!, start: node.position.start.line, end: node.position.end.line, atx });
    }
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(parseMarkdown(source) as unknown as Parameters<typeof walk>[0]);
  if (!headings.length) return source.text;
  const shift = top - Math.min(...headings.map((h) => h.depth));
  if (shift <= 0) return source.text;
  for (const h of headings) {
    const marks = '#'.repeat(Math.min(6, h.depth + shift));
    if (h.atx) {
      edits.set(h.start, source.line(h.start).replace(/^([\s>]*)#{1,6}/, `$1${marks}`));
    } else {
      // Setext: the text lines become one ATX heading, the underline goes.
      const text = source.lines.slice(h.start - 1, h.end - 1).map((l) => l.trim()).join(' ');
      edits.set(h.start, `${marks} ${text}`);
      for (let l = h.start + 1; l <= h.end; l++) edits.set(l, '');
    }
  }
  return source.lines.map((line, i) => edits.get(i + 1) ?? line).join('\n');
}

// Unaligned: padding every cell to its column's widest would let one long image name widen every row.
export const tableWriter = unified().use(remarkGfmLean, { tablePipeAlign: false }).use(remarkStringify);

/**
 * Tables already written, by their versions: serialising them is most of planning the release pages, and a
 * process that builds again and again (`npm run dev`) meets the same ones each time. Bounded, as a cache.
 */
const writtenTables = new Map<string, string>();
const MAX_TABLES = 1000;

/** The image versions as a GFM table whose cells are code spans: text, whatever characters the manifest holds. */
export function imageVersionsTable(versions: ImageVersion[]): string {
  const key = JSON.stringify(versions.map((v) => [v.service, v.image, v.version]));
  let table = writtenTables.get(key);
  if (table === undefined) {
    if (writtenTables.size >= MAX_TABLES) writtenTables.clear();
    table = writeImageVersionsTable(versions);
    writtenTables.set(key, table);
  }
  return table;
}

function writeImageVersionsTable(versions: ImageVersion[]): string {
  const cell = (value: string, code: boolean): TableCell => ({ type: 'tableCell', children: code && value ? [{ type: 'inlineCode', value }] : [{ type: 'text', value }] });
  const row = (values: string[], code: boolean): TableRow => ({ type: 'tableRow', children: values.map((v) => cell(v, code)) });
  const table: Table = { type: 'table', children: [row(['Service', 'Image', 'Version'], false), ...versions.map((v) => row([v.service, v.image, v.version], true))] };
  return tableWriter.stringify({ type: 'root', children: [table] }).trimEnd();
}

export interface ReleasePageContext {
  original: SourceDocument;
  knownBugs?: SourceDocument;
  notesRepo: string;
  serviceUrl(repo: string): string;
}

/**
 * The notes as the original file orders its headings (title, free sections, `## owner/repo`, `#### Category`),
 * so that the GitHub-style anchors people copied still land; new sections only at the end.
 */
export function writeReleasePage(out: MarkdownOut, release: Release, ctx: ReleasePageContext): void {
  const file = `${ctx.notesRepo}/${ctx.original.path}`;
  const text = ctx.original.text;
  const title = release.title || `Gen3 ${release.version}`;
  out.block(`# ${title}`, { file, line: Math.max(1, lineOf(text, release.title)) });
  for (const section of release.highlights) {
    if (section.title) out.block(`## ${section.title}`, { file, line: lineOf(text, section.title) || 1 });
    if (section.markdown) {
      const at = lineOf(text, section.markdown);
      out.block(section.markdown, at ? { file, line: at } : undefined, true);
    }
  }
  for (const service of release.services) {
    out.block(`## [${service.repo}](${ctx.serviceUrl(service.repo)})`);
    for (const category of service.categories) {
      if (category.heading.trim()) out.block(`#### ${category.heading}`);
      for (const item of category.items) out.item(listItem(item.markdown), { file, line: item.line });
    }
  }
  if (release.imageVersions.length) {
    out.block(`## Image versions\n\nThe \`versions\` of the release's \`manifest.json\`.\n\n${imageVersionsTable(release.imageVersions)}`);
  }
  if (release.knownBugs) {
    const bugsFile = ctx.knownBugs ? `${ctx.notesRepo}/${ctx.knownBugs.path}` : file;
    const at = ctx.knownBugs ? lineOf(ctx.knownBugs.text, release.knownBugs) : 0;
    out.block('## Known bugs');
    // A first line "# Known bugs for ..." only repeats the section heading.
    const lines = release.knownBugs.split('\n');
    let skip = 0;
    if (/^#{1,6}\s+known bugs?\b/i.test(lines[0]!)) for (skip = 1; skip < lines.length && lines[skip]!.trim() === ''; skip++);
    const bugs = lines.slice(skip).join('\n');
    if (bugs.trim()) out.block(demoteHeadings(bugs, 3), at ? { file: bugsFile, line: at + skip } : undefined, true);
  }
}

export type ReleaseLink = (release: Release, repo?: string) => string;

export function releaseLabel(release: Release): string {
  if (isGitHubRelease(release)) return release.title.includes(release.version) ? release.title : `${release.version} (${release.title})`;
  return release.codename ? `${release.version} (${release.codename})` : release.version;
}

export function monthName(release: Release): string {
  return release.month >= 1 && release.month <= 12 ? `${MONTHS[release.month - 1]} ${release.year}` : String(release.year || '');
}

export function sourceOf(release: Release, notesRepo: string): string {
  return isGitHubRelease(release) ? release.sourcePath : `${notesRepo}/${release.sourcePath}`;
}

export function writeServiceChanges(
  out: MarkdownOut,
  service: ServiceEntry,
  history: { release: Release; items: { category: string; item: Item }[] }[],
  link: ReleaseLink,
  notesRepo: string,
): void {
  const core = history.filter((h) => !isGitHubRelease(h.release)).length;
  const gh = history.length - core;
  const items = history.reduce((n, h) => n + h.items.length, 0);
  out.block(`# ${service.title}: changes by release`);
  const counted = [`${core} Gen3 release${core === 1 ? '' : 's'}`, ...(gh ? [`${gh} GitHub release${gh === 1 ? '' : 's'} of the repository`] : [])].join(' and ');
  out.block(`${items} change${items === 1 ? '' : 's'} to [${service.repo}](${forge.repositoryUrl(service.repo)}) listed in the notes of ${counted}, newest first. Each release links to its notes.`);
  let year = 0;
  for (const { release, items: entries } of history) {
    if (release.year !== year) {
      year = release.year;
      out.block(`## ${year}`);
    }
    const kind = isGitHubRelease(release) ? 'GitHub release' : 'Gen3 release';
    out.block(`**[${releaseLabel(release)}](${link(release, service.repo)})** · ${kind}, ${monthName(release)}`);
    const file = sourceOf(release, notesRepo);
    for (const { category, item } of entries) {
      out.item(listItem(item.markdown, `**${category}:**`), { file, line: item.line });
    }
  }
}

export function writeBreakingChanges(out: MarkdownOut, releases: Release[], link: ReleaseLink, notesRepo: string): void {
  out.block('# Breaking changes');
  const withBreaking = releases
    .map((release) => ({
      release,
      services: release.services
        .map((s) => ({ repo: s.repo, items: s.categories.filter((c) => c.name === BREAKING).flatMap((c) => c.items) }))
        .filter((s) => s.items.length),
    }))
    .filter((r) => r.services.length);
  const count = withBreaking.reduce((n, r) => n + r.services.reduce((m, s) => m + s.items.length, 0), 0);
  if (!count) {
    out.block('None recorded: no release notes of this bundle list an item under "Breaking Changes".');
    return;
  }
  out.block(
    `Every change listed under "Breaking Changes" in the release notes: ${count} in ${withBreaking.length} release${withBreaking.length === 1 ? '' : 's'}, newest first. Read them before upgrading past a release.`,
  );
  for (const { release, services } of withBreaking) {
    const id = isGitHubRelease(release) ? '' : ` {#v${release.version}}`;
    out.block(`## [${isGitHubRelease(release) ? `${services[0]!.repo} ${release.version}` : `Gen3 ${releaseLabel(release)}`}](${link(release)})${id}`);
    const file = sourceOf(release, notesRepo);
    for (const service of services) {
      out.block(`### [${service.repo}](${link(release, service.repo)})`);
      for (const item of service.items) out.item(listItem(item.markdown), { file, line: item.line });
    }
  }
}

