/**
 * Hostile repository content through the snapshot source and the whole build: unsafe tree paths, odd file
 * names, names too long for a file system, case collisions, symlinks and submodules, files that are not Markdown
 * text, bad front matter.
 */
import { noisePng } from './asset-payloads.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { MAX_NAME_BYTES, MAX_PATH_BYTES } from '../../src/catalog/urls.ts';
import { parseFrontMatter } from '../../src/render/front-matter.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { context, doc } from '../render/helpers.ts';
import { checkBundle, HEAD_SHA, makeHostileSnapshot, type HostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

const REPO = 'hostile-org/odd';

/** Unsafe tree paths and the reason each is dropped for. */
const UNSAFE: [string, string][] = [
  ['../escape.md', 'empty, "." or ".." segment'],
  ['docs/../../escape2.md', 'empty, "." or ".." segment'],
  ['/etc/passwd.md', 'absolute path'],
  ['C:/windows.md', 'absolute path'],
  ['docs\\..\\..\\win.md', 'backslash in path'],
  ['docs/nul\u0000.md', 'control character in path'],
  ['docs/bell\u0007.md', 'control character in path'],
  ['docs/line\nbreak.md', 'control character in path'],
  ['docs/./dot.md', 'empty, "." or ".." segment'],
  ['docs//double.md', 'empty, "." or ".." segment'],
];

/** Odd but legal names: each must become a working page, linked from the README the way GitHub links it. */
const NAMES: { path: string; link: string; url: string }[] = [
  { path: 'docs/with space.md', link: 'docs/with%20space.md', url: 'services/odd/docs/with space/' },
  { path: 'docs/angle space.md', link: '<docs/angle space.md>', url: 'services/odd/docs/angle space/' },
  { path: 'docs/hash#tag.md', link: 'docs/hash%23tag.md', url: 'services/odd/docs/hash#tag/' },
  { path: 'docs/q?mark.md', link: 'docs/q%3Fmark.md', url: 'services/odd/docs/q?mark/' },
  { path: 'docs/100%.md', link: 'docs/100%25.md', url: 'services/odd/docs/100%/' },
  { path: 'docs/été.md', link: 'docs/%C3%A9t%C3%A9.md', url: 'services/odd/docs/été/' },
  { path: 'docs/日本語.md', link: 'docs/日本語.md', url: 'services/odd/docs/日本語/' },
  { path: 'docs/a&b.md', link: 'docs/a&b.md', url: 'services/odd/docs/a&b/' },
  { path: 'docs/...md', link: 'docs/...md', url: 'services/odd/docs/_../' },
];

const ALIAS_BOMB = [
  '---',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  'title: Bomb',
  '---',
  '# Alias bomb body',
  '',
].join('\n');
const HUGE_FRONT_MATTER = `---\ntitle: Huge\n${'k: v\n'.repeat(40_000)}---\n# Huge body\n`;
const MALFORMED_FRONT_MATTER = '---\ntitle: [unclosed\n  - : : :\n---\n# Malformed body\n\nStill rendered.\n';

function links(html: string): string[] {
  const hrefs: string[] = [];
  visit(fromHtml(html), 'element', (node: Element) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') hrefs.push(node.properties.href);
  });
  return hrefs;
}

/** The article of a built page (the rendered Markdown, without the site's navigation). */
function article(out: string, url: string): string {
  const html = readFileSync(path.join(out, url, 'index.html'), 'utf8');
  return /<article class="markdown-body">([\s\S]*)<\/article>/.exec(html)![1]!;
}

/** The file a relative href on page `fromUrl` leads to, decoded the way a browser and a static server do. */
function target(out: string, fromUrl: string, href: string): string {
  const base = fromUrl.split('/').map(encodeURIComponent).join('/');
  const pathname = decodeURIComponent(new URL(href, `http://x/${base}`).pathname);
  return path.join(out, pathname);
}

