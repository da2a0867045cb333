/**
 * The community landing page: words from templates/landing.md, link targets resolved into the bundle where it
 * holds the thing itself, plus the data of the service cards and the latest-release card.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { visit } from 'unist-util-visit';
import { toString } from 'hast-util-to-string';
import GithubSlugger from 'github-slugger';
import type { Root, Element } from 'hast';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import { pageHref, repositoryUrl } from '../catalog/urls.ts';
import { warning, type Warning } from '../core/warning.ts';
import type { RenderedPage, TocEntry } from '../render/types.ts';
import { TEMPLATES_DIR } from './templates.ts';
import { pageTitle } from './nav.ts';
import { firstParagraph, tocFromHtml } from './toc.ts';

type Rendered = Map<CatalogPage, RenderedPage>;

export type LinkTarget = string | { page?: string; service?: string; release?: 'latest'; guide?: string; fallback?: string };

/** A link of the hub: a page of the bundle (`url`, out-relative, for the pageHref filter) or an outside `href`. */
export interface HubLink {
  text: string;
  url?: string;
  href?: string;
}

/** A card of the home page: where a kind of reader starts, or a community channel. */
export interface HubCard {
  title: string;
  text: string;
  links: HubLink[];
}

export interface LandingText {
  title: string;
  description: string;
  html: string;
  toc: TocEntry[];
  /** Resolved href of every named link, relative to the landing page. */
  links: Record<string, string>;
  start: HubCard[];
  community: HubCard[];
}

/** The guide page made from a file whose path ends with `suffix`. */
export function findGuide(catalog: Pick<Catalog, 'guides'>, suffix: string): CatalogPage | undefined {
  const clean = suffix.replace(/^\/+/, '');
  return catalog.guides.find((p) => p.doc.path === clean || p.doc.path.endsWith(`/${clean}`));
}

type LinkCatalog = Pick<Catalog, 'guides' | 'releases'> & Partial<Pick<Catalog, 'services'>>;

/** A target as an out-relative page URL when the bundle holds it, else as an outside URL. */
export function resolveTarget(target: LinkTarget, catalog: LinkCatalog): { url: string } | { href: string } | undefined {
  if (typeof target === 'string') return { href: target };
  if (!target || typeof target !== 'object') return undefined;
  if (typeof target.page === 'string') return { url: target.page.replace(/^\/+/, '') };
  if (typeof target.service === 'string') {
    const service = catalog.services?.find((s) => s.repo === target.service);
    if (service) return { url: `services/${service.slug}/` };
  }
  if (target.release === 'latest' && catalog.releases[0]) return { url: catalog.releases[0].url };
  if (typeof target.guide === 'string') {
    const page = findGuide(catalog, target.guide);
    if (page) return { url: page.url };
  }
  return typeof target.fallback === 'string' ? { href: target.fallback } : undefined;
}

export function resolveLink(target: LinkTarget, catalog: LinkCatalog, fromUrl = ''): string | undefined {
  const resolved = resolveTarget(target, catalog);
  if (!resolved) return undefined;
  return 'url' in resolved ? pageHref(fromUrl, resolved.url) : resolved.href;
}

/** The `start` or `community` cards of the front matter, their links resolved; a malformed entry is a warning. */
function hubCards(
  value: unknown,
  field: string,
  targets: Record<string, LinkTarget>,
  catalog: LinkCatalog,
  warnings: Warning[],
): HubCard[] {
  if (value === undefined) return [];
  const bad = (where: string, what: string) => warnings.push(warning('templates/landing.md', 'landing-link', `${where}: ${what}`));
  if (!Array.isArray(value)) {
    bad(field, 'must be a list of cards with title, text and links');
    return [];
  }
  const cards: HubCard[] = [];
  value.forEach((entry: unknown, i) => {
    const where = `${field}[${i}]`;
    const card = entry as { title?: unknown; text?: unknown; links?: unknown };
    if (!card || typeof card.title !== 'string' || !Array.isArray(card.links)) return bad(where, 'needs a title and a list of links');
    const links: HubLink[] = [];
    card.links.forEach((l: unknown, j) => {
      const link = l as { text?: unknown; link?: unknown };
      const target = typeof link?.link === 'string' ? targets[link.link] : undefined;
      const resolved = target === undefined ? undefined : resolveTarget(target, catalog);
      if (typeof link?.text !== 'string' || !resolved) return bad(`${where}.links[${j}]`, `names no target listed under links (${String(link?.link)})`);
      links.push({ text: link.text, ...resolved });
    });
    cards.push({ title: card.title, text: typeof card.text === 'string' ? card.text : '', links });
  });
  return cards;
}

/** A URL as a Markdown link destination: in angle brackets, with the characters that would end it encoded. */
function destination(url: string): string {
  return `<${url.replace(/[<>\s\\]/g, (c) => encodeURIComponent(c))}>`;
}

