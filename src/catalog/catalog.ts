/**
 * Classification: decides which page every loaded document becomes and under which URL, before anything is
 * rendered, so that the renderer can resolve links to pages that do not exist yet.
 */
import type { Config, RepositoryConfig } from '../config/types.ts';
import type { RepoContent, SourceDocument, TreeEntry } from '../sources/types.ts';
import path from 'node:path';
import { isMarkdownPath } from '../core/paths.ts';
import { apiDocuments } from './api-docs.ts';
import { boundedPath, pagePathFor } from './urls.ts';
import type { Warning } from '../core/warning.ts';
import { mkdocsSettings, siteUrls, type OldSite, type Redirect } from './site-urls.ts';
import { isBlogPost, readPostFrontMatter, type Blog } from './blog-posts.ts';

/**
 * `changes`: a page generated from the release notes (a service's changes by release, the breaking changes).
 * `api`: a service's API reference, made from one of its OpenAPI/Swagger documents.
 */
export type PageKind = 'readme' | 'doc' | 'guide' | 'release' | 'changes' | 'api';

export interface CatalogPage {
  kind: PageKind;
  /** Out-relative folder URL, e.g. "services/fence/docs/setup/". */
  url: string;
  doc: SourceDocument;
  /** The service this page belongs to (readme and doc pages). */
  service?: ServiceEntry;
}

export interface ServiceEntry {
  config: RepositoryConfig;
  repo: string;
  /** URL segment and display name default: the repository name. */
  slug: string;
  title: string;
  content: RepoContent;
  /** Its README page first, then its docs pages in path order, then its API references. */
  pages: CatalogPage[];
  /** Its API reference pages (also in `pages`), one per OpenAPI/Swagger document, in path order. */
  apis: CatalogPage[];
}

export interface RepoTree {
  commitSha: string;
  defaultBranch: string;
  entries: Map<string, TreeEntry>;
  /** Paths by their lower-cased form ('' when two paths differ only in case); built on demand by lowerIndexOf. */
  lower?: { get(key: string): string | undefined };
}

const lowerIndexes = new WeakMap<RepoTree, Map<string, string>>();
/** The tree's paths by lower-cased form, built once per tree: for links whose case differs from the file's. */
export function lowerIndexOf(tree: RepoTree): { get(key: string): string | undefined } {
  if (tree.lower) return tree.lower;
  let index = lowerIndexes.get(tree);
  if (!index) {
    index = new Map();
    for (const p of tree.entries.keys()) {
      const key = p.toLowerCase();
      // Two paths differing only in case: ambiguous, match neither.
      index.set(key, index.has(key) ? '' : p);
    }
    lowerIndexes.set(tree, index);
  }
  return index;
}

export interface Catalog {
  services: ServiceEntry[];
  pages: CatalogPage[];
  guides: CatalogPage[];
  releases: CatalogPage[];
  /** Loaded repositories by "owner/name". */
  repos: Map<string, RepoContent>;
  /** The guides' old site (mkdocs.yml site_url) and every path it had, for links written to it. */
  oldSite?: OldSite;
  /** Redirect pages from the guides' old paths (and the configured redirects) to their bundle pages. */
  redirects: Redirect[];
  /** The guides' blog, when their mkdocs.yml enables Material's blog plugin. */
  blog?: Blog;
  /** The page made from a repository file, if any. */
  pageForFile(repo: string, filePath: string): CatalogPage | undefined;
  treeOf(repo: string): RepoTree | undefined;
  /**
   * Adds a page that no repository file stands for (generated from the release notes) before rendering. Its URL
   * is made unique like any other; the page is not returned by pageForFile.
   */
  addPage(page: CatalogPage): CatalogPage;
}

export interface CatalogInput {
  config: Config;
  services: { config: RepositoryConfig; content: RepoContent }[];
  guides?: RepoContent;
  releaseNotes?: RepoContent;
  /** Receives problems of the old addresses and redirects (bad targets, collisions, undated blog posts). */
  warnings?: Warning[];
}

const fileKey = (repo: string, filePath: string) => `${repo.toLowerCase()}\0${filePath}`;

/** Release notes live in <path>/YYYY/MM/<name>.md; knownbugs.md beside them is not a release of its own. */
export function releaseVersionOf(releasesPath: string, filePath: string): string | undefined {
  const prefix = releasesPath.replace(/\/+$/, '') + '/';
  if (!filePath.startsWith(prefix)) return undefined;
  const m = /^(\d{4})\/(\d{2})\/([^/]+)$/.exec(filePath.slice(prefix.length));
  if (!m || !isMarkdownPath(m[3]!) || /^knownbugs?\./i.test(m[3]!) || /^readme\./i.test(m[3]!)) return undefined;
  return `${m[1]}.${m[2]}`;
}