describe('hostile repository content in a whole build', () => {
  let snap: HostileSnapshot;
  let result: BuildResult;
  const w = (file: string) => result.warnings.filter((x) => x.file === `${REPO}/${file}`).map((x) => x.message);

  beforeAll(async () => {
    const readme = [
      '# Odd',
      '',
      ...NAMES.map((n) => `- [${n.path}](${n.link})`),
      '- [Upper](Docs/a.md) and [lower](docs/a.md), [lower readme](readme.md)',
      '- [symlink](docs/link.md) and [submodule](vendor/lib)',
      '- [binary](docs/binary.md), [big](docs/big.md)',
      '',
    ].join('\n');
    snap = makeHostileSnapshot([
      {
        name: 'odd',
        files: [
          { path: 'README.md', content: readme },
          { path: 'readme.md', content: '# Lower-case readme\n' },
          { path: 'Docs/a.md', content: '# Upper A\n' },
          { path: 'docs/a.md', content: '# Lower A\n' },
          ...NAMES.map((n) => ({ path: n.path, content: `# Page ${n.path}\n\n[Back](../README.md)\n` })),
          // Contents a naive reader would find: ../escape.md resolves to the repository folder itself.
          { path: '../escape.md', content: '# escaped\n' },
          ...UNSAFE.slice(1).map(([p]) => ({ path: p })),
          { path: 'docs/link.md', mode: '120000', content: 'a.md' },
          { path: 'docs/link-out.md', mode: '120000', content: '../../../../../etc/passwd' },
          { path: 'vendor/lib', mode: '160000', type: 'commit' as const },
          { path: 'docs/binary.md', content: Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64), Buffer.from('IHDR')]) },
          { path: 'docs/big.md', content: `# Big\n\n${'lorem ipsum '.repeat(220_000)}\n` },
          { path: 'docs/big-claimed.md', content: '# Small\n', size: 50 * 1024 * 1024 },
          { path: 'docs/latin1.md', content: Buffer.from('# Caf\xe9 \x93quoted\x94\n\nNa\xefve.\n', 'latin1') },
          { path: 'docs/nul.md', content: `# Nul\n${'\0'.repeat(10_000)}` },
          { path: 'docs/late-nul.md', content: `# Late nul\n\n${'x'.repeat(9000)}\0\0 tail\n` },
          { path: 'docs/utf16.md', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# UTF-16 page\n\nWide text.\n', 'utf16le')]) },
          { path: 'docs/fm-malformed.md', content: MALFORMED_FRONT_MATTER },
          { path: 'docs/fm-huge.md', content: HUGE_FRONT_MATTER },
          { path: 'docs/fm-bomb.md', content: ALIAS_BOMB },
          // gray-matter's JavaScript engine would run this with eval.
          { path: 'docs/fm-js.md', content: '---js\n(globalThis.hostileFrontMatterRan = true, { title: "ran" })\n---\n# JS front matter body\n' },
          { path: 'docs/fm-coffee.md', content: '---coffee\ntitle: "x"\n---\n# Coffee body\n' },
        ],
        // Root files of any case, both docs folders, and dot-named files (the default globs skip them).
        entry: { include: ['*.md', 'docs/**/*.md', 'Docs/**/*.md', 'docs/.*.md'] },
      },
      { name: 'odd-2', files: [{ path: 'README.md', content: '# The other service\n' }] },
    ]);
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false });
  }, 120_000);

  it('builds both repositories', () => {
    expect(result.repositories.failed).toEqual([]);
    expect(result.repositories.loaded).toBe(2);
  });

  it.each(UNSAFE)('drops tree path %j with a warning naming repository and path', (unsafe, reason) => {
    expect(w(unsafe)).toEqual([`left out of the tree: ${reason}`]);
  });

  it('writes nothing outside out/ and reads nothing outside files/', () => {
    expect(readdirSync(snap.dir).sort()).toEqual(['out', 'snapshot', 'sources.json']);
    const manifest = JSON.parse(readFileSync(path.join(snap.out, 'manifest.json'), 'utf8')) as { pages: { path: string; url: string }[] };
    for (const page of manifest.pages) {
      expect(page.path).not.toMatch(/^\/|\\|[\u0000-\u001f]/);
      expect(page.path.split('/')).not.toContain('..');
      expect(path.resolve(snap.out, page.url).startsWith(snap.out + path.sep)).toBe(true);
    }
    expect(JSON.stringify(manifest)).not.toContain('escaped');
  });

  it.each(NAMES)('$path becomes a page whose README link resolves', ({ path: file, url }) => {
    expect(existsSync(path.join(snap.out, url, 'index.html'))).toBe(true);
    expect(article(snap.out, url)).toContain(`Page ${file.replace(/&/g, '&#x26;')}`);
    const hrefs = links(article(snap.out, 'services/odd/')).filter((h) => !h.startsWith('http'));
    const resolved = hrefs.map((h) => target(snap.out, 'services/odd/', h));
    expect(resolved).toContain(path.join(snap.out, url, 'index.html'));
    // And back from the page to the README.
    const back = links(article(snap.out, url)).find((h) => h.endsWith('index.html'))!;
    expect(target(snap.out, url, back)).toBe(path.join(snap.out, 'services/odd/index.html'));
  });

  it('keeps both sides of a case collision, under URLs that differ case-insensitively', () => {
    const manifest = JSON.parse(readFileSync(path.join(snap.out, 'manifest.json'), 'utf8')) as { pages: { path: string; url: string; repo: string }[] };
    const urlOf = (p: string) => manifest.pages.find((x) => x.repo === REPO && x.path === p)?.url;
    expect(urlOf('README.md')).toBe('services/odd/');
    expect(urlOf('readme.md')).toBe('services/odd/readme/');
    expect(urlOf('Docs/a.md')).toBe('services/odd/Docs/a/');
    expect(urlOf('docs/a.md')).toBe('services/odd/docs/a-2/');
    const lower = manifest.pages.map((p) => p.url.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    expect(article(snap.out, 'services/odd/readme/')).toContain('Lower-case readme');
    expect(article(snap.out, 'services/odd/Docs/a/')).toContain('Upper A');
    expect(article(snap.out, 'services/odd/docs/a-2/')).toContain('Lower A');
    // The neighbouring service keeps its own landing page.
    expect(article(snap.out, 'services/odd-2/')).toContain('The other service');
    const hrefs = links(article(snap.out, 'services/odd/'));
    for (const url of ['services/odd/Docs/a/', 'services/odd/docs/a-2/', 'services/odd/readme/']) {
      expect(hrefs.map((h) => target(snap.out, 'services/odd/', h))).toContain(path.join(snap.out, url, 'index.html'));
    }
  });

  it('follows neither symlinks nor submodules: no page, links go to GitHub', () => {
    expect(existsSync(path.join(snap.out, 'services/odd/docs/link'))).toBe(false);
    expect(existsSync(path.join(snap.out, 'services/odd/docs/link-out'))).toBe(false);
    expect(existsSync(path.join(snap.out, 'services/odd/vendor'))).toBe(false);
    const hrefs = links(article(snap.out, 'services/odd/'));
    expect(hrefs).toContain(`https://github.com/${REPO}/blob/${HEAD_SHA}/docs/link.md`);
    expect(hrefs.find((h) => h.includes('vendor/lib'))).toMatch(new RegExp(`^https://github\\.com/${REPO}/(tree|blob)/${HEAD_SHA}/vendor/lib$`));
  });

  it('skips a binary Markdown file with a warning', () => {
    expect(w('docs/binary.md')).toEqual(['binary content (NUL bytes), not Markdown; skipped']);
    expect(existsSync(path.join(snap.out, 'services/odd/docs/binary'))).toBe(false);
    expect(links(article(snap.out, 'services/odd/'))).toContain(`https://github.com/${REPO}/blob/${HEAD_SHA}/docs/binary.md`);
  });

  it('skips Markdown over 2 MB with a warning, by its real or its declared size', () => {
    expect(w('docs/big.md')).toEqual(['2.5 MB is over the 2 MB limit for Markdown files; skipped']);
    expect(w('docs/big-claimed.md')).toEqual(['50.0 MB is over the 2 MB limit for Markdown files; skipped']);
    expect(existsSync(path.join(snap.out, 'services/odd/docs/big'))).toBe(false);
  });

  it('reads text that is not UTF-8 as Windows-1252, with a warning', () => {
    expect(w('docs/latin1.md')).toEqual(['not valid UTF-8; read as Windows-1252']);
    const html = article(snap.out, 'services/odd/docs/latin1/');
    expect(html).toContain('Café “quoted”');
    expect(html).toContain('Naïve.');
  });

  it('skips a file full of NUL bytes and strips a few late ones, with warnings', () => {
    expect(w('docs/nul.md')).toEqual(['binary content (NUL bytes), not Markdown; skipped']);
    expect(w('docs/late-nul.md')).toEqual(['2 control characters (NUL and the like) removed']);
    expect(article(snap.out, 'services/odd/docs/late-nul/')).toContain('x tail');
  });

  it('decodes UTF-16 with a byte order mark', () => {
    expect(w('docs/utf16.md')).toEqual([]);
    expect(article(snap.out, 'services/odd/docs/utf16/')).toContain('Wide text.');
  });

  it('renders the body of a page whose front matter is malformed, with a warning', () => {
    expect(w('docs/fm-malformed.md')).toHaveLength(1);
    expect(w('docs/fm-malformed.md')[0]).toMatch(/^malformed front matter \(.+\); ignored$/);
    expect(article(snap.out, 'services/odd/docs/fm-malformed/')).toContain('Still rendered.');
  });

  it('ignores huge front matter and an alias bomb, with warnings, and renders the body', () => {
    expect(w('docs/fm-huge.md')).toEqual(['front matter is larger than 65536 characters; ignored']);
    expect(w('docs/fm-bomb.md')).toHaveLength(1);
    expect(w('docs/fm-bomb.md')[0]).toMatch(/^malformed front matter \(.*alias.*\); ignored$/i);
    expect(article(snap.out, 'services/odd/docs/fm-huge/')).toContain('Huge body');
    expect(article(snap.out, 'services/odd/docs/fm-bomb/')).toContain('Alias bomb body');
  });

  it('never runs front matter in another language than YAML: ignored with a warning, body rendered', () => {
    expect((globalThis as { hostileFrontMatterRan?: boolean }).hostileFrontMatterRan).toBeUndefined();
    expect(w('docs/fm-js.md')).toEqual(['front matter in "js" is not read, only YAML; ignored']);
    expect(w('docs/fm-coffee.md')).toEqual(['front matter in "coffee" is not read, only YAML; ignored']);
    expect(article(snap.out, 'services/odd/docs/fm-js/')).toContain('JS front matter body');
    expect(article(snap.out, 'services/odd/docs/fm-coffee/')).toContain('Coffee body');
  });

  it('passes check-bundle.py with no broken links and nothing unsafe', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
    expect(check.code).toBe(0);
  });
});

