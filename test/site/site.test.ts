import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { visit } from 'unist-util-visit';
import type { Root } from 'mdast';
import { build } from '../../src/build.ts';
import { buildCatalog, type CatalogPage, type ServiceEntry } from '../../src/catalog/catalog.ts';
import { mkdocsNav, serviceNav, type NavItem } from '../../src/compose/nav.ts';
import { SectionNav } from '../../src/compose/sidebar.ts';
import { latestVersionTag, findGuide, renderLanding, resolveLink } from '../../src/compose/landing.ts';
import { sitemapXml } from '../../src/compose/site.ts';
import type { Warning } from '../../src/core/warning.ts';
import type { RenderedPage } from '../../src/render/types.ts';
import { fixtureConfig, fixtureSource, MKDOCS_YML } from './fixture.ts';

const SHARED = path.resolve(process.env.SHARED_DIR ?? path.join(import.meta.dirname, '../../../shared'));
const REFERENCE = path.join(SHARED, 'reference/gen3-docs-index.md');
const CHECKER = path.join(SHARED, 'tools/check-bundle.py');

function fakeRendered(pages: CatalogPage[]): Map<CatalogPage, RenderedPage> {
  const map = new Map<CatalogPage, RenderedPage>();
  for (const p of pages) {
    const text = p.doc.text;
    const order = /^order:\s*(\d+)/m.exec(text)?.[1];
    map.set(p, {
      html: '',
      title: /^# (.*)$/m.exec(text)?.[1] ?? p.doc.path,
      description: '',
      toc: [],
      frontMatter: { order: order ? Number(order) : undefined, hidden: /^hidden:\s*true/m.test(text) || undefined },
      ids: [],
      crossLinks: [],
      warnings: [],
      stats: { linksRewritten: 0, linksBroken: 0 },
      sourceUrl: p.doc.sourceUrl,
      commit: p.doc.commitSha,
    });
  }
  return map;
}

async function fixtureCatalog() {
  const source = fixtureSource();
  const config = fixtureConfig();
  const services = await Promise.all(
    config.repositories.map(async (c) => ({ config: c, content: await source.loadRepository({ repo: c.repo, include: ['README.md', 'docs/**/*.md'], exclude: [], tags: true }) })),
  );
  const guides = await source.loadRepository({ repo: 'acme/guides', include: ['docs/**/*.md', 'mkdocs.yml'], exclude: [], tags: false });
  const releaseNotes = await source.loadRepository({ repo: 'acme/manifest', include: ['releases/**/*.md'], exclude: [], tags: false });
  const catalog = buildCatalog({ config, services, guides, releaseNotes });
  return { catalog, rendered: fakeRendered(catalog.pages) };
}

