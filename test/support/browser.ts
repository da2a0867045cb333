/**
 * Debian's Chromium for the browser suites, driven by playwright-core: never a downloaded browser. A suite
 * skips where it is absent, and says so in one line.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/publish/diagram-browser.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
export const hasChromium = existsSync(CHROMIUM);

/** The Chromium profile folders this process's launches have in the temporary folder. */
export function ownChromiumProfiles(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`gen3-docs-chromium-${process.pid}-`));
}

/** Prints why `suite` is skipped, when it is. */
export function noteSkipped(suite: string): void {
  if (!hasChromium) console.log(`${suite} skipped: no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`);
}

/** Headless, with the build's own Chromium arguments (src/publish/diagram-browser.ts). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

/** A context that reaches nothing but `origin` (the preview server): pages must work offline. */
export async function offlineContext(browser: Browser, origin: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  return context;
}
