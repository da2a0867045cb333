/**
 * The addresses the guides had on the MkDocs site they were published as (mkdocs.yml `site_url`): each page's
 * path under MkDocs' rules, the blog posts' dated paths, mkdocs-redirects' `redirect_maps` and the `redirects`
 * of sources.json. The bundle writes a redirect page at every such path that no file of its own takes, and
 * links written to the old site resolve into the bundle.
 */
import YAML from 'yaml';
import { warning, type Warning } from '../core/warning.ts';
import { blogPostPath, isBlogPost, postDate, postSlugify, readAuthors, readPostFrontMatter, type Blog, type BlogPost, type BlogSettings } from './blog-posts.ts';

/** One old address and the bundle page it now is. */
export interface Redirect {
  /** Out-relative path: a folder URL ("a/b/") or a file ("a/b.html"). */
  from: string;
  /** Out-relative URL of the bundle page. */
  to: string;
  fragment?: string;
}

/** Plain data (it crosses into render workers): old site prefix and every old path it knows. */
export interface OldSite {
  /** "https://docs.example.org/" (origin plus path, ending in "/"). */
  prefix: string;
  /** [old path, bundle page URL, fragment] for every old address, the ones a bundle page takes included. */
  paths: [string, string, string | undefined][];
}

export interface SiteUrls {
  site?: OldSite;
  /** The redirect pages to write: old paths that no page or file of the bundle takes. */
  redirects: Redirect[];
  /** The blog (Material's blog plugin), when mkdocs.yml enables it. */
  blog?: Blog;
}

/** Top folders and files of the bundle that an old path must not take. */
const RESERVED = /^(?:services|guides|releases|assets|search|pagefind|md)(?:\/|$)|^(?:index\.html|404\.html|robots\.txt|sitemap\.xml|manifest\.json|build-report\.json)$/i;

export interface SiteUrlsInput {
  /** The guides' repository, "owner/name", for messages. */
  repo: string;
  /** The guides' docs folder ("docs") and mkdocs.yml text, when loaded. */
  docsDir: string;
  mkdocsYml?: { file: string; text: string };
  /** Text of another file of the guides' repository (the blog's authors file), when loaded. */
  fileText?: (repoPath: string) => string | undefined;
  /** Guide files (repository paths) with their bundle page URL and text. */
  pages: { path: string; url: string; text: string }[];
  /** sources.json `redirects`: old path -> bundle page URL (optionally with #fragment). */
  configured?: Record<string, string>;
  configFile: string;
  /** Every page URL of the bundle, to keep redirects off real pages. */
  pageUrls: Set<string>;
  warnings: Warning[];
}

export interface MkdocsSettings {
  siteUrl?: string;
  directoryUrls: boolean;
  blog?: BlogSettings;
  redirectMaps: [string, string][];
}

export function mkdocsSettings(yml: SiteUrlsInput['mkdocsYml'], warnings: Warning[]): MkdocsSettings {
  const settings: MkdocsSettings = { directoryUrls: true, redirectMaps: [] };
  if (!yml) return settings;
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = YAML.parse(yml.text, { logLevel: 'silent', uniqueKeys: false, maxAliasCount: 50 });
    data = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return settings; // the navigation reports a file it cannot read
  }
  if (typeof data.site_url === 'string') settings.siteUrl = data.site_url;
  if (data.use_directory_urls === false) settings.directoryUrls = false;
  const plugins = Array.isArray(data.plugins) ? data.plugins : data.plugins && typeof data.plugins === 'object' ? Object.entries(data.plugins).map(([k, v]) => ({ [k]: v })) : [];
  for (const entry of plugins) {
    const [name, options] = typeof entry === 'string' ? [entry, {}] : entry && typeof entry === 'object' ? Object.entries(entry as object)[0] ?? ['', {}] : ['', {}];
    const opts = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
    if (name === 'blog' || name === 'material/blog') {
      if (opts.enabled === false) continue;
      const dir = typeof opts.blog_dir === 'string' ? opts.blog_dir.replace(/^\.?\/+|\/+$/g, '') || 'blog' : 'blog';
      settings.blog = {
        dir,
        authorsFile: typeof opts.authors_file === 'string' ? opts.authors_file.replace(/\{blog\}/g, dir) : `${dir}/.authors.yml`,
        urlFormat: typeof opts.post_url_format === 'string' ? opts.post_url_format : '{date}/{slug}',
        dateFormat: typeof opts.post_url_date_format === 'string' ? opts.post_url_date_format : 'yyyy/MM/dd',
        buildDrafts: opts.draft === true,
      };
    }
    if (name === 'redirects' && opts.redirect_maps && typeof opts.redirect_maps === 'object') {
      for (const [from, to] of Object.entries(opts.redirect_maps as Record<string, unknown>)) {
        if (typeof to === 'string') settings.redirectMaps.push([from, to]);
        else warnings.push(warning(yml.file, 'redirect', `redirect_maps entry "${from}" is not a page path; skipped`));
      }
    }
  }
  return settings;
}