/** Attribute names of every start tag (quoted values skipped, so escaped text inside them is not mistaken for markup). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][\w-]*((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g)) {
    for (const attr of tag[1]!.matchAll(/\s+([^\s=>"'/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g)) names.push(attr[1]!.toLowerCase());
  }
  return names;
}

const strip = (items: NavItem[]): unknown[] =>
  items.map((i) => ({ title: i.title, ...(i.url ? { url: i.url } : {}), ...(i.href ? { href: i.href } : {}), ...(i.children.length ? { children: strip(i.children) } : {}) }));

describe('mkdocs navigation import', () => {
  it('keeps the nav order and sections, skips missing and unsafe entries, leaves out pages the nav does not list', async () => {
    const { catalog, rendered } = await fixtureCatalog();
    const warnings: Warning[] = [];
    const nav = mkdocsNav({ text: MKDOCS_YML, repo: 'acme/guides', docsDir: 'docs', catalog, guides: catalog.guides, rendered, warnings });
    expect(strip(nav)).toEqual([
      { title: 'Home', url: 'guides/' },
      { title: 'Start here', url: 'guides/start/', children: [{ title: 'Install', url: 'guides/start/install/' }] },
      { title: 'Developer Guide', children: [{ title: 'Contribute Code', url: 'guides/gen3-resources/developer-guide/contribute/' }] },
      { title: 'Bare page', url: 'guides/start/bare/' },
      { title: 'Demo site', href: 'https://demo.example.org/' },
      { title: 'Orphan', url: 'guides/orphan/' },
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      'nav entry "start/gone.md" names no page of the bundle; left out',
      'nav entry "javascript:alert(1)" is not a web link; left out',
      '`nav` does not list a page of docs/ (contact.md); it is built but left out of the sidebar, as MkDocs does: add it to `nav` to list it',
    ]);
    expect(warnings.every((w) => w.ruleId === 'navigation' && w.file === 'acme/guides/mkdocs.yml')).toBe(true);
    expect(new SectionNav(nav, { contentsUrl: 'guides/all-pages/' }).order.map((i) => i.url)).toEqual([
      'guides/',
      'guides/start/',
      'guides/start/install/',
      'guides/gen3-resources/developer-guide/contribute/',
      'guides/start/bare/',
      'guides/orphan/',
    ]);
  });

  it('survives a file without nav and a file that is not YAML', async () => {
    const { catalog, rendered } = await fixtureCatalog();
    for (const text of ['site_name: x\n', '{ nav: [', '']) {
      const nav = mkdocsNav({ text, repo: 'acme/guides', docsDir: 'docs', catalog, guides: catalog.guides, rendered, warnings: [] });
      expect(nav).toHaveLength(catalog.guides.length);
    }
  });
});

describe('service sidebar', () => {
  it('orders by front matter order, then path; nests folders; leaves hidden pages out', async () => {
    const { catalog, rendered } = await fixtureCatalog();
    const widget = catalog.services.find((s) => s.repo === 'acme/widget')!;
    const nav = serviceNav(widget, rendered);
    expect(nav.url).toBe('services/widget/');
    // The lone docs/ folder is not a level of its own.
    expect(strip(nav.children)).toEqual([
      { title: 'Beta', url: 'services/widget/docs/b/' },
      { title: 'Alpha', url: 'services/widget/docs/a/' },
      { title: 'Gamma', url: 'services/widget/docs/c/' },
      { title: 'Sub folder', url: 'services/widget/docs/sub/', children: [{ title: 'Delta', url: 'services/widget/docs/sub/d/' }] },
    ]);
  });

  it('lists pages and folders by title, not by file name, the README first and front matter order before titles', () => {
    // File names in capitals sort before lower case ones; a folder's README titles the folder.
    const files: [string, string, number?][] = [
      ['README.md', 'svc'],
      ['docs/SECRETS.md', 'Secrets'],
      ['docs/PRODUCTION.md', 'Production'],
      ['docs/databases.md', 'Databases'],
      ['docs/etl.md', 'ETL'],
      ['docs/crc.md', '🧪 Running locally'],
      ['docs/zz-first.md', 'Read me first', 1],
      ['docs/page10.md', 'Page 10'],
      ['docs/page9.md', 'Page 9'],
      ['docs/portal/README.md', 'Building the portal'],
      ['docs/portal/b.md', 'Zebra'],
      ['docs/portal/a.md', 'Yak'],
    ];
    const service = { repo: 'acme/svc', slug: 'svc', title: 'svc', pages: [] as CatalogPage[], apis: [] } as unknown as ServiceEntry;
    const rendered = new Map<CatalogPage, RenderedPage>();
    for (const [file, title, order] of files) {
      const url = `services/svc/${file === 'README.md' ? '' : `${file.replace(/(\/README)?\.md$/, '')}/`}`;
      const page = { kind: file === 'README.md' ? 'readme' : 'doc', url, doc: { repo: 'acme/svc', path: file }, service } as CatalogPage;
      service.pages.push(page);
      rendered.set(page, { title, frontMatter: order ? { order } : {} } as RenderedPage);
    }
    const titles = (items: NavItem[]): unknown[] => items.map((i) => (i.children.length ? [i.title, titles(i.children)] : i.title));
    const nav = serviceNav(service, rendered);
    expect(nav.url).toBe('services/svc/');
    expect(titles(nav.children)).toEqual(['Read me first', ['Building the portal', ['Yak', 'Zebra']], 'Databases', 'ETL', 'Page 9', 'Page 10', 'Production', '🧪 Running locally', 'Secrets']);
  });
});

describe('catalog card data', () => {
  it('takes the highest semantic-version tag, ignoring calendar tags', () => {
    expect(latestVersionTag([{ name: '2026.09' }, { name: '13.2.0' }, { name: 'v9.10.1' }, { name: '13.10.0' }])).toBe('13.10.0');
    expect(latestVersionTag([{ name: '1.0.0-rc.1' }, { name: '1.0.0' }])).toBe('1.0.0');
    expect(latestVersionTag([{ name: 'gen3-0.3.90' }, { name: '2026.07' }, { name: '2025.01.24' }])).toBeUndefined();
  });

  it('resolves landing link targets into the bundle, with fallbacks', async () => {
    const { catalog } = await fixtureCatalog();
    expect(findGuide(catalog, 'developer-guide/contribute.md')?.url).toBe('guides/gen3-resources/developer-guide/contribute/');
    expect(resolveLink({ release: 'latest' }, catalog)).toBe('releases/2026.07/index.html');
    expect(resolveLink({ guide: 'nope.md', fallback: 'https://x.example/' }, catalog)).toBe('https://x.example/');
    expect(resolveLink({ page: 'services/' }, catalog, 'guides/start/')).toBe('../../services/index.html');
    expect(resolveLink({ service: 'acme/widget', fallback: 'https://x.example/' }, catalog)).toBe('services/widget/index.html');
    expect(resolveLink({ service: 'acme/absent', fallback: 'https://x.example/' }, catalog)).toBe('https://x.example/');
  });

  it('reads the hub cards of the landing page, warning about entries it cannot use', async () => {
    const { catalog } = await fixtureCatalog();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'landing-'));
    const file = path.join(dir, 'landing.md');
    writeFileSync(
      file,
      [
        '---',
        'links: { chat: "https://chat.example/", latest: { release: latest }, widget: { service: acme/widget } }',
        'start:',
        '  - { title: Build, text: Make things., links: [{ text: Widget, link: widget }, { text: Gone, link: missing }] }',
        '  - just a string',
        'community:',
        '  - { title: Chat, text: Talk., links: [{ text: Join, link: chat }, { text: News, link: latest }] }',
        '---',
        'Body.',
      ].join('\n'),
    );
    const warnings: Warning[] = [];
    const landing = renderLanding(catalog, warnings, file);
    rmSync(dir, { recursive: true });
    expect(landing.start).toEqual([{ title: 'Build', text: 'Make things.', links: [{ text: 'Widget', url: 'services/widget/' }] }]);
    expect(landing.community[0]!.links).toEqual([
      { text: 'Join', href: 'https://chat.example/' },
      { text: 'News', url: 'releases/2026.07/' },
    ]);
    expect(warnings.map((w) => w.message)).toEqual(['start[0].links[1]: names no target listed under links (missing)', 'start[1]: needs a title and a list of links']);
  });
});

describe('built site', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof build>>;
  const read = (p: string) => readFileSync(path.join(out, p), 'utf8');
  const htmlFiles = () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.html')) files.push(path.relative(out, full));
      }
    };
    walk(out);
    return files;
  };

  beforeAll(async () => {
    out = path.join(mkdtempSync(path.join(os.tmpdir(), 'site-test-')), 'out');
    const config = fixtureConfig({ origin: 'https://docs.example.org', baseUrl: '/docs/' });
    config.site.title = `Acme <b>&amp;</b> "Docs"`;
    result = await build({ config, source: fixtureSource(), outDir: out, search: false });
  }, 60_000);
  afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

  it('writes the chrome files', () => {
    for (const f of ['index.html', 'services/index.html', 'releases/index.html', 'search/index.html', '404.html', 'sitemap.xml', 'robots.txt', 'assets/site.css', 'assets/site.js', 'assets/favicon.svg']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    expect(read('robots.txt')).toContain('Sitemap: https://docs.example.org/docs/sitemap.xml');
  });

  it('escapes hostile titles, descriptions and section names everywhere', () => {
    expect(attributeNames(`<img src="a" onerror=alert(1)><p title="<b onclick=x>">`)).toEqual(['src', 'onerror', 'title']);
    for (const file of htmlFiles()) {
      const html = read(file);
      expect(html, file).not.toContain('<script>alert');
      expect(attributeNames(html).filter((a) => a.startsWith('on')), file).toEqual([]);
      expect(html, file).not.toContain('</title><img');
      expect(html, file).not.toContain('<b>&amp;</b>');
      // The site's only inline script is the theme snippet, identical everywhere.
      const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      expect(inline.length, file).toBe(1);
    }
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39; &lt;/title&gt;&lt;img';
    // A front matter title and description reach the page as they are: title tag, meta, breadcrumbs, sidebar.
    const orphan = read('guides/orphan/index.html');
    expect(orphan).toContain(`<title>${escaped}`);
    expect(orphan).toContain(`<meta name="description" content="${escaped}`);
    expect(orphan).toContain(`<span aria-current="page">${escaped}`);
    expect(orphan).toContain(`aria-current="page">${escaped}`);
    expect(read('guides/index.html')).toContain(`<a href="../guides/orphan/index.html">${escaped}`.replace('../guides/', ''));
    // The guides' home page is their index: titled by the guides, its breadcrumbs Home / Guides.
    const guidesIndex = read('guides/index.html');
    expect(guidesIndex).toMatch(/<title>Guides · /);
    expect(/<nav class="breadcrumbs"[\s\S]*?<\/nav>/.exec(guidesIndex)?.[0].replace(/\s+/g, ' ')).toBe(
      '<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol> <li><a href="../index.html">Home</a></li><li><span aria-current="page">Guides</span></li> </ol></nav>',
    );
    // The repository description and the configured section name on the catalog's cards; the section name in
    // the landing page's list of services.
    expect(read('services/index.html')).toContain(`<p class="card-text">${escaped}`);
    expect(read('services/index.html')).toContain(`Core ${escaped}`);
    expect(read('index.html')).toContain(`<dt>Core ${escaped}`);
    // The site title from the config.
    expect(read('index.html')).toContain('<title>Acme &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;Docs&quot;</title>');
  });

  it('puts where to start, the community, the latest release and the services on the landing page', () => {
    const landing = read('index.html');
    expect(landing).toContain('<h2 id="start-heading">Where to start</h2>');
    expect(landing).toContain('<h2 id="community-heading">Community</h2>');
    // The services as a list of links; their cards, versions and dates are the catalog's.
    expect(landing).toMatch(/<li><a href="services\/widget\/index.html">[^<]+<\/a><\/li>/);
    expect(landing).not.toContain('class="card-text"');
    const catalogPage = read('services/index.html');
    expect(catalogPage).toContain('<code>13.3.0-rc.1</code>');
    expect(catalogPage).toContain('<time datetime="2026-05-04">2026-05-04</time>');
    expect(catalogPage).toContain('Configured description');
    // Every page's footer names the community channels, linked relative to that page.
    const deep = read('services/widget/docs/b/index.html');
    expect(deep).toMatch(/<nav class="footer-community" aria-label="Community">[\s\S]*?<a href="https:\/\/docs.google.com\/forms\/[^"]+">Slack<\/a>/);
    expect(deep).toContain('<a href="../../../../releases/2026.07/index.html">Release notes</a>');
    // The date of the last change where the source gave one, and nothing where it did not.
    expect(read('services/widget/index.html')).toContain('Last updated <time datetime="2026-04-30">2026-04-30</time>');
    expect(deep).not.toContain('Last updated');
    expect(landing).toMatch(/Gen3 2026\.07 · Zircon/);
    expect(landing).toContain('href="releases/2026.07/index.html#uc-cdisindexd"');
    expect(landing).toContain('href="guides/gen3-resources/developer-guide/contribute/index.html"');
    expect(landing).toContain('href="guides/contact/index.html"');
  });

  it('links pages with prev/next, breadcrumbs and a table of contents', () => {
    const b = read('services/widget/docs/b/index.html');
    expect(b).toMatch(/<a class="pager-prev" href="..\/..\/index.html" rel="prev">/);
    expect(b).toMatch(/<a class="pager-next" href="..\/a\/index.html" rel="next">/);
    const install = read('guides/start/install/index.html');
    expect(install).toContain('<a href="#requirements">Requirements</a>');
    expect(install).toMatch(/<a href="..\/index.html">Start here<\/a>/);
    expect(install).toMatch(/rel="next"><span>Next<\/span>Contribute Code/);
  });

  it('builds a guide that mkdocs.yml nav does not list, without putting it in the sidebar', () => {
    const contact = read('guides/contact/index.html');
    expect(contact).toContain('<h1');
    expect(contact).toContain('Contact us');
    // No page's sidebar links it, and it has no place in the reading order.
    const sidebarOf = (html: string) => /<nav id="sidebar-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    expect(sidebarOf(read('guides/index.html'))).toContain('orphan/index.html');
    expect(sidebarOf(read('guides/index.html'))).not.toContain('contact/');
    expect(sidebarOf(contact)).not.toContain('contact/');
    expect(contact).not.toMatch(/class="pager-(prev|next)"/);
    expect(read('sitemap.xml')).toContain('<loc>https://docs.example.org/docs/guides/contact/</loc>');
    expect(result.warnings.filter((w) => w.ruleId === 'navigation' && w.message.includes('does not list'))).toEqual([
      expect.objectContaining({ file: 'acme/guides/mkdocs.yml', message: expect.stringContaining('(contact.md)') }),
    ]);
  });

  it('writes 404.html with absolute links under the base path', () => {
    const html = read('404.html');
    expect(html).toContain('href="/docs/assets/site.css"');
    expect(html).toContain('href="/docs/services/index.html"');
    expect(html).not.toContain('data-pagefind-body');
  });

  it('lists every page in the sitemap with absolute, escaped URLs', () => {
    const xml = read('sitemap.xml');
    expect(xml).toContain('<loc>https://docs.example.org/docs/</loc>');
    expect(xml).toContain('<loc>https://docs.example.org/docs/services/widget/docs/sub/d/</loc>');
    expect(xml).not.toContain('search/');
    expect(xml).not.toMatch(/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/);
    expect(sitemapXml({ title: 't', baseUrl: '/', origin: 'https://a.org' }, ['x&y/'])).toContain('<loc>https://a.org/x%26y/</loc>');
    expect(sitemapXml({ title: 't', baseUrl: '/' }, ['a/'])).toBeUndefined();
    expect(result.warnings.some((w) => w.file === 'sitemap.xml')).toBe(false);
  });

  it.skipIf(!existsSync(CHECKER) || spawnSync('python3', ['--version']).status !== 0)('passes the outside bundle checker', async () => {
    // At the root base path, where the checker can follow 404.html's absolute links too.
    const rootOut = path.join(path.dirname(out), 'root-out');
    await build({ config: fixtureConfig(), source: fixtureSource(), outDir: rootOut, search: false });
    const run = spawnSync('python3', [CHECKER, rootOut], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/broken_links=0 broken_anchors=0 unsafe=0/);
  });

  it.skipIf(!existsSync(REFERENCE))('carries every link of the reference Gen3 docs home page', () => {
    const tree = unified().use(remarkParse).parse(readFileSync(REFERENCE, 'utf8')) as Root;
    const urls = new Set<string>();
    visit(tree, (node) => {
      if ((node.type === 'link' || node.type === 'definition') && 'url' in node) urls.add(node.url as string);
    });
    expect(urls.size).toBeGreaterThan(10);
    // Links the reference makes relative to its own site map into this bundle.
    const mapped: Record<string, string> = {
      'gen3.org': 'https://gen3.org',
      '../contact.md': 'guides/contact/index.html',
      'developer-guide/contribute.md': 'guides/gen3-resources/developer-guide/contribute/index.html',
    };
    const landing = read('index.html');
    for (const url of urls) {
      const href = mapped[url] ?? url;
      expect(landing, url).toContain(`href="${href.replace(/&/g, '&amp;')}"`);
    }
    // The release notes link lands on the newest release of the bundle as well.
    expect(landing).toContain('href="releases/2026.07/index.html"');
  });
});
