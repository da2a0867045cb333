/** Composition: turns rendered pages and the catalog into the files of the site. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.ts';
import type { Catalog, CatalogPage, ServiceEntry } from '../catalog/catalog.ts';
import { pageFile, encodePath, repositoryUrl } from '../catalog/urls.ts';
import { RELEASES_FEED_FILE as FEED_PATH, type OutputFile } from '../core/bundle.ts';
import { warning, type Warning } from '../core/warning.ts';
import { github as forge } from '../forge/github.ts';
import type { RenderedPage } from '../render/types.ts';
import { eventLoopTurns } from '../core/event-loop.ts';
import { TEMPLATES_DIR, type TemplateEngine } from './templates.ts';
import { composedFile, type ComposeMemo } from './memo.ts';
import { mkdocsNav, pageTitle, serviceNav, type Crumb, type NavItem } from './nav.ts';
import { freeUrl, SectionNav } from './sidebar.ts';
import { tocFromHtml } from './toc.ts';
import { releaseCard, renderLanding, serviceSections } from './landing.ts';
import { DIAGRAM_SCRIPT, hasDiagram } from './diagrams.ts';
import { releaseIndexPage, releaseSummary, splitTitle } from './releases.ts';
import { blogCategoryPages, blogPageBody, isBlogPostUrl, nestBlogPosts } from './blog.ts';
import { searchMetaOf, updatedDates } from './page-meta.ts';
import type { ReleasePlan } from '../releases/plan.ts';
import type { ApiPlan } from '../api/plan.ts';

export interface ComposeInput {
  config: Config;
  catalog: Catalog;
  rendered: Map<CatalogPage, RenderedPage>;
  engine: TemplateEngine;
  /** Collects problems found while composing (nav entries naming missing pages, a skipped sitemap). */
  warnings?: Warning[];
  /** Folder of the templates, for the landing text and the static assets. */
  templatesDir?: string;
  /** The release notes' model and generated pages (releases/plan.ts). */
  releases?: ReleasePlan;
  /** The API reference pages and their published OpenAPI documents (api/plan.ts). */
  apis?: ApiPlan;
  /** Receives each file as it is made (and then none is returned), so a big site is never held in memory. */
  sink?: (file: OutputFile) => void;
  /** Receives a function that composes one catalog page again from a new rendering (with everything else as now). */
  onPageComposer?: (compose: PageComposer) => void;
  /** The last build's pages, taken again where their template and context are the same. */
  memo?: ComposeMemo;
}

/** One catalog page's file, composed from `page` rendered as `r` with the rest of the site unchanged. */
export type PageComposer = (page: CatalogPage, r: RenderedPage) => OutputFile;

interface Sidebar {
  title: string;
  label: string;
  rootUrl?: string;
  items: NavItem[];
  /** When `items` is only the page's branch: the script holding the whole tree, and the page itself as a file. */
  treeScript?: string;
  pageFile?: string;
}

interface SidebarHead {
  title: string;
  label: string;
  rootUrl?: string;
}

