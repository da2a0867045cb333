import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { SearchIndexer, indexPages, searchablePart, type IndexablePage, type SearchIndexFiles } from '../../src/compose/search.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

/** Pages as the site writes them: a body region Pagefind indexes, with a few distinct words each. */
function pages(count: number): IndexablePage[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `services/repo-${i}/index.html`,
    content: () =>
      `<!doctype html><html lang="en"><head><title>Page ${i}</title></head><body><main data-pagefind-body>` +
      `<h1>Page ${i}</h1><p>word${i} shared text ${'lorem '.repeat(i % 7)}</p></main></body></html>`,
  }));
}

/** A new folder for Pagefind to write into. */
const scratch = () => path.join(mkdtempSync(path.join(tmpdir(), 'search-index-')), 'pagefind');

/** Every file Pagefind wrote, by path, as bytes in base64. */
const digest = (index: SearchIndexFiles) => index.files.map((f) => `${f}:${readFileSync(path.join(index.dir, f)).toString('base64')}`);

describe('the search indexer', () => {
  it('makes the same index whether pages arrive all at once or one by one between other work', async () => {
    const site = pages(40);
    const atOnce = await indexPages(site, scratch());
    const indexer = new SearchIndexer();
    for (const page of site) {
      indexer.add(page);
      // Other work between pages, as when the site is composed: the indexer runs on its own meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    }
    indexer.add({ path: 'pagefind/skipped.js', content: () => 'not a page' });
    const streamed = await indexer.finish(scratch());
    expect(streamed.pages).toBe(40);
    expect(atOnce.pages).toBe(40);
    expect(streamed.files).toContain('pagefind.js');
    expect(streamed.files.some((f) => f.startsWith('fragment/'))).toBe(true);
    expect(digest(streamed)).toEqual(digest(atOnce));
  });

  it("leaves out Pagefind's prebuilt search UIs and playground, on disk too", async () => {
    const index = await indexPages(pages(3), scratch());
    expect(index.files.filter((f) => /^pagefind-(ui|component-ui|modular-ui|highlight)\.|^playground\//.test(f))).toEqual([]);
    expect(readdirSync(index.dir, { recursive: true }).map(String).filter((f) => /ui\.(js|css)$|^playground/.test(f))).toEqual([]);
    expect(existsSync(path.join(index.dir, 'pagefind-entry.json'))).toBe(true);
    expect(index.files).toEqual([...index.files].sort());
  });

  it("fails the whole index when a page cannot be read, with that page's error", async () => {
    const indexer = new SearchIndexer();
    indexer.add(pages(1)[0]!);
    indexer.add({
      path: 'broken/index.html',
      content: () => {
        throw new Error('broken/index.html: gone');
      },
    });
    await expect(indexer.finish(scratch())).rejects.toThrow('broken/index.html: gone');
  });

  it('can be stopped unused, as when the index comes from the cache', async () => {
    const indexer = new SearchIndexer();
    indexer.add(pages(2)[0]!);
    await expect(indexer.discard()).resolves.toBeUndefined();
  });

  it("indexes only a composed page's head and main region, into the index its whole page makes", async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'search-part-')), 'out');
    await build({ config: loadConfig(path.join(PROJECT_ROOT, 'examples/sources.json')), source: createSnapshotSource(path.join(PROJECT_ROOT, 'examples/snapshot')), outDir: out, search: false });
    const files = (readdirSync(out, { recursive: true }) as string[]).filter((f) => f.endsWith('.html')).sort();
    const whole = files.map((f) => ({ path: f, html: readFileSync(path.join(out, f), 'utf8') }));
    const parts = whole.map((p) => ({ ...p, html: searchablePart(p.html) }));
    const size = (list: { html: string }[]) => list.reduce((n, p) => n + p.html.length, 0);
    expect(size(parts)).toBeLessThan(0.8 * size(whole));
    const index = (list: { path: string; html: string }[]) => indexPages(list.map((p) => ({ path: p.path, content: () => p.html })), scratch());
    const [fromWhole, fromParts] = [await index(whole), await index(parts)];
    expect(fromParts.pages).toBeGreaterThan(20);
    expect(fromParts.pages).toBe(fromWhole.pages);
    expect(digest(fromParts)).toEqual(digest(fromWhole));
  });
});
