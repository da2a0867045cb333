/**
 * The guides' old site, built by MkDocs itself from the corpus, against the bundle: every page URL of that
 * site must lead (through a redirect page where the path moved) to the guide in the bundle, and every heading
 * id of its pages must be an id of that guide. Needs the corpus and Debian's mkdocs and mkdocs-material; the
 * plugins Debian's version lacks (blog, mkdocs-video, tags) are left out of its mkdocs.yml, so its blog posts
 * sit at blog/posts/<file>/ there and are matched to their dated addresses through the manifest.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { build } from '../../src/build.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { mkdocsPagePath } from '../../src/catalog/site-urls.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, PROJECT_ROOT, noteCorpusSkip } from '../support/corpus.ts';

const MKDOCS = spawnSync('mkdocs', ['--version'], { encoding: 'utf8' }).status === 0;
/** Debian's mkdocs-material installs the theme here. */
const MATERIAL = existsSync('/usr/share/mkdocs/themes/material');
noteCorpusSkip('guides against a MkDocs build');
if (!MKDOCS || !MATERIAL) console.warn('[skipped] guides against a MkDocs build: mkdocs and mkdocs-material are not installed (apt-get install mkdocs mkdocs-material python3-pymdownx)');

function htmlFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full, `${prefix}${name}/`);
    return name === 'index.html' ? [prefix] : [];
  });
}
function mdFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return mdFiles(full, `${prefix}${name}/`);
    return name.endsWith('.md') ? [`${prefix}${name}`] : [];
  });
}
const headingIds = (html: string) => [...html.matchAll(/<h[1-6][^>]*\sid="([^"]+)"/g)].map((m) => m[1]!);
const allIds = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

describe.skipIf(!HAS_CORPUS || !MKDOCS || !MATERIAL)('the guides against their MkDocs site', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'guides-mkdocs-'));
  const guidesRepo = path.join(CORPUS_SNAPSHOT, 'uc-cdis/docs-gen3/files');
  const site = path.join(work, 'site');
  const out = path.join(work, 'out');
  let manifest: { pages: { url: string; kind: string; path: string; target?: string }[] };

  beforeAll(async () => {
    cpSync(path.join(guidesRepo, 'docs'), path.join(work, 'docs'), { recursive: true });
    const yml = YAML.parse(readFileSync(path.join(guidesRepo, 'mkdocs.yml'), 'utf8'), { logLevel: 'silent' }) as Record<string, unknown>;
    const extensions = (yml.markdown_extensions as unknown[]).map((e) => (e && typeof e === 'object' && 'pymdownx.emoji' in e ? 'pymdownx.emoji' : e));
    writeFileSync(path.join(work, 'mkdocs.yml'), YAML.stringify({ site_name: yml.site_name, site_url: yml.site_url, nav: yml.nav, use_directory_urls: yml.use_directory_urls, theme: { name: 'material' }, markdown_extensions: extensions, plugins: ['search'] }));
    const mkdocs = spawnSync('mkdocs', ['build', '-q', '-d', site], { cwd: work, encoding: 'utf8' });
    expect(mkdocs.status, mkdocs.stderr).toBe(0);
    const config = loadConfig(path.join(PROJECT_ROOT, 'sources.json'));
    await build({ config: { ...config, repositories: [], releaseNotes: undefined }, source: createSnapshotSource(CORPUS_SNAPSHOT), outDir: out });
    manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The bundle page an old URL of the MkDocs site leads to, following its redirect page. */
  function follow(oldPath: string): string | undefined {
    if (oldPath === '') return 'guides/index.html'; // the bundle's landing page links to the guides' index
    const file = path.join(out, oldPath, 'index.html');
    if (!existsSync(file)) return undefined;
    const refresh = /http-equiv="refresh" content="0; url=([^"#]+)/.exec(readFileSync(file, 'utf8'))?.[1];
    return refresh ? path.posix.join(oldPath, decodeURIComponent(unescape(refresh))) : undefined;
  }

  it('leads every page of the MkDocs site to its guide, and every heading id to an id of that guide', () => {
    const sources = new Map(mdFiles(path.join(work, 'docs')).map((f) => [mkdocsPagePath(f), f]));
    const pages = htmlFiles(site).filter((p) => sources.has(p));
    expect(pages.length).toBeGreaterThanOrEqual(60);
    const missingPages: string[] = [];
    const missingIds: string[] = [];
    let ids = 0;
    for (const oldPath of pages) {
      const source = `docs/${sources.get(oldPath)}`;
      // Without the blog plugin MkDocs puts a post at blog/posts/<file>/; docs.gen3.org had it at its dated path.
      const post = source.startsWith('docs/blog/posts/') ? manifest.pages.find((p) => p.kind === 'redirect' && p.path === source) : undefined;
      const target = follow(post ? post.url : oldPath);
      const guide = manifest.pages.find((p) => p.kind === 'guide' && p.path === source);
      if (!target || !guide || target !== `${guide.url}index.html`) {
        missingPages.push(`${oldPath} -> ${target ?? 'nothing'}`);
        continue;
      }
      const present = allIds(readFileSync(path.join(out, target), 'utf8'));
      for (const id of headingIds(readFileSync(path.join(site, oldPath, 'index.html'), 'utf8'))) {
        ids++;
        if (!present.has(unescape(id))) missingIds.push(`${oldPath}#${id}`);
      }
    }
    console.log(`MkDocs site: ${pages.length} pages, ${ids} heading ids; missing in the bundle: ${missingPages.length} pages, ${missingIds.length} ids`);
    expect(missingPages).toEqual([]);
    expect(missingIds).toEqual([]);
  });
});
