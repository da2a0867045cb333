/**
 * Navigation trees: the sidebar of a service (its pages nested by folder) and the guides' own navigation taken
 * from their mkdocs.yml (sidebar.ts derives each page's trail, previous/next and sidebar from them). Everything
 * here works on out-relative page URLs.
 */
import path from 'node:path';
import YAML from 'yaml';
import type { Catalog, CatalogPage, ServiceEntry } from '../catalog/catalog.ts';
import { warning, type Warning } from '../core/warning.ts';
import type { RenderedPage } from '../render/types.ts';
import { humanizeName } from '../render/titles.ts';

export interface NavItem {
  title: string;
  /** Out-relative page URL; absent for a folder or section without a page of its own. */
  url?: string;
  /** External link (mkdocs nav may point outside the site). */
  href?: string;
  children: NavItem[];
  /** Expanded even when the current page is not inside it. */
  open?: boolean;
}

export interface Crumb {
  title: string;
  url?: string;
}

type Rendered = Map<CatalogPage, RenderedPage>;

export function pageTitle(page: CatalogPage, rendered: Rendered): string {
  return rendered.get(page)?.title || path.posix.basename(page.doc.path).replace(/\.[^.]+$/, '');
}

const isFolderPage = (file: string) => /^(readme|index)\.(md|markdown|mdx)$/i.test(path.posix.basename(file));

/** A service's pages ordered by front matter `order`, then path; pages marked hidden are left out. */
export function orderedServicePages(service: ServiceEntry, rendered: Rendered): CatalogPage[] {
  const order = (p: CatalogPage) => {
    const o = rendered.get(p)?.frontMatter.order;
    return typeof o === 'number' && Number.isFinite(o) ? o : Number.POSITIVE_INFINITY;
  };
  return service.pages
    .filter((p) => p.kind !== 'readme' && p.kind !== 'changes' && p.kind !== 'api' && !rendered.get(p)?.frontMatter.hidden)
    .sort((a, b) => order(a) - order(b) || (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : 0));
}

