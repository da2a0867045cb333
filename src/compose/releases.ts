/**
 * Release notes as a product: the parsed model (src/releases) turned into pages and files.
 *
 *  - releases/<version>/         each core release, rendered from Markdown generated out of the model
 *  - releases/                   a table of every core release, newest first
 *  - releases/breaking-changes/  every "Breaking Changes" item, by release then service
 *  - services/<slug>/changes/    a service's items from every release (a page of its own: fence alone has
 *                                hundreds of items in ~70 releases, which would bury its README)
 *  - releases/index.json         the model (docs/schemas/releases-index.schema.json)
 *  - releases/feed.xml           Atom feed of the newest 20 core releases
 *
 * Generated pages are catalog pages with a SourceDocument-shaped input, so the build renders them like any
 * other page (sanitizer, link resolution, heading ids, caching). Links between them are GitHub blob URLs
 * of the notes, which link resolution maps to the bundle pages and checks, fragments included.
 */
import { slug } from 'github-slugger';
import type { Table, TableCell, TableRow } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import type { Config, SiteConfig } from '../config/types.ts';
import type { Catalog, CatalogPage, ServiceEntry } from '../catalog/catalog.ts';
import { pageHref } from '../catalog/urls.ts';
import type { Warning } from '../core/warning.ts';
import { github as forge } from '../forge/github.ts';
import type { RenderedPage } from '../render/types.ts';
import { gitBlobSha } from '../sources/documents.ts';
import type { ApiRelease, ContentSource, SourceDocument } from '../sources/types.ts';
import {
  CANONICAL_CATEGORIES,
  buildReleasesIndex,
  compareNewestFirst,
  parseReleaseNotes,
  releaseFromGitHubRelease,
  type ImageVersion,
  type Item,
  type Release,
} from '../releases/index.ts';
import { SourceText, parseMarkdown } from '../releases/markdown.ts';
import { BUNDLE_VERSION } from '../core/bundle.ts';

export const FEED_ENTRIES = 20;
export const BREAKING_URL = 'releases/breaking-changes/';
export const FEED_PATH = 'releases/feed.xml';
export const INDEX_JSON_PATH = 'releases/index.json';
const BREAKING = 'Breaking Changes';
const OTHER = 'Other';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Where a line of a generated document came from, to point warnings at the notes as written. */
interface Origin {
  file: string;
  line: number;
}

interface Generated {
  page: CatalogPage;
  /** Generated line (1-based) -> origin; warnings on other lines keep the generated document's name. */
  lines: (Origin | undefined)[];
}

export interface CoreRelease {
  release: Release;
  page: CatalogPage;
}

export interface ReleasePlan {
  notesRepo: string;
  notesPath: string;
  commitSha: string;
  /** Core releases with their pages, newest first. */
  core: CoreRelease[];
  /** Releases of single services from GitHub, newest first; they are not pages of their own. */
  github: Release[];
  changesPages: Map<ServiceEntry, CatalogPage>;
  breakingPage: CatalogPage;
  warnings: Warning[];
  generated: Generated[];
}

/** GitHub releases keep their html_url as sourcePath; core releases a path in the notes repository. */
export function isGitHubRelease(release: Release): boolean {
  return /^https?:\/\//i.test(release.sourcePath);
}

/** Git's blob id of a text: the identity of generated documents, as blobSha is for repository files. */
function textSha(text: string): string {
  return gitBlobSha(Buffer.from(text, 'utf8'));
}

export async function loadGitHubReleases(config: Config, source: ContentSource, warnings: Warning[]): Promise<{ repo: string; releases: ApiRelease[] }[]> {
  const repos = config.releaseNotes?.githubReleases ?? [];
  if (!repos.length) return [];
  if (!source.listReleases) {
    warnings.push({ file: config.file, message: `this source cannot list GitHub releases; releaseNotes.githubReleases (${repos.join(', ')}) is ignored` });
    return [];
  }
  return Promise.all(
    repos.map(async (repo) => {
      try {
        return { repo, releases: await source.listReleases!(repo) };
      } catch (error) {
        warnings.push({ file: repo, message: `GitHub releases not loaded: ${(error as Error).message}` });
        return { repo, releases: [] };
      }
    }),
  );
}