describe('names too long for the file system in a whole build', () => {
  const LONG = 'hostile-org/long';
  // 300 bytes: no file system holds the name, so the snapshot lists it and a file of the same bytes elsewhere
  // serves its blob. Two such names share their first 295 bytes.
  const image300 = `img/${'i'.repeat(296)}.png`;
  const image300b = `img/${'i'.repeat(295)}j.png`;
  // 245 bytes: stored as it is, but the "<blob sha>-" prefix of the published name made it 262.
  const image245 = `img/${'n'.repeat(241)}.png`;
  const longDoc = `docs/${'l'.repeat(247)}.md`;
  const accented = `docs/${'é'.repeat(120)}.md`;
  // 5,000 bytes of folders: over PATH_MAX (4,096) for any out/ folder.
  const deepDoc = `docs/${`${'d'.repeat(49)}/`.repeat(100)}deep.md`;
  // Real PNGs (images are published only when their bytes are one), three different ones.
  const pngs = [noisePng(2, 2), noisePng(3, 3), noisePng(4, 4)];
  const png = (n: number) => pngs[n - 1]!;
  let snap: HostileSnapshot;
  let result: BuildResult;

  beforeAll(async () => {
    const readme = [
      '# Long names',
      '',
      `![three hundred](${image300}) ![three hundred b](${image300b}) ![two forty-five](${image245})`,
      '',
      `- [deep](${deepDoc})`,
      `- [long](${longDoc})`,
      `- [accented](${encodeURI(accented)})`,
      '',
    ].join('\n');
    snap = makeHostileSnapshot([
      {
        name: 'long',
        files: [
          { path: 'README.md', content: readme },
          { path: image300, content: png(1) },
          { path: 'twins/a.png', content: png(1) },
          { path: image300b, content: png(2) },
          { path: 'twins/b.png', content: png(2) },
          { path: image245, content: png(3) },
          { path: deepDoc, content: '# Deep page\n\n[Back](/README.md)\n' },
          { path: 'twins/deep.md', content: '# Deep page\n\n[Back](/README.md)\n' },
          { path: longDoc, content: '# Long name page\n' },
          { path: accented, content: '# Accented page\n' },
        ],
      },
    ]);
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false });
  }, 120_000);

  const pages = () => (JSON.parse(readFileSync(path.join(snap.out, 'manifest.json'), 'utf8')) as { pages: { path: string; url: string; repo: string }[] }).pages;

  it('builds, every output name within NAME_MAX and every page URL within the path bound', () => {
    expect(result.repositories.failed).toEqual([]);
    for (const page of pages()) {
      expect(Buffer.byteLength(page.url)).toBeLessThanOrEqual(MAX_PATH_BYTES);
      for (const segment of page.url.split('/')) expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(MAX_NAME_BYTES + 4);
    }
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name, ...walk(path.join(dir, e.name))] : [e.name]));
    for (const name of walk(snap.out)) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
  });

  it.each([
    ['a 5,000-byte deep doc path', deepDoc, 'Deep page'],
    ['a 250-byte file name', longDoc, 'Long name page'],
    ['a 243-byte name of two-byte characters', accented, 'Accented page'],
  ])('%s becomes a page reachable from the README', (_name, file, heading) => {
    const page = pages().find((p) => p.repo === LONG && p.path === file)!;
    expect(page).toBeDefined();
    expect(article(snap.out, page.url)).toContain(heading);
    const resolved = links(article(snap.out, 'services/long/')).map((h) => target(snap.out, 'services/long/', h));
    expect(resolved).toContain(path.join(snap.out, page.url, 'index.html'));
  });

  it('keeps the folders of a deep path that fit, and names the rest by a hash of the whole path', () => {
    const url = pages().find((p) => p.path === deepDoc)!.url;
    expect(url.startsWith(`services/long/docs/${'d'.repeat(49)}/`)).toBe(true);
    expect(url).toMatch(/\/deep-[0-9a-f]{12}\/$/);
  });

  it('publishes each long-named image under a name of its own, in the site and in the Markdown export', () => {
    const html = article(snap.out, 'services/long/');
    const sources: string[] = [];
    visit(fromHtml(html), 'element', (node: Element) => {
      if (node.tagName === 'img' && typeof node.properties.src === 'string') sources.push(node.properties.src);
    });
    expect(sources).toHaveLength(3);
    const files = sources.map((src) => target(snap.out, 'services/long/', src));
    expect(files.map((f) => readFileSync(f))).toEqual([png(1), png(2), png(3)]);
    expect(new Set(files).size).toBe(3);
    // The same files under md/assets/, linked from the exported README.
    const md = readFileSync(path.join(snap.out, 'md/services/long/index.md'), 'utf8');
    const exported = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => path.join(snap.out, 'md/services/long', decodeURIComponent(m[1]!)));
    expect(exported.map((f) => readFileSync(f))).toEqual([png(1), png(2), png(3)]);
  });

  it('passes check-bundle.py with no broken links and nothing unsafe', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
    expect(check.code).toBe(0);
  });
});

