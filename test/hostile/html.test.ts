/**
 * Hostile text end to end: the renderer's XSS vectors, and titles, descriptions, section names and file names
 * that carry markup, template syntax and javascript: URLs, through a whole CLI build. Each output context is
 * checked with a parser: HTML pages (title, meta description, headings, breadcrumbs, sidebar, cards), JSON
 * (manifest), XML (sitemap, feed) and the search index.
 */
import { humanizeName } from '../../src/render/titles.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeParts } from '../render/unsafe.ts';
import { vectors } from '../render/xss-vectors.ts';
import { runCli } from '../support/cli.ts';
import { checkBundle, makeHostileSnapshot, type HostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';
import { CLOBBERING_PAGE, DOCUMENT_PROPERTIES, WINDOW_PROPERTIES, clobberingRepo } from '../support/clobbering.ts';

afterAll(removeTemporaryFolders);

const TITLE = '"><script>alert(1)</script></title><script>alert(2)</script> &lt; {{ 7*7 }} {% raw %}';
const DESCRIPTION = "javascript:alert(3) ' onmouseover='alert(4) \"><img src=x onerror=alert(5)> {{ 7*7 }} {% endraw %}";
const REPO_DESCRIPTION = '</p><script>alert(6)</script>{{ 7*7 }}{% include "x" %}';
const SECTION = '</h2><script>alert(7)</script>{{ 7*7 }}';

/** File names with markup: '/' is the one character Git forbids in a name. */
const NAMES = ['"><img src=x onerror=alert(1)>', '{{ 7*7 }}', '{% raw %}', 'javascript:alert(1)', '&lt;', '<title>x'];

/**
 * The site's own scripts: assets/site.js (relative, or under the base path on 404.html), assets/sidebar.js, a large
 * section's tree (<section>/all-pages/nav.js) and Pagefind's.
 */
const SITE_SCRIPT = /^(\.\.\/)*(assets\/(site|sidebar)\.js$|pagefind\/|([\w.-]+\/)*all-pages(-\d+)?\/nav\.js$)|^\/(assets\/site\.js$|pagefind\/)/;
const URL_ATTRS = ['href', 'src', 'action', 'formAction', 'srcSet', 'poster', 'cite', 'data', 'xLinkHref'];

function htmlFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlFiles(dir, rel));
    else if (e.name.endsWith('.html')) out.push(rel);
  }
  return out;
}

/** What could run in a built page: scripts other than the site's own, handlers, script URLs, frames. */
function unsafeInPage(tree: Root, inlineScripts: Set<string>): string[] {
  const problems: string[] = [];
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'script') {
      const src = node.properties.src;
      if (typeof src === 'string') {
        if (!SITE_SCRIPT.test(src)) problems.push(`script src=${src}`);
      } else inlineScripts.add(toString(node));
    }
    if (['iframe', 'object', 'embed', 'base', 'frame', 'applet'].includes(node.tagName)) problems.push(`<${node.tagName}>`);
    if (node.tagName === 'meta' && String(node.properties.httpEquiv ?? '').toLowerCase() === 'refresh') problems.push('meta refresh');
    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on/i.test(key)) problems.push(`${node.tagName}[${key}]`);
      if (URL_ATTRS.includes(key) && value != null) {
        for (const v of Array.isArray(value) ? value.map(String) : String(value).split(',')) {
          if (/^(javascript|vbscript|data):/i.test(v.replace(/[\u0000-\u0020]/g, ''))) problems.push(`${node.tagName}[${key}=${v.slice(0, 30)}]`);
        }
      }
    }
  });
  return problems;
}

function select(tree: Root | Element, test: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (e: Element) => {
    if (test(e)) found.push(e);
  });
  return found;
}

const hasClass = (e: Element, c: string) => Array.isArray(e.properties.className) && e.properties.className.includes(c);

