/// <reference lib="dom" />
/**
 * Fence's API reference from the corpus in Chromium: no serious accessibility problem in either theme, readable
 * on a phone (nothing wider than the screen but scrollable tables and code), the in-page index leads to the
 * operation, and search shows a matching operation as a result of its own. Screenshots in
 * test-artifacts/screenshots/api-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from '../../src/build.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { hasChromium, launchChromium, noteSkipped, offlineContext } from '../support/browser.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, noteCorpusSkip } from '../support/corpus.ts';

noteSkipped('API reference in the browser');
noteCorpusSkip('API reference in the browser');

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const API = 'services/fence/api/index.html';

describe.skipIf(!hasChromium || !HAS_CORPUS)('fence API reference in a browser', () => {
  let tmp: string;
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  const errors: string[] = [];

  async function open(url: string, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto(new URL(url, server.url).href);
    return page;
  }

  async function seriousAxe(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
      const result = await run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'api-browser-'));
    const out = path.join(tmp, 'out');
    const config = parseConfig({ repositories: [{ repo: 'uc-cdis/fence', section: 'Core services' }] }, path.join(tmp, 'sources.json'));
    await build({ config, source: createSnapshotSource(CORPUS_SNAPSHOT), outDir: out, markdown: false });
    server = await startPreview({ dir: out, port: 0 });
    browser = await launchChromium();
    context = await offlineContext(browser, server.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it.each(['light', 'dark'] as const)('has no serious accessibility problem in the %s theme, on a desktop and a phone', async (scheme) => {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['mobile', { width: 390, height: 844 }]] as const) {
      const page = await open(API, viewport, scheme);
      expect(await page.locator('h1').textContent()).toBe('Fence OpenAPI Specification');
      expect(await seriousAxe(page), `${scheme} ${name}`).toEqual([]);
      // Only tables and code blocks scroll sideways; the page itself fits the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${scheme} ${name} overflows`).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, `api-fence-${scheme}-${name}.png`) });
      await page.locator('#user-content-op-authorize').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `api-fence-${scheme}-${name}-operation.png`) });
      await page.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the operations index on a phone as one short entry per operation, in the page\'s own flow', async () => {
    const measure = (page: Page) =>
      page.evaluate(() => {
        const table = document.querySelector('h2[id^="operations"] + table') as HTMLTableElement;
        const rows = [...table.tBodies[0]!.rows];
        const heights = rows.map((r) => r.getBoundingClientRect().height).sort((a, b) => a - b);
        return { rows: rows.length, median: heights[Math.floor(heights.length / 2)]!, tallest: heights.at(-1)!, scrolls: table.scrollHeight > table.clientHeight + 1, header: table.tHead!.getBoundingClientRect().height };
      });
    const phone = await open(API, { width: 390, height: 844 });
    const compact = await measure(phone);
    expect(compact.rows).toBeGreaterThan(50);
    // Method and path on one line, the summary under it (as a two-column table the rows were 86 px at the
    // median, 229 px at most); a very long path takes more lines.
    expect(compact.median).toBeLessThan(60);
    expect(compact.tallest).toBeLessThan(130);
    expect(compact).toMatchObject({ scrolls: false, header: 0 });
    await phone.click('a[href="#user-content-op-getUserInfo"]');
    expect(phone.url()).toMatch(/#user-content-op-getUserInfo$/);
    await phone.close();
    // A wide screen keeps the table, with its header.
    const desktop = await open(API, { width: 1280, height: 900 });
    expect((await measure(desktop)).header).toBeGreaterThan(0);
    await desktop.close();
  }, 60_000);

  it('leads from the operations index to the operation, and from the README to the page', async () => {
    const page = await open(API, { width: 1280, height: 900 });
    await page.click('a[href="#user-content-op-getUserInfo"]');
    expect(page.url()).toMatch(/#user-content-op-getUserInfo$/);
    expect(await page.locator('#user-content-op-getUserInfo').textContent()).toContain('/user');
    await page.goto(new URL('services/fence/index.html', server.url).href);
    await page.click('.api-reference-link a');
    await page.waitForURL(/\/services\/fence\/api\/index\.html$/);
    await page.close();
  }, 60_000);

  it('shows a matching operation as a search result of its own', async () => {
    const page = await open('services/fence/index.html', { width: 1280, height: 900 });
    await page.fill('[data-search-input]', 'denylisted');
    const hit = page.locator('.search-popup .search-hit').first();
    await hit.waitFor({ timeout: 15_000 });
    expect(await hit.getAttribute('href')).toMatch(/services\/fence\/api\/index\.html#user-content-op-/);
    await page.close();
  }, 60_000);
});

