/// <reference lib="dom" />
/**
 * What a reader meets on the corpus build, in Chromium at a desktop (1280x900) and a phone (390x844) size: the
 * home page as a hub, tables that wrap, the copy button, heading permalinks, drawn diagrams, search ranking and
 * labels, and the page script from disk. Screenshots go to test-artifacts/screenshots/reader-*.png. Skipped,
 * with a line saying why, without Chromium or the corpus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { visit } from 'unist-util-visit';
import type { Root } from 'mdast';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { CHROMIUM, hasChromium, launchChromium, noteSkipped, offlineContext } from '../support/browser.ts';
import { CORPUS_DIR, CORPUS_SNAPSHOT, HAS_CORPUS, noteCorpusSkip, PROJECT_ROOT } from '../support/corpus.ts';

noteSkipped('reader browser tests');
noteCorpusSkip('reader browser tests');

const SHOTS = path.join(PROJECT_ROOT, 'test-artifacts/screenshots');
const REFERENCE = path.resolve(CORPUS_DIR, '../reference/gen3-docs-index.md');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

describe.skipIf(!hasChromium || !HAS_CORPUS)('what a reader meets on the corpus build', () => {
  let tmp: string;
  let out: string;
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  const errors: string[] = [];

  async function open(url: string, size = SIZES[0]!, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.emulateMedia({ colorScheme });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto(new URL(url, server.url).href);
    return page;
  }

  async function axe(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const run = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
      const result = await run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
  }

  /** Runs a query on the search page and returns the results shown: title, label line and address. */
  async function searchFor(query: string): Promise<{ page: Page; hits: { title: string; label: string; href: string; excerpt: string }[] }> {
    const page = await open(`search/index.html?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-search-status]')?.textContent ?? ''));
    const hits = await page.locator('.search-results > li').evaluateAll((lis) =>
      lis.map((li) => ({
        title: li.querySelector('.search-hit-title')?.textContent ?? '',
        label: li.querySelector('.search-hit-path')?.textContent ?? '',
        href: (li.querySelector('a.search-hit') as HTMLAnchorElement).href,
        excerpt: li.querySelector('.search-hit-excerpt')?.textContent ?? '',
      })),
    );
    return { page, hits };
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'reader-test-'));
    out = path.join(tmp, 'out');
    // Diagrams are drawn at build time, in the Chromium the suite drives.
    await build({ config: loadConfig(path.join(PROJECT_ROOT, 'sources.json')), source: createSnapshotSource(CORPUS_SNAPSHOT), outDir: out, diagramBrowser: CHROMIUM });
    server = await startPreview({ dir: out, port: 0 });
    browser = await launchChromium();
    context = await offlineContext(browser, server.url);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(REFERENCE))('shows every link of the reference home page within two screens, on a page at most 3,000 px tall', async () => {
    const tree = unified().use(remarkParse).parse(readFileSync(REFERENCE, 'utf8')) as Root;
    const urls = new Set<string>();
    visit(tree, (node) => {
      if ((node.type === 'link' || node.type === 'definition') && 'url' in node) urls.add(node.url as string);
    });
    // Links the reference makes relative to its own site are pages of this bundle.
    const mapped: Record<string, string> = {
      'gen3.org': 'https://gen3.org',
      '../contact.md': 'guides/contact/index.html',
      'developer-guide/contribute.md': 'guides/gen3-resources/developer-guide/contribute/index.html',
    };
    expect(urls.size).toBeGreaterThan(10);
    for (const size of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await open('', size, scheme);
        await page.screenshot({ path: path.join(SHOTS, `reader-home-${size.name}-${scheme}.png`), fullPage: true });
        if (scheme === 'dark') {
          await page.close();
          continue;
        }
        const tops = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLAnchorElement>('main a[href]')].reverse().map((a) => [a.getAttribute('href'), a.getBoundingClientRect().top + scrollY])));
        for (const url of urls) {
          const href = mapped[url] ?? url;
          expect(tops[href], `${href} on the ${size.name}`).toBeDefined();
          expect(tops[href]!, `${href} on the ${size.name}`).toBeLessThan(2 * size.height);
        }
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        if (size.name === 'desktop') expect(height).toBeLessThanOrEqual(3000);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await page.close();
      }
    }
  });

  it('wraps the Helm chart values table: rows as tall as their text, the page never scrolls sideways', async () => {
    for (const size of SIZES) {
      const page = await open('services/gen3-helm/helm/fence/index.html', size);
      await page.screenshot({ path: path.join(SHOTS, `reader-helm-values-${size.name}.png`) });
      const result = await page.evaluate(() => {
        const table = [...document.querySelectorAll('.markdown-body table')].find((t) => /Default/.test(t.querySelector('thead')?.textContent ?? ''))!;
        let worst = 0;
        for (const row of table.querySelectorAll('tbody tr')) {
          // The tallest cell's content, plus the cell's padding and border: what the row needs. The text's box
          // leaves out part of a line's leading, so less than a line is allowed for.
          let needed = 0;
          for (const cell of row.children) {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const style = getComputedStyle(cell);
            needed = Math.max(needed, range.getBoundingClientRect().height + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + 1);
          }
          worst = Math.max(worst, row.getBoundingClientRect().height - needed);
        }
        return { rows: table.querySelectorAll('tbody tr').length, worst, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect(result.rows).toBeGreaterThan(50);
      expect(result.worst, size.name).toBeLessThan(16);
      expect(result.overflow, size.name).toBeLessThanOrEqual(0);
      expect(await axe(page)).toEqual([]);
      await page.close();
    }
  });

  it('copies a code block with its button, and announces it', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
    const page = await open('services/fence/docs/additional_documentation/fence_create/index.html');
    const block = page.locator('.code-block').first();
    const code = await block.locator('pre').textContent();
    await block.locator('.copy-button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => block.locator('.copy-button').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    expect(await page.locator('[role="status"]').textContent()).toMatch(/copied/i);
    await page.close();
  });

  it('puts a permalink on every section heading, shown on focus', async () => {
    const page = await open('services/fence/index.html');
    const headings = await page.locator('.markdown-body :is(h2, h3, h4)[id]').evaluateAll((hs) => hs.map((h) => [h.id, h.querySelector('a.heading-anchor')?.getAttribute('href')]));
    expect(headings.length).toBeGreaterThan(5);
    for (const [id, href] of headings) expect(href, id!).toBe(`#${id}`);
    const anchor = page.locator('.heading-anchor').first();
    await anchor.focus();
    expect(await anchor.evaluate((a) => getComputedStyle(a).opacity)).toBe('1');
    expect(await anchor.getAttribute('aria-label')).toMatch(/^Link to this section: ./);
    await page.close();
  });

  it('shows mermaid diagrams drawn at build time, in the drawing of the reader\'s theme, with no diagram script', async () => {
    const file = 'services/gen3-workflow/docs/authorization/index.html';
    const html = readFileSync(path.join(out, file), 'utf8');
    // The SVG is in the page itself: no script draws it.
    expect(html).toMatch(/<div class="diagram-light"><svg\b[^>]*>/);
    expect(html).not.toContain('mermaid.min.js');
    expect(html).not.toContain('class="mermaid"');
    expect(existsSync(path.join(out, 'assets/mermaid.min.js'))).toBe(false);
    for (const size of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await open(file, size, scheme);
        const shown = page.locator(`.diagram-${scheme} svg`).first();
        const hidden = page.locator(`.diagram-${scheme === 'light' ? 'dark' : 'light'} svg`).first();
        expect(await shown.isVisible()).toBe(true);
        expect(await hidden.isVisible()).toBe(false);
        const box = (await shown.boundingBox())!;
        expect(box.width).toBeGreaterThan(100);
        // The drawing is 698 px wide: on a phone it keeps that width (labels stay readable) and its box scrolls.
        const frame = await shown.evaluate((svg) => ({ scroll: svg.parentElement!.scrollWidth, client: svg.parentElement!.clientWidth }));
        if (size.width < 640) {
          expect(box.width).toBeCloseTo(698, -1);
          expect(frame.scroll).toBeGreaterThan(frame.client);
        } else {
          expect(box.width).toBeLessThanOrEqual(size.width);
          expect(frame.scroll).toBe(frame.client);
        }
        // The labels are SVG text (no foreignObject, which the sanitizer drops).
        expect(await shown.locator('text').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('gen3-workflow')]));
        await shown.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `reader-mermaid-${size.name}-${scheme}.png`) });
        await page.close();
      }
    }
    const plain = readFileSync(path.join(out, 'services/fence/index.html'), 'utf8');
    expect(plain).not.toContain('mermaid.min.js');
  });

  it('ranks and labels search results', async () => {
    // Pagefind's own weights put the page named "fence" first (its `name` meta), not the Helm chart titled fence.
    // "Show more" only when there is more: hidden when every result is shown.
    const few = await searchFor('Hambergite');
    expect(few.hits.length).toBeGreaterThan(0);
    expect(few.hits.length).toBeLessThan(50);
    expect(await few.page.locator('[data-search-more]').isVisible()).toBe(false);
    await few.page.close();

    const fence = await searchFor('fence');
    expect(fence.hits[0]!.href).toMatch(/\/services\/fence\/index\.html$/);
    // The excerpt is the author's text: the generated "API reference" callout under the title is not indexed.
    expect(fence.hits[0]!.excerpt).toMatch(/^Fence\. A fence separates/);
    expect(fence.hits[0]!.excerpt).not.toContain('API reference');
    // 50 pages at first (an API reference shows each matching operation as a result of its own), more on demand.
    const first = fence.hits.length;
    expect(first).toBeGreaterThanOrEqual(50);
    expect(new Set(fence.hits.map((h) => h.href.replace(/#user-content-op-.*$/, ''))).size).toBe(50);
    await fence.page.click('[data-search-more]');
    // The next 50 pages' data loads on the click: a wide guard, for a busy machine.
    await expect.poll(() => fence.page.locator('.search-results > li').count(), { timeout: 20_000 }).toBeGreaterThan(first);
    await fence.page.screenshot({ path: path.join(SHOTS, 'reader-search-fence.png') });
    await fence.page.close();

    const helm = await searchFor('helm');
    expect(helm.hits.length).toBeGreaterThan(10);
    for (const hit of helm.hits.slice(0, 10)) expect(hit.label, hit.title).toMatch(/uc-cdis\//);
    await helm.page.close();

    const release = await searchFor('2026.07');
    expect(release.hits[0]!.href).toMatch(/\/releases\/2026\.07\/index\.html$/);
    // The "latest in 2026.07" line of each service's README is not indexed.
    expect(release.hits.filter((h) => /\/services\/[^/]+\/index\.html$/.test(h.href))).toEqual([]);
    await release.page.close();
  });

  it('searches as the reader types on the search page', async () => {
    const page = await open('search/index.html');
    await page.locator('[data-search-page-input]').pressSequentially('arborist', { delay: 20 });
    // Results of a first few letters may show before the whole word's: wait for the whole word's.
    await expect.poll(() => new URL(page.url()).searchParams.get('q'), { timeout: 15_000 }).toBe('arborist');
    await expect.poll(() => page.locator('[data-search-status]').textContent(), { timeout: 15_000 }).toMatch(/match(es)? “arborist”/);
    await expect.poll(() => page.locator('.search-results > li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.close();
  });

  it('works from disk: the theme toggles, and search says what it needs', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const before = await background();
    await page.click('[data-theme-toggle]');
    expect(await background()).not.toBe(before);
    await page.fill('[data-search-input]', 'fence');
    await expect.poll(() => page.locator('[data-search-popup]').textContent()).toMatch(/npm run preview/);
    await page.close();
  });

  it('met no script errors', () => {
    expect(errors).toEqual([]);
  });
});