export function buildCatalog(input: CatalogInput): Catalog {
  const byFile = new Map<string, CatalogPage>();
  const byUrl = new Map<string, CatalogPage>();
  const repos = new Map<string, RepoContent>();
  const trees = new Map<string, RepoTree>();

  const remember = (content: RepoContent) => {
    const key = content.meta.fullName.toLowerCase();
    if (repos.has(key)) return;
    repos.set(key, content);
    trees.set(key, {
      commitSha: content.commitSha,
      defaultBranch: content.meta.defaultBranch,
      entries: new Map(content.tree.map((e) => [e.path, e])),
    });
  };

  const claimUrl = (page: CatalogPage): CatalogPage => {
    // The root of a service or of the guides would get a sibling ("services/x-2/") that another service can own:
    // its second claimant moves inside instead, under the file's own name ("services/x/readme/").
    // Names too long for a file system are shortened (boundedPath); ordinary ones are kept as they are.
    let wanted = boundedPath(page.url);
    if (byUrl.has(wanted.toLowerCase()) && /^(services\/[^/]+|guides)\/$/.test(wanted)) {
      const name = path.posix.basename(page.doc.path).replace(/\.(md|markdown|mdx)$/i, '');
      wanted = boundedPath(`${wanted}${/^\.*$/.test(name) ? `_${name}` : name}/`);
    }
    let url = wanted;
    for (let n = 2; byUrl.has(url.toLowerCase()); n++) url = wanted.replace(/\/$/, `-${n}/`);
    page.url = url;
    byUrl.set(url.toLowerCase(), page);
    return page;
  };
  // Two files may map to one URL (README.md and readme.md, docs.md and docs/README.md): the first keeps it.
  const claim = (page: CatalogPage): CatalogPage | undefined => {
    const key = fileKey(page.doc.repo, page.doc.path);
    if (byFile.has(key)) return undefined;
    claimUrl(page);
    byFile.set(key, page);
    return page;
  };

  const releases: CatalogPage[] = [];
  if (input.releaseNotes && input.config.releaseNotes) {
    remember(input.releaseNotes);
    for (const doc of input.releaseNotes.documents) {
      const version = releaseVersionOf(input.config.releaseNotes.path, doc.path);
      if (!version) continue;
      const page = claim({ kind: 'release', url: `releases/${version}/`, doc });
      if (page) releases.push(page);
    }
    releases.sort((a, b) => (a.url < b.url ? 1 : -1));
  }

  const guides: CatalogPage[] = [];
  const yml = input.guides && input.config.guides ? input.guides.documents.find((d) => d.path === (input.config.guides!.nav ?? 'mkdocs.yml')) : undefined;
  const mkdocsYml = yml && input.config.guides && { file: `${input.config.guides.repo}/${yml.path}`, text: yml.text };
  if (input.guides && input.config.guides) {
    remember(input.guides);
    const prefix = input.config.guides.path.replace(/\/+$/, '') + '/';
    // Material's blog plugin does not build a draft post unless told to (its `draft` setting): no page, no
    // address; links to it lead to the file on GitHub, as to any file of the repository that is no page.
    const blog = mkdocsYml ? mkdocsSettings(mkdocsYml, []).blog : undefined;
    const unbuiltDraft = (doc: SourceDocument) => !!blog && !blog.buildDrafts && isBlogPost(doc.path.slice(prefix.length), blog) && readPostFrontMatter(doc.text).draft;
    for (const doc of sortedDocs(input.guides.documents)) {
      if (!doc.path.startsWith(prefix) || !isMarkdownPath(doc.path) || unbuiltDraft(doc)) continue;
      const page = claim({ kind: 'guide', url: `guides/${pagePathFor(doc.path.slice(prefix.length))}`, doc });
      if (page) guides.push(page);
    }
  }

  const services: ServiceEntry[] = [];
  const slugs = new Set<string>();
  for (const { config, content } of input.services) {
    remember(content);
    // The URL comes from the configured (validated) name; the source may only have corrected its case.
    const repo = content.meta.fullName.toLowerCase() === config.repo.toLowerCase() ? content.meta.fullName : config.repo;
    const [owner = '', name = ''] = repo.split('/');
    let slug = name;
    if (slugs.has(slug.toLowerCase())) slug = `${owner}-${name}`;
    slugs.add(slug.toLowerCase());
    const service: ServiceEntry = { config, repo, slug, title: config.title ?? name, content, pages: [], apis: [] };
    const docs = sortedDocs(content.documents.filter((d) => isMarkdownPath(d.path)));
    // The README first: it is the service's landing page.
    docs.sort((a, b) => Number(isRootReadme(b.path)) - Number(isRootReadme(a.path)));
    for (const doc of docs) {
      const kind: PageKind = isRootReadme(doc.path) ? 'readme' : 'doc';
      const page = claim({ kind, url: `services/${slug}/${pagePathFor(doc.path)}`, doc, service });
      if (page) service.pages.push(page);
    }
    // The first document is the service's API reference at api/; a second one gets api-2/ and so on.
    for (const doc of sortedDocs(apiDocuments(config, content.documents))) {
      const page = claim({ kind: 'api', url: `services/${slug}/api/`, doc, service });
      if (page) service.pages.push(page), service.apis.push(page);
    }
    services.push(service);
  }

  const pages = [...services.flatMap((s) => s.pages), ...guides, ...releases];
  const { site: oldSite, redirects, blog } = input.config.guides
    ? siteUrls({
        repo: input.config.guides.repo,
        docsDir: input.config.guides.path,
        ...(mkdocsYml && { mkdocsYml }),
        pages: guides.map((p) => ({ path: p.doc.path, url: p.url, text: p.doc.text })),
        fileText: (p) => input.guides!.documents.find((d) => d.path === p)?.text,
        configured: input.config.redirects,
        configFile: input.config.file,
        pageUrls: new Set(pages.map((p) => p.url)),
        warnings: input.warnings ?? [],
      })
    : { site: undefined, redirects: [] };
  return {
    ...(oldSite && { oldSite }),
    ...(blog && { blog }),
    redirects,
    services,
    pages,
    guides,
    releases,
    repos,
    pageForFile: (repo, filePath) => byFile.get(fileKey(repo, filePath)),
    treeOf: (repo) => trees.get(repo.toLowerCase()),
    addPage: (page) => {
      claimUrl(page);
      pages.push(page);
      return page;
    },
  };
}

function isRootReadme(p: string): boolean {
  return /^readme\.(md|markdown|mdx)$/i.test(p);
}

function sortedDocs(docs: SourceDocument[]): SourceDocument[] {
  return [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