/** A docs-relative Markdown file's path on a MkDocs site: "a/b.md" -> "a/b/", "a/index.md" -> "a/" ("a/b.html" without directory URLs). */
export function mkdocsPagePath(docPath: string, directoryUrls = true): string {
  const stem = docPath.replace(/\.(md|markdown|mdx)$/i, '');
  const slash = stem.lastIndexOf('/');
  const [dir, name] = [stem.slice(0, slash + 1), stem.slice(slash + 1)];
  if (/^(index|readme)$/i.test(name)) return directoryUrls ? dir : `${dir}index.html`;
  return directoryUrls ? `${stem}/` : `${stem}.html`;
}

/** A path a redirect page can be written at: relative, no "." or ".." segment, no backslash or control character. */
function writablePath(p: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\\\u0000-\u001f]/.test(p) && !p.startsWith('/') && p.split('/').every((s, i, all) => (s !== '' || i === all.length - 1) && s !== '.' && s !== '..');
}

/** "a/b" or "/a/b/" or "a/index.html" -> "a/b/" or "a/"; file names (".html", ".htm") kept. */
export function normalizeOldPath(p: string): string {
  let out = p.replace(/^\/+/, '').replace(/(^|\/)index\.html?$/i, '$1');
  if (out && !out.endsWith('/') && !/\.html?$/i.test(out)) out += '/';
  return out;
}

