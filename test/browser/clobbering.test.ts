/// <reference lib="dom" />
/**
 * DOM clobbering in a real browser: a built page whose content names elements after every property of
 * `document` and `window` the site's scripts use, opened in Chromium from disk (file://) and over HTTP on
 * 127.0.0.1. The page must throw nothing and its theme toggle, sidebar toggle and search box must work. The
 * same page with the attempts spliced in unsanitized shows that assets/site.js holds on its own. Skipped, with
 * one line saying why, where /usr/bin/chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { runCli } from '../support/cli.ts';
import { makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';
import { CLOBBERING_PAGE, clobberingHtml, clobberingRepo } from '../support/clobbering.ts';
import { hasChromium, launchChromium, noteSkipped } from '../support/browser.ts';

noteSkipped('browser clobbering tests');

/** The built page, and a copy of it with the clobbering elements put into its content as written. */
const PAGES = [
  { name: 'built page', file: `${CLOBBERING_PAGE}index.html`, unsanitized: false },
  { name: 'page with unsanitized named elements', file: `${CLOBBERING_PAGE}unsanitized.html`, unsanitized: true },
];

describe.skipIf(!hasChromium)('named elements in a browser', () => {
  let snap: HostileSnapshot;
  let server: PreviewServer;
  let browser: Browser;

  beforeAll(async () => {
    snap = makeHostileSnapshot([clobberingRepo], { site: { title: 'Docs' } });
    const run = runCli(['--snapshot', snap.snapshot, '--config', snap.configFile, '--out', snap.out]);
    if (run.code !== 0) throw new Error(`build failed: ${run.stderr}`);
    const built = readFileSync(path.join(snap.out, PAGES[0]!.file), 'utf8');
    const marker = '<div class="content-body" data-pagefind-body>';
    if (!built.includes(marker)) throw new Error('content marker not found in the built page');
    writeFileSync(path.join(snap.out, PAGES[1]!.file), built.replace(marker, `${marker}\n${clobberingHtml()}\n`));
    server = await startPreview({ dir: snap.out, port: 0 });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeTemporaryFolders();
  });

  const cases = PAGES.flatMap((p) => [
    { ...p, over: 'file://' as const },
    { ...p, over: 'http' as const },
  ]);

  it.each(cases)('$name over $over: no page error; theme, sidebar and search work', async ({ file, over, unsanitized }) => {
    const url = over === 'http' ? new URL(file, server.url).href : pathToFileURL(path.join(snap.out, file)).href;
    expect(url.startsWith(over === 'http' ? 'http://127.0.0.1:' : 'file://')).toBe(true);
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForLoadState('load');
    // The content really holds the attempts.
    expect(await page.locator('img[name$="querySelectorAll"]').count()).toBeGreaterThan(0);

    // The in-page link lands on the anchor written in raw HTML, without any script's help.
    await page.click('a[href="#user-content-install-notes"]');
    expect(await page.evaluate(() => location.hash)).toBe('#user-content-install-notes');

    // Theme: the button flips it and says so. (Read through a locator: the test's own `document.body` may be
    // one of the named elements on the unsanitized page.)
    const theme = () => page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
    const before = await theme();
    await page.click('[data-theme-toggle]');
    expect(await theme()).not.toBe(before);
    expect(await page.getAttribute('[data-theme-toggle]', 'aria-pressed')).toBe(String(before === 'rgb(255, 255, 255)'));

    // Sidebar: collapsed on a phone, opened by its button.
    expect(await page.locator('#sidebar-nav').isVisible()).toBe(false);
    await page.click('[data-sidebar-toggle]');
    expect(await page.locator('#sidebar-nav').isVisible()).toBe(true);
    expect(await page.getAttribute('[data-sidebar-toggle]', 'aria-expanded')).toBe('true');

    // Search: the box answers, with results over HTTP and the "needs HTTP" note from disk. On the unsanitized
    // page Pagefind's own script fails (it reads document.querySelector), and the box says search is unavailable.
    await page.fill('[data-search-input]', 'notes');
    const popup = page.locator('[data-search-popup]');
    await popup.waitFor({ state: 'visible', timeout: 15_000 });
    if (over === 'http' && !unsanitized) expect(await popup.locator('.search-hit').count()).toBeGreaterThan(0);
    else expect(await popup.textContent()).toMatch(/^Search needs the site to be served over HTTP/);

    expect(errors).toEqual([]);
    await context.close();
  });
});