export interface PlanInput {
  config: Config;
  catalog: Catalog;
  githubReleases?: { repo: string; releases: ApiRelease[] }[];
  /** The notes parser (default parseReleaseNotes; the build passes a cached one). */
  parse?: typeof parseReleaseNotes;
}

/**
 * Parses every release page's notes (with knownbugs.md and manifest.json beside them), swaps each page's
 * document for the Markdown generated from its model, and adds the generated pages to the catalog. Runs
 * between the catalog and rendering; undefined without release notes.
 */
export function planReleases({ config, catalog, githubReleases = [], parse = parseReleaseNotes }: PlanInput): ReleasePlan | undefined {
  const notesConfig = config.releaseNotes;
  const notes = notesConfig && catalog.repos.get(notesConfig.repo.toLowerCase());
  if (!notesConfig || !notes) return undefined;
  const notesRepo = notes.meta.fullName;
  const notesPath = notesConfig.path.replace(/\/+$/, '');
  const warnings: Warning[] = [];
  const generated: Generated[] = [];
  const documents = new Map(notes.documents.map((d) => [d.path, d]));
  const sibling = (file: string, name: string) => {
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    return [...documents.values()].find((d) => d.path.slice(0, dir.length) === dir && d.path.slice(dir.length).toLowerCase() === name);
  };
  const serviceByRepo = new Map(catalog.services.map((s) => [s.repo.toLowerCase(), s]));
  // By branch, not commit: the renderer turns it into the service page either way, and the generated text (and
  // so every release page's cached render) stays the same when the service gets a new commit.
  const serviceUrl = (repo: string) => {
    const service = serviceByRepo.get(repo.toLowerCase());
    const readme = service?.pages.find((p) => p.kind === 'readme');
    return readme ? forge.blobUrl(readme.doc.repo, service!.content.meta.defaultBranch, readme.doc.path) : forge.repositoryUrl(repo);
  };

  const core: CoreRelease[] = [];
  for (const page of catalog.releases) {
    const original = page.doc;
    const knownBugs = sibling(original.path, 'knownbugs.md');
    const manifest = sibling(original.path, 'manifest.json');
    const result = parse({ path: original.path, text: original.text, repo: notesRepo, knownBugs: knownBugs?.text, manifestJson: manifest?.text });
    for (const w of result.warnings) warnings.push(located(`${notesRepo}/${w.file}`, w.line, w.message));
    const out = new MarkdownOut();
    writeReleasePage(out, result.release, { original, knownBugs, notesRepo, serviceUrl });
    page.doc = { ...original, text: out.text, blobSha: textSha(out.text) };
    generated.push({ page, lines: out.lines });
    core.push({ release: result.release, page });
  }
  core.sort((a, b) => compareNewestFirst(a.release, b.release));

  const github: Release[] = [];
  for (const { repo, releases } of githubReleases) {
    for (const api of releases) {
      const result = releaseFromGitHubRelease(repo, api);
      for (const w of result.warnings) warnings.push(located(w.file, w.line, w.message));
      if (result.release.year === 0) {
        warnings.push({ file: api.html_url, message: `GitHub release ${api.tag_name} of ${repo} has no date; left out` });
        continue;
      }
      github.push(result.release);
    }
  }
  github.sort(compareNewestFirst);

  const releaseLink = (entry: Release, repo?: string): string => {
    const page = core.find((c) => c.release === entry)?.page;
    if (!page) return entry.sourcePath;
    return `${forge.blobUrl(notesRepo, page.doc.commitSha, page.doc.path)}${repo ? `#${slug(repo)}` : ''}`;
  };
  const generatedDoc = (name: string, out: MarkdownOut): SourceDocument => {
    const path = `${notesPath}/${name}`;
    return { repo: notesRepo, path, text: out.text, blobSha: textSha(out.text), commitSha: notes.commitSha, sourceUrl: forge.treeUrl(notesRepo, notes.commitSha, notesPath) };
  };
  const everything = [...core.map((c) => c.release), ...github].sort(compareNewestFirst);

  const changesPages = new Map<ServiceEntry, CatalogPage>();
  for (const service of catalog.services) {
    const history = everything
      .map((release) => ({ release, service: release.services.find((s) => s.repo.toLowerCase() === service.repo.toLowerCase()) }))
      .filter((h) => h.service && itemsOf(h.service).length > 0);
    if (!history.length) continue;
    const out = new MarkdownOut();
    writeServiceChanges(out, service, history.map((h) => ({ release: h.release, items: categorisedItems(h.service!) })), releaseLink, notesRepo);
    const page = catalog.addPage({ kind: 'changes', url: `services/${service.slug}/changes/`, doc: generatedDoc(`changes-by-release/${service.slug}.md`, out), service });
    service.pages.push(page);
    changesPages.set(service, page);
    generated.push({ page, lines: out.lines });
  }

  const out = new MarkdownOut();
  writeBreakingChanges(out, everything, releaseLink, notesRepo);
  const breakingPage = catalog.addPage({ kind: 'changes', url: BREAKING_URL, doc: generatedDoc('breaking-changes.md', out) });
  generated.push({ page: breakingPage, lines: out.lines });

  return { notesRepo, notesPath, commitSha: notes.commitSha, core, github, changesPages, breakingPage, warnings, generated };
}