describe('hostile text through a whole build', () => {
  let snap: HostileSnapshot;
  let run: ReturnType<typeof runCli>;
  const page = (url: string): Root => fromHtml(readFileSync(path.join(snap.out, url, 'index.html'), 'utf8'));

  beforeAll(() => {
    snap = makeHostileSnapshot(
      [
        {
          name: 'inject',
          description: REPO_DESCRIPTION,
          files: [
            { path: 'README.md', content: `---\ntitle: ${JSON.stringify(TITLE)}\ndescription: ${JSON.stringify(DESCRIPTION)}\n---\n\nIntro.\n\n- [vectors](docs/vectors/0.md)\n` },
            // One page per vector, as the renderer's own test has them: combined, one vector's leftovers
            // would be another's text.
            ...vectors.map((v, i) => ({ path: `docs/vectors/${i}.md`, content: `# Vector ${i}\n\n${v.input}\n` })),
            { path: 'docs/heading.md', content: `# ${TITLE.replace(/[<>]/g, (c) => `\\${c}`)}\n\n## ${TITLE}\n\nText.\n` },
            ...NAMES.map((n) => ({ path: `docs/${n}.md`, content: `No heading in ${n}: the file name is the title.\n` })),
          ],
          entry: { section: SECTION },
        },
        { name: 'plain', description: null, files: [{ path: 'README.md', content: `# Plain\n\n${DESCRIPTION}\n` }] },
      ],
      { site: { title: 'Docs' } },
    );
    run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out, '--site-url', 'https://docs.example.org/']);
  }, 180_000);

  it('builds', () => {
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
  });

  it('leaves nothing that could run in any page: only the site\'s own scripts, no handlers, no script URLs', () => {
    const inline = new Set<string>();
    const files = htmlFiles(snap.out);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const tree = fromHtml(readFileSync(path.join(snap.out, file), 'utf8'));
      expect(unsafeInPage(tree, inline), file).toEqual([]);
    }
    // The one inline script is the theme snippet of the layout, the same on every page.
    expect(inline.size).toBe(1);
    expect([...inline][0]).toMatch(/^try\{var t=localStorage\.getItem\("gen3-docs-theme"\)/);
  });

  it.each(vectors.map((v, i) => ({ ...v, i })))('keeps renderer XSS vector $i ($name) inert in its built page', ({ i, drops, keeps }) => {
    const html = readFileSync(path.join(snap.out, `services/inject/docs/vectors/${i}/index.html`), 'utf8');
    const article = /<article class="markdown-body">([\s\S]*)<\/article>/.exec(html)![1]!;
    expect(unsafeParts(article), article).toEqual([]);
    for (const bad of drops ?? []) expect(article.toLowerCase(), article).not.toContain(bad.toLowerCase());
    if (keeps) expect(article).toContain(keeps);
  });

  it('shows a hostile title as text in the title tag, the H1, the breadcrumbs and the sidebar', () => {
    const tree = page('services/inject/');
    expect(toString(select(tree, (e) => e.tagName === 'title')[0]!)).toBe(`${TITLE} · Docs`);
    expect(toString(select(tree, (e) => e.tagName === 'h1')[0]!)).toBe(TITLE);
    const crumbs = select(tree, (e) => e.tagName === 'nav' && hasClass(e, 'breadcrumbs'))[0]!;
    expect(toString(crumbs)).toContain(TITLE);
    // Template syntax was not evaluated: the exact text above still holds "{{ 7*7 }}" and "{% raw %}".
    // The sidebar lists the pages by title: file names and a heading, with `&lt;` read as Markdown reads it.
    const sidebar = select(page('services/inject/docs/vectors/0/'), (e) => e.tagName === 'nav' && e.properties.id === 'sidebar-nav')[0]!;
    const items = select(sidebar, (e) => e.tagName === 'a' || e.tagName === 'summary').map((e) => toString(e).trim());
    for (const name of NAMES) expect(items).toContain(humanizeName(name));
    expect(items).toContain(TITLE.replace('&lt;', '<'));
  });

  it('puts a hostile description into the meta tag as an attribute value, whole', () => {
    const meta = select(page('services/inject/'), (e) => e.tagName === 'meta' && e.properties.name === 'description')[0]!;
    expect(meta.properties.content).toBe(DESCRIPTION);
  });

  it('shows hostile section names and descriptions on the services cards, and section names on the landing page, as text', () => {
    const services = page('services/');
    expect(select(services, (e) => /^h[23]$/.test(e.tagName) && toString(e) === SECTION)).toHaveLength(1);
    const card = select(services, (e) => e.tagName === 'li' && hasClass(e, 'card') && toString(e).includes('inject'))[0]!;
    expect(toString(select(card, (e) => e.tagName === 'p')[0]!)).toBe(REPO_DESCRIPTION);
    // The landing page lists the services by section, the section's name as a term of its own.
    expect(select(page(''), (e) => e.tagName === 'dt' && toString(e) === SECTION)).toHaveLength(1);
  });

  it('turns hostile file names into pages titled with the name, as text, at working URLs', () => {
    const manifest = JSON.parse(readFileSync(path.join(snap.out, 'manifest.json'), 'utf8')) as { pages: { url: string; title: string; path: string }[] };
    for (const name of NAMES) {
      const entry = manifest.pages.find((p) => p.path === `docs/${name}.md`)!;
      expect(entry.url).toBe(`services/inject/docs/${name}/`);
      // Titled by the file name as words (a page without a heading of its own), the text exactly as written.
      const title = humanizeName(name);
      expect(entry.title).toBe(title);
      const tree = page(entry.url);
      expect(toString(select(tree, (e) => e.tagName === 'h1')[0]!)).toBe(title);
      expect(toString(select(tree, (e) => e.tagName === 'title')[0]!)).toBe(`${title} · Docs`);
    }
  });

  it('writes manifest.json as valid JSON holding the titles unchanged', () => {
    const text = readFileSync(path.join(snap.out, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(text) as { pages: { url: string; title: string }[] };
    expect(manifest.pages.find((p) => p.url === 'services/inject/')!.title).toBe(TITLE);
  });

  it('escapes the sitemap: well-formed XML whose locations are the page URLs', () => {
    const xml = readFileSync(path.join(snap.out, 'sitemap.xml'), 'utf8');
    const python = spawnSync('python3', ['-c', 'import sys,xml.etree.ElementTree as E;r=E.parse(sys.argv[1]).getroot();print("\\n".join(l.text for l in r.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")))', path.join(snap.out, 'sitemap.xml')], { encoding: 'utf8' });
    const locs = python.status === 0 ? python.stdout.trim().split('\n') : [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))));
    expect(xml).not.toMatch(/<(?!\/?(url|loc|urlset)\b|\?xml)/);
    for (const name of NAMES) {
      const loc = `https://docs.example.org/services/inject/docs/${encodeURIComponent(name)}/`;
      expect(locs).toContain(loc);
    }
    for (const loc of locs) expect(() => new URL(loc)).not.toThrow();
  });

  it('escapes the Atom feed when there is one', () => {
    const feed = path.join(snap.out, 'releases/feed.xml');
    if (!existsSync(feed)) return;
    const python = spawnSync('python3', ['-c', 'import sys,xml.etree.ElementTree as E;E.parse(sys.argv[1])', feed]);
    if (python.status !== null) expect(python.status).toBe(0);
  });

  it('keeps hostile text as data in the search index, and the search UI never parses it as HTML', () => {
    const dir = path.join(snap.out, 'pagefind/fragment');
    const fragments = readdirSync(dir).map((f) => {
      const bytes = gunzipSync(readFileSync(path.join(dir, f)));
      // Pagefind prefixes each fragment with a signature before the JSON.
      return JSON.parse(bytes.toString('utf8').replace(/^pagefind_dcd/, '')) as { url: string; content: string; meta: { title?: string } };
    });
    expect(fragments.find((f) => f.url.endsWith('/services/inject/index.html'))!.meta.title).toBe(TITLE);
    expect(fragments.find((f) => f.url.endsWith('/services/index.html'))!.content).toContain(SECTION);
    // Titles go in with textContent; excerpts are parsed inertly and only their text and <mark>s are kept.
    const js = readFileSync(path.join(snap.out, 'assets/site.js'), 'utf8');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(js).toContain("span('search-hit-title', data.meta?.title || data.url)");
    expect(js).toMatch(/const span = \(className, text\) => \{[^}]*el\.textContent = text;/);
  });

  it('passes check-bundle.py with nothing unsafe and no broken links', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
    expect(check.code).toBe(0);
  });
});