function siteUrlPrefix(siteUrl: string | undefined): string | undefined {
  if (!siteUrl) return undefined;
  try {
    const url = new URL(siteUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.origin}${url.pathname.replace(/\/*$/, '/')}`;
  } catch {
    return undefined;
  }
}

export function siteUrls(input: SiteUrlsInput): SiteUrls {
  const { warnings } = input;
  const settings = mkdocsSettings(input.mkdocsYml, warnings);
  const prefix = `${input.docsDir.replace(/\/+$/, '')}/`;
  const byDocPath = new Map(input.pages.filter((p) => p.path.startsWith(prefix)).map((p) => [p.path.slice(prefix.length), p]));
  const paths = new Map<string, { to: string; fragment?: string; explicit?: { file: string; name: string } }>();
  const ymlFile = input.mkdocsYml?.file ?? input.configFile;
  const pageUrlsLower = new Set([...input.pageUrls].map((u) => u.toLowerCase()));

  /** `explicit.name` labels a listed redirect in messages: `redirects "a/ -> guides/b/"`. */
  const add = (from: string, to: string, fragment: string | undefined, explicit?: { file: string; name: string }) => {
    if (!writablePath(from)) {
      warnings.push(warning(explicit?.file ?? ymlFile, 'redirect', `${explicit?.name ?? `redirect from "${from}"`}: "${from}" is not a path the bundle can write; skipped`));
      return;
    }
    const taken = paths.get(from);
    if (taken) {
      if (explicit) warnings.push(warning(explicit.file, 'redirect', `${explicit.name}: ${from} already leads to ${taken.to}; this one is skipped`));
      return;
    }
    paths.set(from, { to, fragment, ...(explicit && { explicit }) });
  };

  const posts: BlogPost[] = [];
  const authorProblems: string[] = [];
  const authorsPath = settings.blog && `${prefix}${settings.blog.authorsFile}`;
  const authors = settings.blog ? readAuthors(input.fileText?.(authorsPath!), authorProblems) : {};
  for (const message of authorProblems) warnings.push(warning(`${input.repo}/${authorsPath}`, 'blog', message));
  for (const [docPath, page] of byDocPath) {
    if (settings.blog && isBlogPost(docPath, settings.blog)) {
      const post = readPostFrontMatter(page.text);
      const file = `${input.repo}/${page.path}`;
      if (post.draft) continue;
      const where = blogPostPath(post, settings.blog, docPath.replace(/^.*\//, '').replace(/\.\w+$/, ''));
      if ('problem' in where) {
        warnings.push(warning(file, 'blog', `blog post: ${where.problem}; it is left out of the blog and gets no address under ${settings.blog.dir}/`, { line: where.line }));
        continue;
      }
      const unknown = post.authors.filter((a) => !Object.hasOwn(authors, a));
      if (unknown.length) warnings.push(warning(file, 'blog', `blog post: author ${unknown.map((a) => JSON.stringify(a)).join(', ')} is not in ${authorsPath}; shown by id`, { line: post.authorsLine }));
      const [y, m, d] = postDate(post.date) as [number, number, number];
      const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      posts.push({ url: page.url, path: page.path, date, authors: post.authors, categories: post.categories, oldPath: where.path });
      add(where.path, page.url, undefined);
      continue;
    }
    add(mkdocsPagePath(docPath, settings.directoryUrls), page.url, undefined);
  }

  let blog: Blog | undefined;
  if (settings.blog) {
    const dir = settings.blog.dir;
    const indexUrl = byDocPath.get(`${dir}/index.md`)?.url;
    const base = indexUrl ?? `guides/${dir}/`;
    posts.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.path < b.path ? -1 : 1));
    const names = [...new Set(posts.flatMap((p) => p.categories))].sort((a, b) => a.localeCompare(b));
    const categories: Blog['categories'] = [];
    for (const name of names) {
      const slug = postSlugify(name) || 'category';
      const url = `${base}category/${slug}/`;
      if (pageUrlsLower.has(url.toLowerCase()) || categories.some((c) => c.url === url)) {
        warnings.push(warning(ymlFile, 'blog', `blog category "${name}": ${url} is taken by another page or category; it gets no page`));
        continue;
      }
      categories.push({ name, slug, url, oldPath: `${dir}/category/${slug}/` });
      add(`${dir}/category/${slug}/`, url, undefined);
    }
    blog = { dir, ...(indexUrl && { indexUrl }), posts, authors, categories };
  }

  for (const [from, to] of settings.redirectMaps) {
    const name = `redirect_maps "${from} -> ${to}"`;
    const [target, fragment] = splitFragment(to);
    const page = byDocPath.get(target.replace(/^\.?\//, ''));
    if (!page) {
      warnings.push(warning(ymlFile, 'redirect', `${name}: ${/^[a-z][\w+.-]*:|^\/\//i.test(to) ? 'points outside the bundle' : `${target} is no page of the guides`}; skipped`));
      continue;
    }
    add(mkdocsPagePath(from.replace(/^\/+/, ''), settings.directoryUrls), page.url, fragment, { file: ymlFile, name });
  }

  for (const [from, to] of Object.entries(input.configured ?? {})) {
    const name = `redirects "${from} -> ${to}"`;
    const [target, fragment] = splitFragment(to);
    const problem = /^[a-z][\w+.-]*:|^\/\/|^\\/i.test(to)
      ? 'points outside the bundle; a redirect leads to a page of the bundle, e.g. "guides/a/b/"'
      : !pageUrlsLower.has(normalizeOldPath(target).toLowerCase())
        ? `${target} is no page of the bundle (give its URL, e.g. "guides/a/b/")`
        : undefined;
    if (problem) {
      warnings.push(warning(input.configFile, 'redirect', `${name}: ${problem}; skipped`));
      continue;
    }
    const url = [...input.pageUrls].find((u) => u.toLowerCase() === normalizeOldPath(target).toLowerCase())!;
    add(normalizeOldPath(from), url, fragment, { file: input.configFile, name });
  }

  const redirects: Redirect[] = [];
  for (const [from, { to, fragment, explicit }] of paths) {
    if (from === '' || pageUrlsLower.has(from.toLowerCase()) || RESERVED.test(from)) {
      // The site root is the bundle's landing page: it links to the guides itself.
      if (explicit) warnings.push(warning(explicit.file, 'redirect', `${explicit.name}: the bundle has a page at "${from || '/'}", which is kept`));
      continue;
    }
    redirects.push({ from, to, ...(fragment && { fragment }) });
  }
  const sitePrefix = siteUrlPrefix(settings.siteUrl);
  const site = sitePrefix ? { prefix: sitePrefix, paths: [...paths].map(([from, p]) => [from, p.to, p.fragment] as [string, string, string | undefined]) } : undefined;
  return { site, redirects, ...(blog && { blog }) };
}

function splitFragment(target: string): [string, string | undefined] {
  const hash = target.indexOf('#');
  return hash === -1 ? [target, undefined] : [target.slice(0, hash), target.slice(hash + 1) || undefined];
}

/**
 * Reads a link to the old site: its bundle page and fragment, or undefined when the URL is not under the old
 * site's address or names no page it had.
 */
export function oldSiteLookup(site: OldSite | undefined): (url: string) => { targetUrl: string; fragment?: string } | undefined {
  if (!site) return () => undefined;
  const paths = new Map(site.paths.map(([from, to, fragment]) => [from, { to, fragment }]));
  const prefix = site.prefix.replace(/^https?:\/\/(?:www\.)?/i, '').toLowerCase();
  return (url) => {
    const m = /^https?:\/\/(?:www\.)?([^?#]*)(\?[^#]*)?(?:#(.*))?$/i.exec(url);
    if (!m) return undefined;
    const rest = m[1]!.includes('/') ? m[1]! : `${m[1]}/`;
    if (!rest.toLowerCase().startsWith(prefix)) return undefined;
    const bare = rest.slice(prefix.length);
    let decoded: string;
    try {
      decoded = decodeURIComponent(bare);
    } catch {
      return undefined;
    }
    const found = paths.get(normalizeOldPath(decoded));
    if (!found) return undefined;
    let fragment = m[3] ?? found.fragment;
    try {
      fragment = fragment === undefined ? undefined : decodeURIComponent(fragment);
    } catch {
      // kept as written
    }
    return { targetUrl: found.to, ...(fragment && { fragment }) };
  };
}
