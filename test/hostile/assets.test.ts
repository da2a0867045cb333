/**
 * Files shown as images, through a whole build: only verified rasters and sanitized SVG are published into
 * assets/files/ and md/assets/, under the extension of what their bytes are; documents that would run script
 * on the site's origin (HTML, XHTML, XML, scripted SVG) become links to GitHub; nothing is indexed for search
 * but pages; and a file over the size limit stays on GitHub with a warning. One bad file never fails a build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { runCli } from '../support/cli.ts';
import { checkBundle, HEAD_SHA, makeHostileSnapshot, type HostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';
import { TEST_MAX_ASSET_BYTES, payloadRepo } from './asset-payloads.ts';

afterAll(removeTemporaryFolders);

const REPO = 'hostile-org/pics';
const blob = (p: string) => `https://github.com/${REPO}/blob/${HEAD_SHA}/${p}`;
const raw = (p: string) => `https://raw.githubusercontent.com/${REPO}/${HEAD_SHA}/${p}`;

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

describe('files shown as images in a whole build', () => {
  let snap: HostileSnapshot;
  let result: BuildResult;
  let sha: (p: string) => string;
  const page = () => readFileSync(path.join(snap.out, 'services/pics/index.html'), 'utf8');
  const markdown = () => readFileSync(path.join(snap.out, 'md/services/pics/index.md'), 'utf8');
  const warningsOf = (p: string) => result.warnings.filter((w) => w.file === `${REPO}/${p}`).map((w) => w.message);

  beforeAll(async () => {
    const repo = payloadRepo();
    snap = makeHostileSnapshot([repo]);
    const bytesOf = new Map(repo.files.map((f) => [f.path, Buffer.from(f.content!)]));
    sha = (p) => gitBlobSha(bytesOf.get(p)!).slice(0, 16);
    // Search and the Markdown export both on: an .html "image" once reached the search digest through md/assets/.
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, maxAssetBytes: TEST_MAX_ASSET_BYTES });
  }, 180_000);

  it('an .html file used as an image becomes a GitHub link and fails nothing', () => {
    expect(result.published).toBe(true);
    const html = page();
    expect(html).toContain(`<a href="${blob('diagram.html')}">diagram</a>`);
    expect(html).toContain(`<a href="${blob('page.htm')}">Page</a>`);
    expect(html).toContain(`<a href="${blob('data.xhtml')}">xhtml</a>`);
    expect(html).toContain(`<a href="${blob('feed.xml')}">feed</a>`);
    // Inside a link the text alone is left: links do not nest.
    expect(html).toContain('<a href="https://example.com/"><span>badge</span></a>');
    expect(markdown()).toContain(`[diagram](${blob('diagram.html')})`);
    expect(markdown()).toContain(`<a href="${blob('page.htm')}">Page</a>`);
    expect(markdown()).toContain('[badge](https://example.com/)');
    for (const p of ['diagram.html', 'page.htm', 'data.xhtml', 'feed.xml', 'badge.html']) expect(warningsOf(p).join('\n')).toMatch(/no PNG, JPEG, GIF, WebP or AVIF image.*linked to GitHub/);
  });

  it('an SVG with script is published only after sanitizing', () => {
    const name = `${sha('img/evil.svg')}-evil.svg`;
    const published = readFileSync(path.join(snap.out, 'assets/files', name), 'utf8');
    expect(published).toContain('<rect width="40" height="20" fill="teal"/>');
    expect(published).not.toMatch(/script|onload|foreignObject|iframe|javascript|__pwned/i);
    expect(page()).toContain(`<img src="../../assets/files/${name}" alt="evil">`);
    expect(markdown()).toContain(`![evil](../../assets/${name})`);
  });

  it('an image whose bytes are not the raster its extension claims is not published', () => {
    // HTML named .png: stays on GitHub (raw.githubusercontent.com serves it inert) with a warning.
    expect(page()).toContain(`<img src="${raw('img/liar.png')}" alt="liar">`);
    expect(warningsOf('img/liar.png').join('\n')).toMatch(/no PNG, JPEG, GIF, WebP or AVIF image/);
    // PNG named .gif: published as what it is.
    expect(page()).toContain(`<img src="../../assets/files/${sha('img/renamed.gif')}-renamed.png" alt="renamed">`);
  });

  it('an asset over the size cap is linked to GitHub with a warning', () => {
    expect(page()).toContain(`<img src="${raw('img/big.png')}" alt="big">`);
    expect(warningsOf('img/big.png')).toEqual([expect.stringMatching(/image of 2\.3 MB is over the asset size limit of 2\.0 MB \(--max-asset-size\): linked to GitHub/)]);
    // SVG is parsed whole to be sanitized: over 1 MB it stays on GitHub too.
    expect(page()).toContain(`<img src="${raw('img/huge.svg')}" alt="huge">`);
    expect(warningsOf('img/huge.svg').join('\n')).toMatch(/SVG of 1\.\d MB is over the 1\.0 MB that are sanitized/);
  });

  it('publishes verified rasters and sanitized SVG only, once each, md/assets/ linking the same files', () => {
    const names = [`${sha('img/evil.svg')}-evil.svg`, `${sha('img/good.png')}-good.png`, `${sha('img/renamed.gif')}-renamed.png`].sort();
    expect(filesUnder(path.join(snap.out, 'assets/files')).sort()).toEqual(names);
    expect(filesUnder(path.join(snap.out, 'md/assets')).sort()).toEqual(names);
    for (const name of names) expect(statSync(path.join(snap.out, 'md/assets', name)).ino).toBe(statSync(path.join(snap.out, 'assets/files', name)).ino);
    // No document a browser would run comes from the repository.
    const active = filesUnder(snap.out).filter((f) => /\.(html?|xhtml|xht|xml|xsl|svgz|shtml|mht)$/i.test(f) && !/(^|\/)(index|404)\.html$/.test(f));
    expect(active).toEqual([]);
  });

  it('passes check-bundle.py: no active files, no image whose bytes lie about its type', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
    expect(check.code).toBe(0);
  });
});

describe('assets and search', () => {
  it('assets are never indexed for search', () => {
    // Through the CLI, Markdown export off (the case where an .html "image" was indexed under its own title).
    const snap = makeHostileSnapshot([payloadRepo()]);
    const run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out, '--no-cache', '--no-markdown', '--max-asset-size', '64K']);
    expect(run.code, run.stderr).toBe(0);
    const dir = path.join(snap.out, 'pagefind/fragment');
    const urls = readdirSync(dir).map((f) => (JSON.parse(gunzipSync(readFileSync(path.join(dir, f))).toString('utf8').replace(/^pagefind_dcd/, '')) as { url: string }).url);
    expect(urls).toContain('/services/pics/index.html');
    expect(urls.filter((u) => !u.endsWith('/index.html'))).toEqual([]);
    expect(urls.join('\n')).not.toMatch(/assets|Sign in/);
    // --max-asset-size 64K: the small images are published, the large ones named in warnings on the console.
    expect(run.stderr).toMatch(/hostile-org\/pics\/img\/huge\.svg: image of 1\.1 MB is over the asset size limit of 0\.1 MB/);
    expect(readdirSync(path.join(snap.out, 'assets/files')).map((f) => f.replace(/^[0-9a-f]{16}-/, '')).sort()).toEqual(['evil.svg', 'good.png', 'renamed.png']);
  }, 180_000);

  it('refuses a size it cannot read, before anything is fetched or written', () => {
    const snap = makeHostileSnapshot([payloadRepo()]);
    const run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out, '--no-cache', '--max-asset-size', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-asset-size lots: expected a size such as 10M, 500K or a number of bytes');
  });
});
