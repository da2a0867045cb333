/// <reference lib="dom" />
/**
 * The built site in a real browser: Debian's Chromium driven by playwright-core. Skipped, with one line saying
 * why, where /usr/bin/chromium is absent. Runs on the demo snapshot, and on the corpus when it is there
 * (CORPUS_DIR or ../shared/corpus).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { hasChromium, launchChromium, noteSkipped, offlineContext } from '../support/browser.ts';

noteSkipped('browser tests');

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(process.env.CORPUS_DIR ?? path.join(ROOT, '../shared/corpus'), 'github');
const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The demo snapshot always; the corpus too where it is present (as in CI). */
const SITES = [
  { name: 'demo', build: (out: string) => build({ config: loadConfig(path.join(ROOT, 'examples/sources.json')), source: createSnapshotSource(path.join(ROOT, 'examples/snapshot')), outDir: out }) },
  ...(existsSync(CORPUS)
    ? [{ name: 'corpus', build: (out: string) => build({ config: loadConfig(path.join(ROOT, 'sources.json')), source: createSnapshotSource(CORPUS), outDir: out }) }]
    : []),
];
if (!existsSync(CORPUS)) console.log(`browser tests on the corpus skipped: no corpus at ${CORPUS} (set CORPUS_DIR to run them)`);