/** Absolute URL of a page for the sitemap, or undefined without a configured origin. */
export function absolutePageUrl(site: Config['site'], url: string): string | undefined {
  if (!site.origin) return undefined;
  const base = site.baseUrl.endsWith('/') ? site.baseUrl : `${site.baseUrl}/`;
  return `${site.origin.replace(/\/+$/, '')}${base}${encodePath(url)}`;
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function sitemapXml(site: Config['site'], urls: string[]): string | undefined {
  if (!site.origin) return undefined;
  const lines = [...new Set(urls)].sort().map((u) => `  <url><loc>${xmlEscape(absolutePageUrl(site, u)!)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
}

export async function composeSite({ config, catalog, rendered, engine, warnings = [], templatesDir = TEMPLATES_DIR, releases, apis, sink, onPageComposer, memo }: ComposeInput): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  // With a sink, each file goes out as soon as it is made instead of being held until the end.
  const emit = (...made: OutputFile[]) => {
    for (const file of made) {
      if (sink) sink(file);
      else files.push(file);
    }
  };
  // Composing is all CPU: the event loop gets a turn now and then, so that SIGINT/SIGTERM stop the build at once.
  const turn = eventLoopTurns();
  const pageUrls: string[] = [];
  const buildSources = [...catalog.repos.values()]
    .map((r) => ({
      repo: r.meta.fullName,
      ref: r.ref,
      commit: r.commitSha,
      url: repositoryUrl(r.meta),
      commitUrl: forge.treeUrl(r.meta.fullName, r.commitSha, ''),
    }))
    .sort((a, b) => (a.repo.toLowerCase() < b.repo.toLowerCase() ? -1 : 1));
  const blogFeed = catalog.blog?.posts.length ? `${catalog.blog.indexUrl ?? `guides/${catalog.blog.dir}/`}feed.xml` : undefined;
  // The home page's words; its community channels are in the footer of every page.
  const landing = renderLanding(catalog, warnings, path.join(templatesDir, 'landing.md'));
  const base = { site: config.site, hasGuides: catalog.guides.length > 0, sourceCount: buildSources.length, releaseFeed: releases ? FEED_PATH : undefined, blogFeed, community: landing.community };
  const fileOf = (url: string, template: string, context: Record<string, unknown>): OutputFile => composedFile(memo, pageFile(url), template, { ...base, pageUrl: url, indexed: true, ...context }, engine);
  const add = (url: string, template: string, context: Record<string, unknown>, options: { sitemap?: boolean } = {}) => {
    emit(fileOf(url, template, context));
    if (options.sitemap !== false) pageUrls.push(url);
  };
  const titleOf = (p: CatalogPage) => pageTitle(p, rendered);
  // The sidebar of one page of a section, and the items it shows expanded.
  const sidebarOf = (nav: SectionNav, head: SidebarHead, url: string): { sidebar: Sidebar; trailItems: NavItem[] } => {
    const view = nav.view(url);
    const partial = view.treeScript ? { treeScript: view.treeScript, pageFile: encodePath(pageFile(url)) } : {};
    return { sidebar: { ...head, items: view.items, ...partial }, trailItems: view.expanded };
  };
  // A large section's pages show only their branch of its tree: its contents page lists every page.
  const taken = new Set(catalog.pages.map((p) => p.url.toLowerCase()));
  const contentsAt = (sectionUrl: string) => freeUrl(`${sectionUrl}all-pages/`, taken);

  // Navigation trees: one per service, one for the guides, one for the releases.
  const serviceNavs = new Map<ServiceEntry, { root: NavItem; nav: SectionNav; head: SidebarHead }>();
  for (const s of catalog.services) {
    const root = serviceNav(s, rendered);
    const nav = new SectionNav(root.children, { root, contentsUrl: contentsAt(`services/${s.slug}/`) });
    serviceNavs.set(s, { root, nav, head: { title: s.title, label: `${s.title} pages`, rootUrl: root.url } });
  }
  const guidesTitle = config.guides?.title ?? 'Guides';
  let guideItems: NavItem[] = [];
  if (config.guides && catalog.guides.length) {
    const g = config.guides;
    const navDoc = g.nav ? catalog.repos.get(g.repo.toLowerCase())?.documents.find((d) => d.path === g.nav) : undefined;
    if (g.nav && !navDoc) warnings.push(warning(`${g.repo}/${g.nav}`, 'navigation', 'navigation file not loaded; the guides are listed by path'));
    guideItems = mkdocsNav({
      text: navDoc?.text ?? '',
      file: g.nav,
      repo: catalog.guides[0]!.doc.repo,
      docsDir: g.path,
      catalog,
      guides: catalog.guides,
      rendered,
      warnings,
      ...(catalog.blog && { listedElsewhere: (url: string) => isBlogPostUrl(catalog.blog!, url) }),
    });
  }
  const guideAt = new Map(catalog.guides.map((p) => [p.url, p]));
  const blog = catalog.blog && {
    blog: catalog.blog,
    renderedAt: (url: string) => rendered.get(guideAt.get(url)!),
    textAt: (url: string) => guideAt.get(url)?.doc.text,
    render: (template: string, context: Record<string, unknown>) => engine.render(template, context),
    splitTitle,
  };
  if (blog) guideItems = nestBlogPosts(guideItems, blog.blog, (url) => blog.renderedAt(url)?.title ?? url);
  const guidesNav = new SectionNav(guideItems, { contentsUrl: contentsAt('guides/') });
  const guidesHead: SidebarHead = { title: guidesTitle, label: guidesTitle, rootUrl: catalog.guides.some((p) => p.url === 'guides/') ? 'guides/' : undefined };
  const releaseYears = new Map<string, NavItem>();
  const releaseModel = new Map(releases?.core.map((c) => [c.page, c]));
  for (const p of catalog.releases) {
    const year = p.url.slice('releases/'.length, 'releases/'.length + 4);
    const group = releaseYears.get(year) ?? { title: year, children: [] };
    const codename = releaseModel.get(p)?.release.codename;
    group.children.push({ title: `${p.url.slice('releases/'.length, -1)}${codename ? ` · ${codename}` : ''}`, url: p.url, children: [] });
    releaseYears.set(year, group);
  }
  const releaseItems = [...(releases ? [{ title: 'Breaking changes', url: releases.breakingPage.url, children: [] }] : []), ...releaseYears.values()];
  const releasesNav = new SectionNav(releaseItems, { contentsUrl: contentsAt('releases/') });
  const releasesHead: SidebarHead = { title: 'Releases', label: 'Releases', rootUrl: 'releases/' };
  // The latest release that lists each service, for the link under its README's title.
  const latestReleaseOf = new Map<string, NonNullable<typeof releases>['core'][number]>();
  for (const c of releases?.core ?? []) {
    for (const s of c.release.services) if (!latestReleaseOf.has(s.repo.toLowerCase())) latestReleaseOf.set(s.repo.toLowerCase(), c);
  }

  // A README links to its service's API reference under its title; an API page to the document it was made from.
  const apiPages = new Map(apis?.pages.map((a) => [a.page, a]));
  const withApiLinks = (page: CatalogPage, body: string): string => {
    let callout = '';
    if (page.kind === 'readme' && page.service?.apis.length) {
      callout = engine.render('api-link.njk', { pageUrl: page.url, apis: page.service.apis.map((p) => ({ url: p.url, title: titleOf(p) })) });
    } else if (page.kind === 'api' && apiPages.get(page)?.ok) {
      const a = apiPages.get(page)!;
      callout = engine.render('api-download.njk', { pageUrl: page.url, specFile: a.specFile, sourceUrl: forge.blobUrl(a.source.repo, a.source.commitSha, a.source.path), path: a.source.path, repo: a.source.repo });
    }
    if (!callout) return body;
    const { title: h1, rest } = splitTitle(body);
    return h1 ? `${h1}\n${callout}${rest}` : `${callout}${body}`;
  };
  // A catalog page's template and what it shows.
  const pageView = (page: CatalogPage, r: RenderedPage): { template: string; context: Record<string, unknown> } => {
    // The guides' own home page is titled like the site: it is shown as the guides' index instead.
    const title = page.url === 'guides/' ? guidesTitle : r.title;
    let sidebar: Sidebar | undefined;
    let trailItems: NavItem[] = [];
    let breadcrumbs: Crumb[] = [{ title: 'Home', url: '' }];
    let around: { prev?: NavItem; next?: NavItem } = {};
    let section = '';
    if (page.service) {
      const { root, nav, head } = serviceNavs.get(page.service)!;
      ({ sidebar, trailItems } = sidebarOf(nav, head, page.url));
      breadcrumbs.push({ title: 'Services', url: 'services/' });
      if (page.url !== root.url) breadcrumbs.push({ title: page.service.title, url: root.url });
      breadcrumbs.push(...nav.trail(page.url).slice(0, -1).map((t) => ({ title: t.title, url: t.url })));
      around = nav.neighbours(page.url);
      section = 'services';
    } else if (page.kind === 'guide') {
      ({ sidebar, trailItems } = sidebarOf(guidesNav, guidesHead, page.url));
      if (page.url !== 'guides/') breadcrumbs.push({ title: guidesTitle, url: 'guides/' });
      breadcrumbs.push(...guidesNav.trail(page.url).slice(0, -1).filter((t) => t.url !== 'guides/').map((t) => ({ title: t.title, url: t.url })));
      around = guidesNav.neighbours(page.url);
      section = 'guides';
    } else if (page.kind === 'release' || page.kind === 'changes') {
      ({ sidebar, trailItems } = sidebarOf(releasesNav, releasesHead, page.url));
      breadcrumbs.push({ title: 'Releases', url: 'releases/' });
      section = 'releases';
    }
    breadcrumbs.push({ title, url: page.url });
    const repoContent = catalog.repos.get(page.doc.repo.toLowerCase());
    // Release pages get their summary under the title; a service's README links to its changes by release.
    const model = releaseModel.get(page);
    const changesPage = page.kind === 'readme' && page.service ? releases?.changesPages.get(page.service) : undefined;
    let template = 'page.njk';
    let body = r.html;
    let extra: Record<string, unknown> = {};
    if (model) {
      template = 'release.njk';
      const { title: titleHtml, rest } = splitTitle(r.html);
      extra = { summary: releaseSummary(model, r), breakingUrl: releases!.breakingPage.url, titleHtml, rest };
    } else if (changesPage && releases) {
      const latest = latestReleaseOf.get(page.service!.repo.toLowerCase());
      const anchor = latest && rendered.get(latest.page)?.toc.find((t) => t.depth === 2 && t.text.toLowerCase() === page.service!.repo.toLowerCase())?.id;
      const callout = engine.render('release-service-link.njk', { pageUrl: page.url, changesUrl: changesPage.url, latest: latest && releaseSummary(latest), anchor });
      const { title: h1, rest } = splitTitle(r.html);
      body = h1 ? `${h1}\n${callout}${rest}` : `${callout}${r.html}`;
    } else if (blog && page.kind === 'guide') body = blogPageBody(blog, page.url, r.html);
    body = withApiLinks(page, body);
    const generatedFrom = page.kind === 'changes' && releases;
    return { template, context: {
      ...extra,
      title,
      searchMeta: searchMetaOf(page),
      diagramScript: hasDiagram(body) ? DIAGRAM_SCRIPT : undefined,
      description: r.description || (typeof r.frontMatter.description === 'string' ? r.frontMatter.description : ''),
      body,
      section,
      sidebar,
      trailItems,
      breadcrumbs,
      prev: around.prev,
      next: around.next,
      toc: r.toc.length ? r.toc : tocFromHtml(r.html),
      // A repository that could not be fetched is built from its last good cached copy: say so on its pages.
      stale:
        repoContent?.freshness === 'stale'
          ? { repo: repoContent.meta.fullName, commit: repoContent.commitSha, reason: repoContent.staleReason ?? 'the source failed' }
          : undefined,
      source: generatedFrom
        ? {
            repo: releases.notesRepo,
            path: releases.notesPath,
            commit: releases.commitSha,
            url: forge.treeUrl(releases.notesRepo, releases.commitSha, releases.notesPath),
            commitUrl: forge.treeUrl(releases.notesRepo, releases.commitSha, ''),
          }
        : {
            repo: page.doc.repo,
            path: page.doc.path,
            commit: page.doc.commitSha,
            url: forge.blobUrl(page.doc.repo, page.doc.commitSha, page.doc.path),
            commitUrl: forge.treeUrl(page.doc.repo, page.doc.commitSha, ''),
            editUrl: repoContent ? forge.editUrl(page.doc.repo, repoContent.meta.defaultBranch, page.doc.path) : undefined,
            updated: repoContent ? updatedDates(repoContent).get(page.doc.path) : undefined,
          },
    } };
  };
  for (const page of catalog.pages) {
    const r = rendered.get(page);
    if (!r) continue;
    await turn();
    const { template, context } = pageView(page, r);
    add(page.url, template, context);
  }
  onPageComposer?.((page, r) => (({ template, context }) => fileOf(page.url, template, context))(pageView(page, r)));

  const sections = serviceSections(catalog, rendered);
  for (const s of catalog.services) {
    const url = `services/${s.slug}/`;
    if (!s.pages.some((p) => p.url === url)) {
      // A repository without a README still gets a page: the list of its docs.
      const { nav, head } = serviceNavs.get(s)!;
      add(url, 'list.njk', {
        title: s.title,
        intro: s.config.description ?? s.content.meta.description ?? undefined,
        items: nav.order.filter((i) => i.url !== url).map((i) => ({ url: i.url, title: i.title })),
        section: 'services',
        ...sidebarOf(nav, head, url),
        breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Services', url: 'services/' }, { title: s.title, url }],
      });
    }
    await turn();
  }
  add('services/', 'services.njk', {
    buildSources, // only this page lists the commits; others count them, so a moved commit changes no other page
    title: 'Services',
    description: `The ${catalog.services.length} Gen3 services and tools documented on this site.`,
    sections,
    section: 'services',
    breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Services', url: 'services/' }],
  });
  const releaseIndex = releaseIndexPage(releases, catalog.releases, rendered, titleOf);
  add('releases/', releaseIndex.template, { ...releaseIndex.context, feedUrl: FEED_PATH, section: 'releases', breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Releases', url: 'releases/' }] });
  if (catalog.guides.length && !catalog.guides.some((p) => p.url === 'guides/')) {
    add('guides/', 'list.njk', {
      title: guidesTitle,
      items: guidesNav.order.map((i) => ({ url: i.url, title: i.title })),
      section: 'guides',
      ...sidebarOf(guidesNav, guidesHead, 'guides/'),
      breadcrumbs: [{ title: 'Home', url: '' }, { title: guidesTitle, url: 'guides/' }],
    });
  }

  for (const c of blog ? blogCategoryPages(blog) : []) {
    const trail = [{ title: 'Home', url: '' }, { title: guidesTitle, url: 'guides/' }, ...(blog!.blog.indexUrl ? [{ title: blog!.renderedAt(blog!.blog.indexUrl)?.title ?? 'Blog', url: blog!.blog.indexUrl }] : [])];
    add(c.url, 'blog-category.njk', { title: c.title, posts: c.posts, section: 'guides', ...sidebarOf(guidesNav, guidesHead, blog!.blog.indexUrl ?? c.url), breadcrumbs: [...trail, { title: c.title, url: c.url }] });
  }

  // A large section's pages show only their branch: its contents page lists every page, and the whole tree is
  // one script that the sidebars load.
  const contentsPage = async (nav: SectionNav, head: SidebarHead, section: string, crumbs: Crumb[]) => {
    if (!nav.partial) return;
    const url = nav.options.contentsUrl;
    add(url, 'contents.njk', { title: `${head.title}: all pages`, tree: nav.contents(), section, indexed: false, breadcrumbs: [{ title: 'Home', url: '' }, ...crumbs, { title: 'All pages', url }] });
    emit({ path: nav.treeScriptPath, content: nav.treeScript() });
    await turn();
  };
  for (const s of catalog.services) {
    const { nav, head } = serviceNavs.get(s)!;
    await contentsPage(nav, head, 'services', [{ title: 'Services', url: 'services/' }, { title: s.title, url: head.rootUrl }]);
  }
  await contentsPage(guidesNav, guidesHead, 'guides', [{ title: guidesTitle, url: 'guides/' }]);
  await contentsPage(releasesNav, releasesHead, 'releases', [{ title: 'Releases', url: 'releases/' }]);
  add('search/', 'search.njk', { title: 'Search', indexed: false }, { sitemap: false });

  // The card's chips name the services the release changed, not the sections added after them.
  const latestReleaseCard = (page: CatalogPage) => {
    const repos = releaseModel.get(page)?.release.services.map((s) => s.repo);
    if (!repos) return releaseCard(page, rendered);
    const card = releaseCard(page, rendered, Number.POSITIVE_INFINITY);
    const all = card.highlights.filter((h) => repos.some((repo) => repo.replace(/^uc-cdis\//, '') === h.text));
    return { ...card, highlights: all.slice(0, 8), more: Math.max(0, all.length - 8) };
  };
  add('', 'index.njk', {
    title: '',
    description: landing.description,
    landing,
    latestRelease: catalog.releases[0] ? latestReleaseCard(catalog.releases[0]) : undefined,
    sections,
    section: 'home',
  });

  // 404.html is served for any missing path, at any depth: its links are absolute, under the base path.
  emit({
    path: '404.html',
    content: engine.render('404.njk', { ...base, pageUrl: '', absoluteBase: config.site.baseUrl, title: 'Page not found', indexed: false }),
  });

  const sitemap = sitemapXml(config.site, pageUrls);
  if (sitemap) emit({ path: 'sitemap.xml', content: sitemap });
  else warnings.push(warning('sitemap.xml', 'sitemap-skipped', 'not written: sitemaps need absolute URLs; set site.origin in the config or pass --site-url'));
  const sitemapLine = sitemap ? `Sitemap: ${absolutePageUrl(config.site, 'sitemap.xml')}\n` : '';
  emit({ path: 'robots.txt', content: `User-agent: *\nAllow: /\n${sitemapLine}` });

  const assetsDir = path.join(templatesDir, 'assets');
  for (const name of readdirSync(assetsDir).sort()) {
    emit({ path: `assets/${name}`, content: readFileSync(path.join(assetsDir, name)) });
  }
  return files;
}