describe('DOM clobbering through a whole build', () => {
  let snap: HostileSnapshot;
  let run: ReturnType<typeof runCli>;
  const page = (url: string): Root => fromHtml(readFileSync(path.join(snap.out, url, 'index.html'), 'utf8'));
  const named = (tree: Root | Element) => select(tree, (e) => e.properties.id !== undefined || e.properties.name !== undefined);

  beforeAll(() => {
    snap = makeHostileSnapshot([clobberingRepo], { site: { title: 'Docs' } });
    run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out]);
  }, 180_000);

  it('builds', () => {
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
  });

  it('leaves no element named after a property of document or window that the site\'s scripts use', () => {
    const tree = page(CLOBBERING_PAGE);
    const names = named(tree).flatMap((e) => [e.properties.id, e.properties.name].filter((v) => v !== undefined).map(String));
    for (const property of [...DOCUMENT_PROPERTIES, ...WINDOW_PROPERTIES]) expect(names, property).not.toContain(property);
    // The attempts are still there, as inert user-content- names.
    expect(names).toContain('user-content-querySelectorAll');
    expect(names).toContain('user-content-documentElement');
  });

  it('gives every id and name of the content the user-content- prefix except the heading slugs', () => {
    const body = select(page(CLOBBERING_PAGE), (e) => e.tagName === 'article')[0]!;
    const unprefixed = named(body)
      .flatMap((e) => [e.properties.id, e.properties.name].filter((v) => v !== undefined).map((v) => ({ tag: e.tagName, value: String(v) })))
      .filter((n) => !n.value.startsWith('user-content-'));
    expect(unprefixed).toEqual([
      { tag: 'h1', value: 'clobbering-page' },
      { tag: 'h2', value: 'queryselectorall' },
      { tag: 'h2', value: 'notes' },
    ]);
    // The custom id named after an EventTarget method is prefixed like author HTML.
    expect(select(body, (e) => e.tagName === 'h2' && toString(e) === 'Custom')[0]!.properties.id).toBe('user-content-addEventListener');
  });

  it('points links to an anchor written in raw HTML at its prefixed name, from the same page and from others', () => {
    const hrefs = (url: string) => select(page(url), (e) => e.tagName === 'a' && typeof e.properties.href === 'string' && String(e.properties.href).includes('install-notes')).map((e) => String(e.properties.href));
    expect(hrefs(CLOBBERING_PAGE)).toEqual(['#user-content-install-notes']);
    expect(hrefs('services/clobber/')).toEqual(['docs/page/index.html#user-content-install-notes']);
    expect(hrefs('services/clobber/docs/other/')).toEqual(['../page/index.html#user-content-install-notes', '../page/index.html#user-content-install-notes']);
    expect(select(page(CLOBBERING_PAGE), (e) => e.tagName === 'a' && e.properties.name === 'user-content-install-notes')).toHaveLength(1);
  });

  it('passes check-bundle.py with no broken anchor and nothing unsafe', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
    expect(check.code).toBe(0);
  });
});
