/// <reference lib="dom" />
/**
 * Whether anything a repository brought as an "image" runs script on the site's origin, asked of Chromium:
 * every published asset is opened as a document, from file:// and over http from 127.0.0.1, and
 * window.__pwned must stay undefined. The same payloads opened straight from the snapshot set it, so the
 * check can fail. Skipped, with one line saying why, where /usr/bin/chromium is absent.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';
import { PAYLOADS, TEST_MAX_ASSET_BYTES, payloadRepo } from './asset-payloads.ts';
import { hasChromium, launchChromium, noteSkipped } from '../support/browser.ts';

noteSkipped('asset browser tests');

describe.skipIf(!hasChromium)('published assets opened in Chromium', () => {
  let snap: HostileSnapshot;
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  let assets: string[];

  /** window.__pwned after opening a URL as a document and giving its scripts a moment. */
  async function pwnedAfterOpening(url: string): Promise<unknown> {
    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForTimeout(100);
      return await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    snap = makeHostileSnapshot([payloadRepo()]);
    await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false, maxAssetBytes: TEST_MAX_ASSET_BYTES });
    assets = ['assets/files', 'md/assets'].flatMap((dir) => readdirSync(path.join(snap.out, dir)).map((f) => `${dir}/${f}`));
    server = await startPreview({ dir: snap.out, port: 0 });
    browser = await launchChromium();
    context = await browser.newContext();
    // Offline: only the preview server and local files.
    await context.route('**/*', (route) => (/^(file:|http:\/\/127\.0\.0\.1:)/.test(route.request().url()) ? route.continue() : route.abort()));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeTemporaryFolders();
  });

  it('the payloads run when opened as they are in the repository (so the check below can fail)', async () => {
    const files = path.join(snap.snapshot, 'hostile-org/pics/files');
    const raw = await startPreview({ dir: files, port: 0 });
    try {
      for (const name of ['img/evil.svg', 'diagram.html', 'page.htm', 'data.xhtml', 'feed.xml'] as const) {
        expect(PAYLOADS[name]).toContain('__pwned');
        expect(await pwnedAfterOpening(pathToFileURL(path.join(files, name)).href), `file:// ${name}`).toBeDefined();
        // The preview server types .svg, .html and .xml as a static host does (.htm and .xhtml it offers as downloads).
        if (/\.(svg|html|xml)$/.test(name)) expect(await pwnedAfterOpening(new URL(name, raw.url).href), `http ${name}`).toBeDefined();
      }
    } finally {
      await raw.close();
    }
  }, 60_000);

  it('no published asset runs script, opened from file:// or over http', async () => {
    expect(assets.length).toBe(6); // three files, each under assets/files/ and md/assets/
    for (const asset of assets) {
      expect(await pwnedAfterOpening(pathToFileURL(path.join(snap.out, asset)).href), `file:// ${asset}`).toBeUndefined();
      expect(await pwnedAfterOpening(new URL(asset, server.url).href), `http ${asset}`).toBeUndefined();
    }
  }, 120_000);

  it('the page showing them runs none of their script either', async () => {
    for (const url of [new URL('services/pics/index.html', server.url).href, pathToFileURL(path.join(snap.out, 'services/pics/index.html')).href]) {
      expect(await pwnedAfterOpening(url), url).toBeUndefined();
    }
  }, 60_000);
});
