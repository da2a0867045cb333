/**
 * Markdown export: out/md/ mirrors every page as normalised Markdown with front matter, so another static site
 * generator (MkDocs, Docusaurus, Hugo) can take the content without our HTML. Each page's body is made by the
 * render job (render/markdown-page.ts); this assembles the files: front matter and md/index.md. Images are
 * md/assets/ twins of the bundle's assets/files/, made where they are published (publish/assets.ts).
 */
import YAML from 'yaml';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import type { RenderedPage } from '../render/types.ts';
import type { SiteConfig } from '../config/types.ts';
import type { OutputFile } from '../core/bundle.ts';
import { github as forge } from '../forge/github.ts';
import type { MarkdownPage, MarkdownPageStats } from '../render/markdown-page.ts';
import { prefixAnchorLinks } from '../render/markdown-anchors.ts';
import { markdownPathFor, MD_DIR, relativeMarkdownLink } from '../catalog/markdown-paths.ts';
import { eventLoopTurns } from '../core/event-loop.ts';

export interface MarkdownExportInput {
  catalog: Catalog;
  /** Each page carries its Markdown body, made by the render job when the build asks for the export. */
  rendered: Map<CatalogPage, RenderedPage>;
  site: SiteConfig;
}

export interface MarkdownExportStats extends MarkdownPageStats {
  /** Markdown files written (pages plus md/index.md). */
  files: number;
  pages: number;
}

export interface MarkdownExportResult {
  files: OutputFile[];
  stats: MarkdownExportStats;
}

export async function exportMarkdown(input: MarkdownExportInput): Promise<MarkdownExportResult> {
  const { catalog, rendered } = input;
  const stats: MarkdownExportStats = {
    files: 0,
    pages: 0,
    links: { toExport: 0, toGitHub: 0, broken: 0 },
    images: { copied: 0, toGitHub: 0 },
    html: { kept: 0, dropped: 0, asText: 0 },
  };
  const files: OutputFile[] = [];

  const pages = catalog.pages.filter((p) => rendered.has(p));
  const made = new Map<CatalogPage, MarkdownPage>();
  for (const page of pages) {
    const markdown = rendered.get(page)!.markdown;
    if (!markdown) throw new Error(`${page.doc.repo}/${page.doc.path} was rendered without its Markdown export`);
    made.set(page, markdown);
  }
  // Links to another page's raw HTML anchors follow the prefix those anchors got, as on the site.
  const rawAnchors = new Map(pages.map((p) => [markdownPathFor(p), new Set(made.get(p)!.rawAnchors)]));
  // Links to a guide heading by its MkDocs id follow the id GitHub gives it in the export.
  const githubIds = new Map(pages.flatMap((p) => (rendered.get(p)!.githubIds ? [[markdownPathFor(p), rendered.get(p)!.githubIds!] as const] : [])));
  // Thousands of pages are seconds of synchronous work: the event loop gets a turn now and then (SIGINT/SIGTERM).
  const turn = eventLoopTurns();
  for (const page of pages) {
    await turn();
    const r = rendered.get(page)!;
    const md = made.get(page)!;
    for (const group of ['links', 'images', 'html'] as const) {
      for (const [k, v] of Object.entries(md.stats[group] as Record<string, number>)) (stats[group] as Record<string, number>)[k]! += v;
    }
    const frontMatter = frontMatterOf(page, r, catalog);
    const body = prefixAnchorLinks(md, (target) => rawAnchors.get(target), (target) => githubIds.get(target));
    files.push({ path: markdownPathFor(page), content: `---\n${YAML.stringify(frontMatter, { lineWidth: 0 })}---\n\n${body}` });
    stats.pages++;
  }

  if (!pages.some((p) => markdownPathFor(p) === `${MD_DIR}/index.md`)) files.push(indexFile(input, pages));
  stats.files = files.length;
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, stats };
}

function frontMatterOf(page: CatalogPage, r: RenderedPage, catalog: Catalog): Record<string, unknown> {
  const content = catalog.repos.get(page.doc.repo.toLowerCase());
  const meta = content?.meta;
  // Edits go to a branch: the configured ref unless it is a commit, else the default branch.
  const ref = content && !/^[0-9a-f]{40}$/i.test(content.ref) ? content.ref : meta?.defaultBranch ?? 'HEAD';
  const fm: Record<string, unknown> = { title: r.title };
  if (r.description) fm.description = r.description;
  fm.kind = page.kind;
  fm.url = page.url;
  fm.source = { repo: page.doc.repo, path: page.doc.path, sha: page.doc.commitSha, blob: page.doc.blobSha };
  fm.edit_url = forge.editUrl(page.doc.repo, ref, page.doc.path);
  if (meta?.pushedAt) fm.updated = meta.pushedAt;
  if (typeof r.frontMatter.order === 'number') fm.order = r.frontMatter.order;
  if (r.frontMatter.hidden === true) fm.hidden = true;
  return fm;
}

/** md/index.md: the services by section, the guides and the releases, when no page claims the root. */
function indexFile(input: MarkdownExportInput, pages: CatalogPage[]): OutputFile {
  const { catalog, rendered, site } = input;
  const from = `${MD_DIR}/index.md`;
  const exported = new Set(pages);
  const link = (p: CatalogPage) => `[${escapeText(rendered.get(p)?.title ?? p.doc.path)}](${relativeMarkdownLink(from, markdownPathFor(p))})`;
  const lines: string[] = [`# ${escapeText(site.title)}`, ''];
  const sections = new Map<string, string[]>();
  for (const s of catalog.services) {
    const own = s.pages.filter((p) => exported.has(p));
    if (!own.length) continue;
    const entries = sections.get(s.config.section) ?? [];
    const landing = own.find((p) => p.url === `services/${s.slug}/`);
    if (landing) entries.push(`- [${escapeText(s.title)}](${relativeMarkdownLink(from, markdownPathFor(landing))})`);
    else entries.push(`- ${escapeText(s.title)}`, ...own.map((p) => `    - ${link(p)}`));
    sections.set(s.config.section, entries);
  }
  if (sections.size) lines.push('## Services', '');
  for (const [name, entries] of sections) lines.push(`### ${escapeText(name)}`, '', ...entries, '');
  const guides = catalog.guides.filter((p) => exported.has(p));
  if (guides.length) lines.push('## Guides', '', ...guides.map((p) => `- ${link(p)}`), '');
  const releases = catalog.releases.filter((p) => exported.has(p));
  if (releases.length) lines.push('## Releases', '', ...releases.map((p) => `- ${link(p)}`), '');
  const fm = YAML.stringify({ title: site.title, kind: 'index', url: '' }, { lineWidth: 0 });
  return { path: from, content: `---\n${fm}---\n\n${lines.join('\n').replace(/\n+$/, '\n')}` };
}

function escapeText(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