describe.skipIf(!hasChromium).each(SITES)('site in a browser: $name', (site) => {
  let tmp: string;
  let out: string;
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];
  const contentMisses = new Set<string>();

  /** A page that records console errors, uncaught exceptions and failed loads of the site's own files. */
  async function open(url: string, options: { width?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
    page.on('pageerror', (e) => problems.push(`${page.url()}: uncaught ${e.message}`));
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() !== 'error') return;
      const where = m.location().url;
      // Remote images are blocked (tests run offline); content images that a page links wrongly are the renderer's.
      if (/^Failed to load resource/.test(m.text()) && where && (!where.startsWith(server.url) || !/\/(assets|pagefind)\//.test(where))) {
        if (where.startsWith(server.url)) contentMisses.add(where);
        return;
      }
      problems.push(`${page.url()}: console: ${m.text()} ${where}`);
    });
    await page.goto(new URL(url, server.url).href);
    return page;
  }

  async function shot(page: Page, name: string, fullPage = false) {
    await page.screenshot({ path: path.join(SHOTS, `${site.name}-${name}.png`), fullPage });
  }

  async function axe(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'browser-test-'));
    out = path.join(tmp, 'out');
    await site.build(out);
    server = await startPreview({ dir: out, port: 0 });
    browser = await launchChromium();
    context = await offlineContext(browser, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (contentMisses.size) console.log(`content files missing from the bundle (renderer links): ${contentMisses.size}`);
  });

  it('opens the landing page and follows the services catalog to a service', async () => {
    const page = await open('');
    expect(await page.title()).toMatch(/Gen3|Acme/);
    expect(await page.locator('.release-card').count()).toBe(1);
    await shot(page, 'landing');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('.site-nav a:has-text("Services")');
    await page.waitForURL(/\/services\/index\.html$/);
    const card = page.locator('.card-title a').first();
    const name = (await card.textContent())!.trim();
    await card.click();
    await page.waitForURL(/\/services\/[^/]+\/index\.html$/);
    expect(await page.locator('.sidebar-title').textContent()).toBe(name);
    expect(await page.locator('.breadcrumbs').textContent()).toContain('Services');
    expect(await axe(page)).toEqual([]);
    await shot(page, 'service');
    await page.close();
  });

  it('has no serious accessibility problems on the landing page', async () => {
    const page = await open('');
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it('follows an in-page anchor from the table of contents', async () => {
    const page = await open('services/index.html');
    // The first service whose page has a table of contents.
    const hrefs = await page.locator('.card-title a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    let found = false;
    for (const href of hrefs) {
      await page.goto(href);
      if ((await page.locator('.toc a').count()) === 0) continue;
      const count = await page.locator('.toc a').count();
      const link = page.locator('.toc a').nth(Math.floor(count / 2));
      const id = decodeURIComponent((await link.getAttribute('href'))!.slice(1));
      await link.click();
      await page.waitForURL((u) => decodeURIComponent(u.hash) === `#${id}`);
      await page.waitForTimeout(100);
      const { top, atBottom } = await page.evaluate((i) => ({
        top: document.getElementById(i)!.getBoundingClientRect().top,
        atBottom: Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1,
      }), id);
      // The heading is scrolled to just below the sticky header (unless the page ends before that).
      expect(top).toBeGreaterThanOrEqual(0);
      if (!atBottom) expect(top).toBeLessThan(200);
      found = true;
      break;
    }
    expect(found).toBe(true);
    await page.close();
  });

  it('opens a release from the Releases page', async () => {
    const page = await open('');
    await page.click('.site-nav a:has-text("Releases")');
    await page.waitForURL(/\/releases\/index\.html$/);
    const first = page.locator('.release-table tbody th a').first();
    const version = (await first.textContent())!.trim();
    expect(await axe(page)).toEqual([]);
    await shot(page, 'releases');
    await first.click();
    await page.waitForURL(/\/releases\/[^/]+\/index\.html$/);
    expect((await page.locator('.content-body h1').first().textContent())!.trim()).toContain(version);
    expect(await page.locator('.release-summary').textContent()).toContain(version);
    expect(await page.locator('.sidebar a[aria-current="page"]').count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'release');
    await page.close();
  });

  it('shows a guide page with its navigation', async () => {
    const page = await open('guides/index.html');
    const links = page.locator('.sidebar-nav a[href]:not(.external)');
    expect(await links.count()).toBeGreaterThan(1);
    // A guide below the top level, so that sections and breadcrumbs show.
    const nested = page.locator('.sidebar-nav details a').first();
    await nested.evaluate((a) => a.closest('details')?.setAttribute('open', ''));
    await nested.click();
    await page.waitForURL(/\/guides\/.+\/index\.html$/);
    expect(await page.locator('.sidebar-nav a[aria-current="page"]').count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'guide');
    await page.close();
  });

  it('finds a word that is on one page only and opens the result', async () => {
    const page = await open('');
    // Words that occur on one page only; the first that Pagefind (with its stemming) also finds on that page alone.
    // A string, so that the test runner's transform leaves the dynamic import to the browser.
    const { word, url } = (await page.evaluate(`(async (candidates) => {
      const pf = await import(new URL('pagefind/pagefind.js', document.baseURI.replace(/[^/]*$/, '')).href);
      for (const c of candidates) {
        const found = await pf.search(c.word);
        if (found.results.length !== 1) continue;
        const data = await found.results[0].data();
        if (data.url === '/' + c.url) return c;
      }
      throw new Error('no unique word');
    })(${JSON.stringify(uniqueWords(out).slice(0, 40))})`)) as { word: string; url: string };
    await page.fill('[data-search-input]', word);
    const hit = page.locator('.search-popup .search-hit').first();
    await hit.waitFor({ timeout: 15_000 });
    expect(await page.locator('.search-popup .search-hit').count()).toBe(1);
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    await shot(page, 'search');
    await hit.click();
    await page.waitForURL((u) => u.pathname === new URL(url, server.url).pathname);
    // The full results page answers the same query.
    await page.goto(new URL(`search/index.html?q=${encodeURIComponent(word)}`, server.url).href);
    await page.locator('.search-results .search-hit').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-search-status]').textContent()).toMatch(/^1 page matches/);
    await page.close();
  });

  it('switches to the dark theme and keeps it on reload', async () => {
    const page = await open('', { colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.click('[data-theme-toggle]');
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.reload();
    expect(await background()).toBe('rgb(13, 17, 23)');
    expect(await page.evaluate(() => localStorage.getItem('gen3-docs-theme'))).toBe('dark');
    await shot(page, 'landing-dark');
    const service = await open('services/index.html');
    await service.locator('.card-title a').first().click();
    await service.waitForURL(/\/services\/[^/]+\/index\.html$/);
    expect(await service.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    expect(await axe(service)).toEqual([]);
    await shot(service, 'service-dark');
    await page.click('[data-theme-toggle]');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.close();
    await service.close();
  });

  it('follows the system dark preference when nothing was chosen', async () => {
    const page = await open('', { colorScheme: 'dark' });
    await page.evaluate(() => localStorage.removeItem('gen3-docs-theme'));
    await page.reload();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    await page.close();
  });

  it('fits a 360 px phone, with the sidebar collapsed behind a button', async () => {
    const page = await open('', { width: 360 });
    await page.evaluate(() => localStorage.removeItem('gen3-docs-theme'));
    await page.reload();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone-landing');
    await page.goto(new URL('services/index.html', server.url).href);
    await page.locator('.card-title a').first().click();
    await page.waitForURL(/\/services\/[^/]+\/index\.html$/);
    expect(await page.locator('#sidebar-nav').isVisible()).toBe(false);
    await shot(page, 'phone-service');
    await page.click('[data-sidebar-toggle]');
    expect(await page.locator('#sidebar-nav').isVisible()).toBe(true);
    await shot(page, 'phone-service-menu');
    await page.close();
  });

  it('renders real pages as GitHub does: tables, images and highlighted code', async () => {
    // The pages of this site with the most tables, local images and highlighted code, found in the output.
    const picks = richestPages(out);
    for (const kind of ['tables', 'images', 'code'] as const) {
      expect(picks[kind], `a page with ${kind}`).toBeDefined();
      const page = await open(picks[kind]!);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${picks[kind]} is wider than the window`).toBeLessThanOrEqual(0);
      if (kind === 'tables') {
        const rows = await page.locator('.content-body table').evaluateAll((tables) => tables.map((t) => (t as HTMLTableElement).rows.length));
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((n) => n >= 2)).toBe(true);
        await page.locator('.content-body table').first().scrollIntoViewIfNeeded();
      } else if (kind === 'images') {
        const images = page.locator('.content-body img[src*="assets/files/"]');
        await images.evaluateAll((all) => Promise.all(all.map((img) => (img as HTMLImageElement).decode().catch(() => undefined))));
        const widths = await images.evaluateAll((all) => all.map((img) => (img as HTMLImageElement).naturalWidth));
        expect(widths.length).toBeGreaterThan(0);
        expect(widths.filter((w) => w === 0)).toEqual([]);
        await images.first().scrollIntoViewIfNeeded();
      } else {
        const token = page.locator('.content-body pre code span[class^="pl-"]').first();
        const [tokenColour, codeColour] = await token.evaluate((span) => [getComputedStyle(span).color, getComputedStyle(span.closest('code')!).color]);
        expect(tokenColour).not.toBe(codeColour);
        expect(await page.locator('.content-body pre[data-language]').count()).toBeGreaterThan(0);
        await token.scrollIntoViewIfNeeded();
      }
      await shot(page, `page-${kind}`);
      await page.close();
    }
  });

  it('serves 404.html for a missing page', async () => {
    const page = await open('no/such/page/');
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    // Its stylesheet loaded although the page sits at an arbitrary depth.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).position)).toBe('sticky');
    await page.close();
  });

  it('logged no errors on any page', () => {
    expect(problems).toEqual([]);
  });
});

/** Words of the indexed text that occur on exactly one page, those of service READMEs first. */
function uniqueWords(out: string): { word: string; url: string }[] {
  const pages = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'index.html') {
        const html = readFileSync(full, 'utf8');
        const body = /data-pagefind-body>([\s\S]*?)<\/div>\s*(?:<nav class="pager"|<\/main>)/.exec(html)?.[1];
        if (!body) continue;
        const words = body.replace(/<[^>]+>/g, ' ').toLowerCase().match(/[a-z]{10,}/g) ?? [];
        pages.set(path.relative(out, full).split(path.sep).join('/'), new Set(words));
      }
    }
  };
  walk(out);
  const counts = new Map<string, number>();
  for (const words of pages.values()) for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const candidates = [...pages.entries()].sort(([a], [b]) => Number(!/^services\/[^/]+\/index\.html$/.test(a)) - Number(!/^services\/[^/]+\/index\.html$/.test(b)) || (a < b ? -1 : 1));
  const found: { word: string; url: string }[] = [];
  for (const [url, words] of candidates) {
    for (const word of [...words].filter((w) => counts.get(w) === 1).sort().slice(0, 3)) found.push({ word, url });
  }
  return found;
}

/** The page (out-relative index.html) with the most tables, the most images copied into the bundle, and the most highlighted code. */
function richestPages(out: string): Partial<Record<'tables' | 'images' | 'code', string>> {
  const best: Partial<Record<'tables' | 'images' | 'code', { url: string; n: number }>> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'md' && name !== 'pagefind') walk(full);
      } else if (name === 'index.html') {
        const html = readFileSync(full, 'utf8');
        const counts = { tables: (html.match(/<table/g) ?? []).length, images: (html.match(/<img[^>]*src="[^"]*assets\/files\//g) ?? []).length, code: (html.match(/class="pl-/g) ?? []).length };
        const url = path.relative(out, full).split(path.sep).join('/');
        for (const kind of ['tables', 'images', 'code'] as const) {
          if (counts[kind] > (best[kind]?.n ?? 0)) best[kind] = { url, n: counts[kind] };
        }
      }
    }
  };
  walk(out);
  return { tables: best.tables?.url, images: best.images?.url, code: best.code?.url };
}