function located(file: string, line: number, message: string): Warning {
  return line > 0 ? { file, line, message } : { file, message };
}

/**
 * Points the rendering warnings of generated documents at the notes as written (file and line of the item or
 * section), and drops the copies an item's problem gets on the other pages that repeat it. Call once every
 * page is rendered and cross links are resolved.
 */
export function relocateWarnings(plan: ReleasePlan, rendered: Map<CatalogPage, RenderedPage>, warnings: Warning[]): void {
  const moved = new Set<Warning>();
  for (const { page, lines } of plan.generated) {
    const file = `${page.doc.repo}/${page.doc.path}`;
    for (const w of rendered.get(page)?.warnings ?? []) {
      if (w.file !== file || w.line === undefined || moved.has(w)) continue;
      const origin = lines[w.line];
      if (!origin) continue;
      w.file = origin.file;
      w.line = origin.line;
      moved.add(w);
    }
  }
  const seen = new Set<string>();
  for (let i = 0; i < warnings.length; i++) {
    const w = warnings[i]!;
    if (!moved.has(w)) continue;
    const key = `${w.file}\0${w.line}\0${w.message}`;
    if (seen.has(key)) warnings.splice(i--, 1);
    else seen.add(key);
  }
}

/** Markdown being generated, with the origin of each line. */
class MarkdownOut {
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
function lineOf(whole: string, part: string): number {
  const at = part ? whole.replace(/\r\n?/g, '\n').indexOf(part) : -1;
  return at < 0 ? 0 : whole.replace(/\r\n?/g, '\n').slice(0, at).split('\n').length;
}

/** A list item of generated Markdown: continuation lines indented under the marker. */
function listItem(markdown: string, prefix = ''): string {
  let text = markdown;
  if (prefix) {
    // A prefix in front of a block (code fence, table, HTML, heading...) would change what it is.
    text = /^(?:#|>|```|~~~|<|\||[-*+] |\d{1,9}[.)] |\s)/.test(markdown) || markdown === '' ? `${prefix}\n\n${markdown}` : `${prefix} ${markdown}`;
  }
  return `- ${text.split('\n').map((l, i) => (i === 0 || l === '' ? l : `  ${l}`)).join('\n')}`;
}

function itemsOf(service: Release['services'][number]): Item[] {
  return service.categories.flatMap((c) => c.items);
}

function categorisedItems(service: Release['services'][number]): { category: string; item: Item }[] {
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
const tableWriter = unified().use(remarkGfm, { tablePipeAlign: false }).use(remarkStringify);

/** The image versions as a GFM table whose cells are code spans: text, whatever characters the manifest holds. */
function imageVersionsTable(versions: ImageVersion[]): string {
  const cell = (value: string, code: boolean): TableCell => ({ type: 'tableCell', children: code && value ? [{ type: 'inlineCode', value }] : [{ type: 'text', value }] });
  const row = (values: string[], code: boolean): TableRow => ({ type: 'tableRow', children: values.map((v) => cell(v, code)) });
  const table: Table = { type: 'table', children: [row(['Service', 'Image', 'Version'], false), ...versions.map((v) => row([v.service, v.image, v.version], true))] };
  return tableWriter.stringify({ type: 'root', children: [table] }).trimEnd();
}

interface ReleasePageContext {
  original: SourceDocument;
  knownBugs?: SourceDocument;
  notesRepo: string;
  serviceUrl(repo: string): string;
}

/**
 * The notes as the original file orders its headings (title, free sections, `## owner/repo`, `#### Category`),
 * so that the GitHub-style anchors people copied still land; new sections only at the end.
 */
function writeReleasePage(out: MarkdownOut, release: Release, ctx: ReleasePageContext): void {
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

type ReleaseLink = (release: Release, repo?: string) => string;

export function releaseLabel(release: Release): string {
  if (isGitHubRelease(release)) return release.title.includes(release.version) ? release.title : `${release.version} (${release.title})`;
  return release.codename ? `${release.version} (${release.codename})` : release.version;
}

export function monthName(release: Release): string {
  return release.month >= 1 && release.month <= 12 ? `${MONTHS[release.month - 1]} ${release.year}` : String(release.year || '');
}

function sourceOf(release: Release, notesRepo: string): string {
  return isGitHubRelease(release) ? release.sourcePath : `${notesRepo}/${release.sourcePath}`;
}

function writeServiceChanges(
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

function writeBreakingChanges(out: MarkdownOut, releases: Release[], link: ReleaseLink, notesRepo: string): void {
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

// ---- Summaries for the templates ----

export interface CategoryCount {
  name: string;
  count: number;
}

/** Items per category: the six of the PR template in their order, then everything else as "Other". */
export function categoryCounts(release: Release): CategoryCount[] {
  const counts = new Map<string, number>([...CANONICAL_CATEGORIES, OTHER].map((c) => [c, 0]));
  for (const category of release.services.flatMap((s) => s.categories)) {
    const name = counts.has(category.name) ? category.name : OTHER;
    counts.set(name, counts.get(name)! + category.items.length);
  }
  return [...counts].map(([name, count]) => ({ name, count }));
}

export interface ReleaseSummary {
  url: string;
  version: string;
  codename: string | null;
  title: string;
  month: string;
  /** YYYY-MM for <time>. */
  datetime: string;
  services: number;
  items: number;
  counts: CategoryCount[];
  breaking: number;
  /** Services with breaking changes and the id of their section on the release page. */
  breakingServices: { repo: string; id?: string }[];
}

export function releaseSummary(entry: CoreRelease, rendered?: RenderedPage): ReleaseSummary {
  const { release, page } = entry;
  const counts = categoryCounts(release);
  const idOf = (repo: string) => rendered?.toc.find((t) => t.depth === 2 && t.text === repo)?.id;
  return {
    url: page.url,
    version: release.version,
    codename: release.codename,
    title: release.title,
    month: monthName(release),
    datetime: `${release.year}-${String(release.month).padStart(2, '0')}`,
    services: release.services.filter((s) => itemsOf(s).length).length,
    items: counts.reduce((n, c) => n + c.count, 0),
    counts,
    breaking: counts.find((c) => c.name === BREAKING)!.count,
    breakingServices: release.services
      .filter((s) => s.categories.some((c) => c.name === BREAKING && c.items.length))
      .map((s) => ({ repo: s.repo, id: idOf(s.repo) })),
  };
}

/** The first `</h1>` of a rendered body splits the title from the rest, to put the summary under the title. */
export function splitTitle(html: string): { title: string; rest: string } {
  const end = html.indexOf('</h1>');
  return end < 0 ? { title: '', rest: html } : { title: html.slice(0, end + 5), rest: html.slice(end + 5) };
}

// ---- Files: index.json and the Atom feed ----

export function releasesIndexFile(plan: ReleasePlan): { path: string; content: string } {
  const index = buildReleasesIndex(BUNDLE_VERSION, [...plan.core.map((c) => c.release), ...plan.github]);
  return { path: INDEX_JSON_PATH, content: `${JSON.stringify(index, null, 2)}\n` };
}

/** Text for XML: escaped, and without the characters XML 1.0 cannot carry (control characters, lone surrogates). */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function absoluteUrl(site: SiteConfig, url: string): string | undefined {
  if (!site.origin) return undefined;
  const base = site.baseUrl.endsWith('/') ? site.baseUrl : `${site.baseUrl}/`;
  return `${site.origin.replace(/\/+$/, '')}${base}${url}`;
}

/**
 * Atom 1.0. Ids are tag: URIs named after the notes' place on GitHub, so they stay the same wherever the site
 * is hosted; `updated` is the first day of the release month, so two builds of the same input are identical.
 * Links are absolute with site.origin, else relative to the feed (and xml:base makes the content's relative
 * links resolve from the release page).
 */
export function atomFeed(plan: ReleasePlan, rendered: Map<CatalogPage, RenderedPage>, site: SiteConfig): string {
  const entries = plan.core.slice(0, FEED_ENTRIES);
  const updated = (r: Release) => `${String(r.year).padStart(4, '0')}-${String(r.month).padStart(2, '0')}-01T00:00:00Z`;
  const href = (url: string) => absoluteUrl(site, url) ?? (pageHref('releases/', url).replace(/index\.html$/, '') || './');
  const self = absoluteUrl(site, FEED_PATH) ?? 'feed.xml';
  const tagBase = forge.feedTagUri(plan.notesRepo, plan.notesPath);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(tagBase)}</id>`,
    `  <title>${xmlText(`${site.title}: Gen3 releases`)}</title>`,
    `  <subtitle>The monthly Gen3 core release notes, newest first.</subtitle>`,
    `  <updated>${entries[0] ? updated(entries[0].release) : '1970-01-01T00:00:00Z'}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(href('releases/'))}"/>`,
    `  <author><name>${xmlText(site.title)}</name></author>`,
    '  <generator>gen3-docs-aggregator</generator>',
  ];
  for (const entry of entries) {
    const { release, page } = entry;
    const summary = releaseSummary(entry);
    const counts = summary.counts.filter((c) => c.count).map((c) => `${c.count} ${c.name}`);
    const text = `${summary.items} changes in ${summary.services} services${counts.length ? `: ${counts.join(', ')}` : ''}.`;
    const body = rendered.get(page);
    lines.push(
      '  <entry>',
      `    <id>${xmlText(`${tagBase}/${release.version}`)}</id>`,
      `    <title>${xmlText(`Gen3 ${release.version}${release.codename ? ` (${release.codename})` : ''}`)}</title>`,
      `    <updated>${updated(release)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(href(page.url))}"/>`,
      `    <summary>${xmlText(text)}</summary>`,
    );
    if (body) lines.push(`    <content type="html" xml:base="${xmlText(href(page.url))}">${xmlText(splitTitle(body.html).rest.trim())}</content>`);
    lines.push('  </entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