const byTitle = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * The sidebar tree of a service: the README as the root item, then the docs nested by folder. A folder's
 * README/index page becomes the link of the folder item. Inside each folder, pages and folders are listed by
 * front matter `order`, then by title (a folder by its page's title, else its name), as a reader scans them.
 */
export function serviceNav(service: ServiceEntry, rendered: Rendered): NavItem {
  const readme = service.pages.find((p) => p.kind === 'readme');
  const root: NavItem = { title: service.title, url: readme?.url ?? `services/${service.slug}/`, children: [] };
  const folders = new Map<string, NavItem>([['', root]]);
  const folderItem = (dir: string): NavItem => {
    const existing = folders.get(dir);
    if (existing) return existing;
    const parent = folderItem(dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
    const item: NavItem = { title: folderTitle(path.posix.basename(dir)), children: [] };
    parent.children.push(item);
    folders.set(dir, item);
    return item;
  };
  const orderOf = new Map<NavItem, number>();
  for (const page of orderedServicePages(service, rendered)) {
    const dir = path.posix.dirname(page.doc.path) === '.' ? '' : path.posix.dirname(page.doc.path);
    const order = rendered.get(page)?.frontMatter.order;
    if (isFolderPage(page.doc.path) && dir) {
      const item = folderItem(dir);
      if (!item.url) {
        item.url = page.url;
        item.title = pageTitle(page, rendered);
        if (typeof order === 'number' && Number.isFinite(order)) orderOf.set(item, order);
        continue;
      }
    }
    const item: NavItem = { title: pageTitle(page, rendered), url: page.url, children: [] };
    if (typeof order === 'number' && Number.isFinite(order)) orderOf.set(item, order);
    folderItem(dir).children.push(item);
  }
  const rank = (item: NavItem) => orderOf.get(item) ?? Number.POSITIVE_INFINITY;
  // A title's leading emoji or punctuation does not move it to the top.
  const words = (title: string) => title.replace(/^[^\p{L}\p{N}]+/u, '') || title;
  for (const folder of folders.values()) folder.children.sort((a, b) => rank(a) - rank(b) || byTitle.compare(words(a.title), words(b.title)));
  // Most services keep everything under docs/: a lone folder without a page of its own is no useful level.
  while (root.children.length === 1 && !root.children[0]!.url && root.children[0]!.children.length) {
    root.children = root.children[0]!.children;
  }
  // The changes by release (generated from the release notes) lead the list: they are no file of the repository.
  const changes = service.pages.find((p) => p.kind === 'changes');
  // So does the API reference, made from the service's OpenAPI documents (one item each when there are several).
  const apis = service.pages.filter((p) => p.kind === 'api');
  root.children.unshift(...apis.map((p, i) => ({ title: apis.length > 1 ? `API reference ${i + 1}: ${pageTitle(p, rendered)}` : 'API reference', url: p.url, children: [] })));
  if (changes) root.children.unshift({ title: 'Changes by release', url: changes.url, children: [] });
  // Small trees are shown whole; large ones open only along the current page.
  if (service.pages.length <= 40) for (const item of folders.values()) item.open = true;
  return root;
}

/** "additional_documentation" -> "Additional documentation". */
export function folderTitle(name: string): string {
  return humanizeName(name);
}

export interface MkdocsNavOptions {
  /** The mkdocs.yml text. */
  text: string;
  /** Repository of the guides and the folder that MkDocs' docs_dir stands for ("docs"). */
  repo: string;
  docsDir: string;
  catalog: Pick<Catalog, 'pageForFile'>;
  guides: CatalogPage[];
  rendered: Rendered;
  warnings?: Warning[];
  /** Path of the yml in its repository, for warnings. */
  file?: string;
  /** Pages that are listed without the nav naming them (blog posts, under the blog's entry). */
  listedElsewhere?: (url: string) => boolean;
}

/** Pages the warning about pages left out of the nav names; the rest are counted. */
const NAMED_UNLISTED = 10;

/**
 * Bounds of the imported navigation. Every guide page carries the whole tree, so its size multiplies by the
 * number of guides; Gen3's own nav has about 100 entries, 5 levels deep, titles of a few words. The file cap
 * keeps the YAML parser's time and memory small.
 */
export const MKDOCS_NAV_LIMITS = { fileBytes: 1024 * 1024, entries: 1000, depth: 10, titleLength: 200 };

/** A YAML alias inside the node it names (`nav: &a [{Sec: *a}]`) loads as a list that contains itself. */
class NavLoop extends Error {}

/**
 * Imports the `nav` of an mkdocs.yml. Entries are `Title: page.md`, bare `page.md` (titled by the page) or
 * `Section: [...]`; a bare page that opens a section is the section's own page (MkDocs' navigation.indexes).
 * Entries naming pages that are not in the bundle are skipped with a warning. Guide pages the nav does not
 * mention are left out of it, as MkDocs leaves them (they are still built, linked and found by search), with
 * one warning naming them. Without a usable nav every guide is listed by path. A nav past the limits is cut
 * there, with a warning, and the pages it did not reach are appended at the end; one that contains itself
 * through an alias is not used at all.
 */
export function mkdocsNav(options: MkdocsNavOptions): NavItem[] {
  const { repo, docsDir, catalog, rendered } = options;
  const file = `${repo}/${options.file ?? 'mkdocs.yml'}`;
  const warn = (message: string) => options.warnings?.push(warning(file, 'navigation', message));
  const limits = MKDOCS_NAV_LIMITS;
  let data: unknown;
  const bytes = Buffer.byteLength(options.text);
  if (bytes > limits.fileBytes) {
    warn(`${(bytes / 1024 / 1024).toFixed(1)} MB is over the ${limits.fileBytes / 1024 / 1024} MB limit for the navigation file; the guides are listed by path`);
  } else {
    try {
      // MkDocs files carry Python tags (!!python/name:...) that mean nothing here: they load as plain values.
      // An alias bomb is refused by the parser (its maxAliasCount); a nav that loops is found below.
      data = YAML.parse(options.text, { logLevel: 'silent', uniqueKeys: false });
    } catch (error) {
      warn(`cannot read the navigation: ${(error as Error).message}`);
      data = undefined;
    }
  }
  const nav = data && typeof data === 'object' ? (data as Record<string, unknown>).nav : undefined;
  const used = new Set<string>();
  const prefix = docsDir.replace(/\/+$/, '');
  let entries = 0;
  const cut = { entries: false, depth: false };

  const clipTitle = (title: string): string => {
    const chars = [...title];
    return chars.length > limits.titleLength ? `${chars.slice(0, limits.titleLength - 1).join('')}…` : title;
  };

  const pageItem = (target: string, title: string | undefined): NavItem | undefined => {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target)) {
      // Only web links leave the site; anything else (javascript:, data:) is dropped.
      if (/^(https?:\/\/|mailto:)/i.test(target)) return { title: title ?? clipTitle(target), href: target, children: [] };
      warn(`nav entry ${JSON.stringify(target)} is not a web link; left out`);
      return undefined;
    }
    const filePath = path.posix.normalize(prefix ? `${prefix}/${target}` : target);
    const page = catalog.pageForFile(repo, filePath);
    if (!page) {
      warn(`nav entry ${JSON.stringify(target)} names no page of the bundle; left out`);
      return undefined;
    }
    used.add(page.url);
    return { title: title ?? pageTitle(page, rendered), url: page.url, children: [] };
  };

  const counted = (): boolean => {
    if (++entries <= limits.entries) return true;
    cut.entries = true;
    return false;
  };
  /** `within`: the lists being converted, outermost first, `list` last; meeting one of them again is a loop. */
  const convert = (list: unknown[], within: unknown[]): NavItem[] => {
    if (within.length > limits.depth) {
      cut.depth = true;
      return [];
    }
    const items: NavItem[] = [];
    for (const entry of list) {
      if (cut.entries) break;
      if (typeof entry === 'string') {
        if (!counted()) break;
        const item = pageItem(entry, undefined);
        if (item) items.push(item);
      } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        for (const [rawTitle, value] of Object.entries(entry as Record<string, unknown>)) {
          if (!counted()) break;
          const title = clipTitle(rawTitle);
          if (typeof value === 'string') {
            const item = pageItem(value, title);
            if (item) items.push(item);
          } else if (Array.isArray(value)) {
            if (within.includes(value)) throw new NavLoop();
            // A section that opens with a bare page uses it as its own page (navigation.indexes).
            const first = value[0];
            const opensWithPage = typeof first === 'string' && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(first);
            const own = opensWithPage ? pageItem(first, title) : undefined;
            const children = convert(opensWithPage ? value.slice(1) : value, [...within, value]);
            const section: NavItem = { title, url: own?.url, children };
            if (section.url || section.children.length) items.push(section);
          }
        }
      } else if (!counted()) break;
    }
    return items;
  };

  let items: NavItem[] = [];
  try {
    items = Array.isArray(nav) ? convert(nav, [nav]) : [];
  } catch (error) {
    if (!(error instanceof NavLoop)) throw error;
    warn('`nav` contains itself through a YAML alias (an anchor used inside its own list); the guides are listed by path');
    used.clear();
    items = [];
  }
  if (nav !== undefined && !Array.isArray(nav)) warn('`nav` is not a list; the guides are listed by path');
  if (cut.depth) warn(`\`nav\` is nested deeper than ${limits.depth} levels; the deeper sections are left out and their pages listed at the end`);
  if (cut.entries) warn(`\`nav\` has more than ${limits.entries} entries; the rest are left out and their pages listed at the end`);
  const left = options.guides.filter((page) => !used.has(page.url) && !rendered.get(page)?.frontMatter.hidden && !options.listedElsewhere?.(page.url));
  if (Array.isArray(nav) && items.length && !cut.depth && !cut.entries) {
    // As MkDocs does: built, found by links and search, but not in the navigation the file gives.
    if (left.length) {
      const named = left.slice(0, NAMED_UNLISTED).map((p) => p.doc.path.slice(prefix ? prefix.length + 1 : 0));
      const more = left.length > NAMED_UNLISTED ? ` and ${left.length - NAMED_UNLISTED} more` : '';
      warn(`\`nav\` does not list ${left.length === 1 ? 'a page' : `${left.length} pages`} of ${prefix || 'the docs'}/ (${named.join(', ')}${more}); ${left.length === 1 ? 'it is' : 'they are'} built but left out of the sidebar, as MkDocs does: add ${left.length === 1 ? 'it' : 'them'} to \`nav\` to list ${left.length === 1 ? 'it' : 'them'}`);
    }
    return items;
  }
  for (const page of left) items.push({ title: pageTitle(page, rendered), url: page.url, children: [] });
  return items;
}