export function renderLanding(
  catalog: LinkCatalog,
  warnings: Warning[] = [],
  file = path.join(TEMPLATES_DIR, 'landing.md'),
): LandingText {
  const parsed = matter(readFileSync(file, 'utf8'));
  const data = parsed.data as { title?: unknown; description?: unknown; links?: Record<string, LinkTarget>; start?: unknown; community?: unknown };
  const links: Record<string, string> = {};
  const definitions: string[] = [];
  for (const [name, target] of Object.entries(data.links ?? {})) {
    const href = resolveLink(target, catalog);
    if (!href) {
      warnings.push(warning('templates/landing.md', 'landing-link', `link ${name}: no target`));
      continue;
    }
    links[name] = href;
    definitions.push(`[${name.replace(/[[\]\\]/g, '')}]: ${destination(href)}`);
  }
  const toc: TocEntry[] = [];
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfmLean)
    // No raw HTML: the file is ours, but it is still only Markdown.
    .use(remarkRehype)
    .use(() => (tree: Root) => {
      const slugger = new GithubSlugger();
      visit(tree, 'element', (node: Element) => {
        if (/^h[2-3]$/.test(node.tagName)) {
          const text = toString(node);
          const id = slugger.slug(text);
          node.properties.id = id;
          toc.push({ depth: node.tagName === 'h2' ? 2 : 3, id, text });
        }
        if (node.tagName === 'a' && typeof node.properties.href === 'string' && /^https?:/.test(node.properties.href)) {
          node.properties.rel = ['noopener'];
        }
      });
    })
    .use(rehypeStringify);
  const html = String(processor.processSync(`${parsed.content}\n\n${definitions.join('\n')}\n`));
  return {
    title: typeof data.title === 'string' ? data.title : 'Gen3 Documentation',
    description: typeof data.description === 'string' ? data.description.trim() : '',
    html,
    toc,
    links,
    start: hubCards(data.start, 'start', data.links ?? {}, catalog, warnings),
    community: hubCards(data.community, 'community', data.links ?? {}, catalog, warnings),
  };
}

export interface ServiceCard {
  url: string;
  title: string;
  repo: string;
  description?: string;
  /** YYYY-MM-DD of the last push. */
  updated?: string;
  version?: string;
  githubUrl: string;
  /** The service's API reference page, when it has an OpenAPI document. */
  apiUrl?: string;
}

export interface ServiceSection {
  name: string;
  id: string;
  services: ServiceCard[];
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function compareSemver(a: RegExpExecArray, b: RegExpExecArray): number {
  for (let i = 1; i <= 3; i++) {
    const d = Number(a[i]) - Number(b[i]);
    if (d) return d;
  }
  // A release outranks its pre-releases.
  if (!a[4] !== !b[4]) return a[4] ? -1 : 1;
  return (a[4] ?? '').localeCompare(b[4] ?? '', 'en', { numeric: true });
}

/**
 * The highest tag that looks like a semantic version (v1.2.3, 1.2.3-rc.1); calendar tags such as 2026.07 or
 * 2025.01.24 (leading zero) are not.
 */
export function latestVersionTag(tags: { name: string }[]): string | undefined {
  let best: { name: string; m: RegExpExecArray } | undefined;
  for (const tag of tags) {
    const m = SEMVER.exec(tag.name);
    if (m && (!best || compareSemver(m, best.m) > 0)) best = { name: tag.name, m };
  }
  return best?.name;
}

function isoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

export function serviceSections(catalog: Pick<Catalog, 'services'>, rendered: Rendered): ServiceSection[] {
  const sections = new Map<string, ServiceSection>();
  const slugger = new GithubSlugger();
  for (const s of catalog.services) {
    const readme = s.pages.find((p) => p.kind === 'readme');
    const r = readme ? rendered.get(readme) : undefined;
    const readmeDescription = r ? r.description || firstParagraph(r.html) : undefined;
    let section = sections.get(s.config.section);
    if (!section) {
      section = { name: s.config.section, id: slugger.slug(s.config.section), services: [] };
      sections.set(s.config.section, section);
    }
    section.services.push({
      url: `services/${s.slug}/`,
      title: s.title,
      repo: s.repo,
      description: s.config.description ?? s.content.meta.description ?? (readmeDescription || undefined),
      updated: isoDate(s.content.meta.pushedAt),
      version: latestVersionTag(s.content.tags),
      githubUrl: repositoryUrl({ fullName: s.repo, htmlUrl: s.content.meta.htmlUrl }),
      apiUrl: s.apis?.[0]?.url,
    });
  }
  return [...sections.values()];
}

export interface ReleaseCard {
  url: string;
  version: string;
  title: string;
  codename?: string;
  /** "July 2026", from the YYYY/MM folder of the notes. */
  date?: string;
  /** YYYY-MM for <time>. */
  datetime?: string;
  /** The repositories the release changed, each an anchor into the notes. */
  highlights: { text: string; id: string }[];
  more: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function releaseCard(page: CatalogPage, rendered: Rendered, limit = 8): ReleaseCard {
  const version = page.url.replace(/^releases\//, '').replace(/\/$/, '');
  const title = pageTitle(page, rendered);
  const codename = /\(([^()]{1,60})\)\s*$/.exec(title)?.[1];
  const m = /^(\d{4})\.(\d{2})$/.exec(version);
  const month = m ? Number(m[2]) : 0;
  const r = rendered.get(page);
  const toc = r ? (r.toc.length ? r.toc : tocFromHtml(r.html)) : [];
  const sections = toc.filter((t) => t.depth === 2);
  return {
    url: page.url,
    version,
    title,
    codename,
    date: m && month >= 1 && month <= 12 ? `${MONTHS[month - 1]} ${m[1]}` : undefined,
    datetime: m ? `${m[1]}-${m[2]}` : undefined,
    highlights: sections.slice(0, limit).map((t) => ({ text: t.text.replace(/^uc-cdis\//, ''), id: t.id })),
    more: Math.max(0, sections.length - limit),
  };
}