describe('hostile front matter is refused fast', () => {
  it.each([
    ['an alias bomb', ALIAS_BOMB, /^malformed front matter \(.*alias.*\); ignored$/i],
    ['a huge block', HUGE_FRONT_MATTER, /^front matter is larger than 65536 characters; ignored$/],
    ['a 1 MB block', `---\n${'x: y\n'.repeat(250_000)}---\nbody\n`, /^front matter is larger than 65536 characters; ignored$/],
  ])('%s: refused in < 1 s, with a warning', async (_name, text, message) => {
    let started = performance.now();
    const front = parseFrontMatter(text);
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    const page = await renderMarkdown(doc(text), context());
    // The block is kept as blank lines so that line numbers hold; remark reads those at a few µs each.
    const pageSeconds = (performance.now() - started) / 1000;
    console.log(`[front matter] ${_name}: refused in ${seconds.toFixed(3)} s, page in ${pageSeconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(1);
    // A bound, not a speed target: the 250,000 blank lines take remark 2.5 s here on their own and up to 15 s
    // on a loaded machine beside a browser.
    expect(pageSeconds).toBeLessThan(60);
    expect(front.error).toMatch(message);
    expect(front.data).toEqual({});
    expect(page.warnings.map((x) => x.message)).toEqual([expect.stringMatching(message)]);
  });
});
