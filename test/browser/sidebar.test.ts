/// <reference lib="dom" />
/**
 * The sidebar of a large section in Chromium: each page carries only its branch, and with script the whole tree
 * (the section's nav.js) takes its place, over HTTP and straight from disk (file://, where module scripts and
 * fetches of JSON are refused). Without script, the branch and the contents page reach every page. Skipped, with
 * one line saying why, where /usr/bin/chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { makeHostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';
import { hasChromium, launchChromium, noteSkipped } from '../support/browser.ts';

noteSkipped('browser tests');

const FOLDERS = 16;
const PER_FOLDER = 40;

/** README.md and docs/part-NN/ folders, each with a README (the folder's page) and its pages. */
function largeRepo() {
  const files = [{ path: 'README.md', content: '# Large\n\nThe overview.\n' }];
  for (let f = 0; f < FOLDERS; f++) {
    const part = `docs/part-${String(f).padStart(2, '0')}`;
    files.push({ path: `${part}/README.md`, content: `# Part ${f}\n\nAbout part ${f}.\n` });
    for (let i = 1; i < PER_FOLDER; i++) files.push({ path: `${part}/page-${String(i).padStart(2, '0')}.md`, content: `# Part ${f} page ${i}\n\nText.\n` });
  }
  return files;
}
/** Links of the whole tree below the sidebar's title: every page but the README. */
const TREE_LINKS = FOLDERS * PER_FOLDER;
const DEEP_PAGE = 'services/large/docs/part-11/page-30/index.html';

describe.skipIf(!hasChromium)('sidebar of a large section in a browser', () => {
  let out: string;
  let server: PreviewServer;
  let browser: Browser;
  const problems: string[] = [];

  async function open(context: BrowserContext, url: string, width = 1280): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    page.on('pageerror', (e) => problems.push(`${page.url()}: uncaught ${e.message}`));
    page.on('console', (m) => {
      // From disk, the module script site.js is refused by Chromium (the theme and search need HTTP).
      if (m.type() === 'error' && !(url.startsWith('file:') && /site\.js|Failed to load resource: net::ERR_FAILED/.test(m.text()))) problems.push(`${page.url()}: ${m.text()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  /** Opens every folder of the sidebar (each builds its list when first opened) and counts the links. */
  async function allLinks(page: Page): Promise<number> {
    for (;;) {
      const closed = page.locator('#sidebar-nav details:not([open])');
      if ((await closed.count()) === 0) break;
      await closed.evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await page.waitForTimeout(50);
    }
    return page.locator('#sidebar-nav > ul a').count();
  }

  beforeAll(async () => {
    const snap = makeHostileSnapshot([{ name: 'large', files: largeRepo() }]);
    out = snap.out;
    await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: out, search: false, markdown: false });
    server = await startPreview({ dir: out, port: 0 });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeTemporaryFolders();
  });

  it.each(['http', 'file'] as const)('with script, over %s: the whole tree replaces the branch', async (scheme) => {
    const context = await browser.newContext();
    const url = scheme === 'http' ? new URL(DEEP_PAGE, server.url).href : pathToFileURL(path.join(out, DEEP_PAGE)).href;
    const page = await open(context, url);
    const nav = page.locator('#sidebar-nav');
    await expect.poll(() => nav.locator('.sidebar-more').count()).toBe(0);
    expect(await nav.locator(':scope > ul > li > details').count()).toBe(FOLDERS);
    const current = nav.locator('a[aria-current="page"]');
    expect(await current.count()).toBe(1);
    expect(await current.textContent()).toBe('Part 11 page 30');
    // Scrolled to where the page is: its link is inside the sidebar's visible part.
    const [navBox, linkBox] = [await nav.boundingBox(), await current.boundingBox()];
    expect(linkBox!.y).toBeGreaterThanOrEqual(navBox!.y);
    expect(linkBox!.y + linkBox!.height).toBeLessThanOrEqual(navBox!.y + navBox!.height);
    expect(await allLinks(page)).toBe(TREE_LINKS);
    // The links lead where the page's own links would: another page of the tree opens.
    const target = nav.locator('a:has-text("Part 2 page 5")');
    await target.click();
    await page.waitForURL(/part-02\/page-05\/index\.html$/);
    expect(await page.locator('h1').first().textContent()).toBe('Part 2 page 5');
    await context.close();
  });

  it('from disk on a phone: the sidebar button opens the whole tree', async () => {
    const context = await browser.newContext();
    const page = await open(context, pathToFileURL(path.join(out, DEEP_PAGE)).href, 390);
    const nav = page.locator('#sidebar-nav');
    expect(await nav.isVisible()).toBe(false);
    await page.click('[data-sidebar-toggle]');
    expect(await nav.isVisible()).toBe(true);
    expect(await nav.locator(':scope > ul > li > details').count()).toBe(FOLDERS);
    await context.close();
  });

  it('without script: the branch, and "more" links to the contents page, which lists every page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await open(context, new URL(DEEP_PAGE, server.url).href);
    const nav = page.locator('#sidebar-nav');
    const more = nav.locator('.sidebar-more');
    expect(await more.count()).toBeGreaterThan(0);
    expect(await nav.locator('a[aria-current="page"]').textContent()).toBe('Part 11 page 30');
    // The count of the folders before the window, at the top level.
    const before = nav.locator(':scope > ul > li > a.sidebar-more');
    expect(await before.textContent()).toBe(`${3 * PER_FOLDER} more pages`);
    await before.click();
    await page.waitForURL(/all-pages\/index\.html/);
    expect(await page.locator('.contents-list a').count()).toBe(TREE_LINKS);
    await context.close();
  });

  it('logged no errors', () => {
    expect(problems).toEqual([]);
  });
});
