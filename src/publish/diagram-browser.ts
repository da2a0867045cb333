/**
 * Mermaid diagrams drawn at build time in a headless Chromium (driven over its DevTools pipe), with mermaid's own ES module
 * build from node_modules: the page and mermaid's files are answered from disk under a reserved host name
 * (".invalid") and every other request is refused, so nothing reaches the network. The module build loads only
 * the code of the kinds of diagram drawn, which starts about twice as fast as the single-file bundle. Each diagram is drawn twice, in mermaid's light ("default") and dark themes, as the site's script
 * would draw it for a reader in either.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launchChromium, type CdpSession, type Chromium } from './chromium-pipe.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Headless, with nothing that reaches the network on its own (updates, sync, first-run pages). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The Chromium to draw with: CHROMIUM_PATH (empty: none), else Debian's; undefined when it is not there. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  return file && existsSync(file) ? file : undefined;
}

const require = createRequire(import.meta.url);

/** Mermaid's version, part of the cache key: another version may draw the same text differently. */
export function mermaidVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('mermaid/package.json'), 'utf8')) as { version: string }).version;
}

/** What a diagram is drawn with; part of the cache key. Labels are SVG text: the sanitizer drops foreignObject. */
export const MERMAID_CONFIG = { startOnLoad: false, securityLevel: 'strict', htmlLabels: false, flowchart: { htmlLabels: false }, suppressErrorRendering: true } as const;

export type Drawn = { light: string; dark: string } | { error: string };

export interface DiagramBrowser {
  draw(id: string, text: string): Promise<Drawn>;
  close(): Promise<void>;
}

/** Longest a diagram may take to draw before it is given up (a wide guard: small diagrams take milliseconds). */
const DRAW_TIMEOUT_MS = 30_000;

/** Longest mermaid may take to load in the page. */
const LOAD_TIMEOUT_MS = 60_000;

const ORIGIN = 'https://diagrams.invalid';
const MERMAID_ENTRY = 'mermaid.esm.min.mjs';
/** The blank page: it imports mermaid and says when it is ready or why it is not. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script type="module">
import('/${MERMAID_ENTRY}').then((m) => { globalThis.mermaid = m.default; }, (e) => { globalThis.mermaidFailed = String(e); });
</script></head><body></body></html>`;

/** The file of mermaid's dist folder a request asks for; undefined for anything else (no way out of the folder). */
export function mermaidFile(url: string, distDir: string): string | undefined {
  const { origin, pathname } = new URL(url);
  if (origin !== ORIGIN) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const file = path.resolve(distDir, `.${path.posix.normalize(relative)}`);
  return file.startsWith(distDir + path.sep) && file.endsWith('.mjs') ? file : undefined;
}

/** Draws one diagram in the page, in both themes; evaluated in Chromium, so it uses nothing from this module. */
async function drawInPage({ id, text, config }: { id: string; text: string; config: object }) {
  const lib = (globalThis as unknown as { mermaid: { initialize(c: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
  const out: Record<string, string> = {};
  try {
    for (const [variant, theme] of [['light', 'default'], ['dark', 'dark']] as const) {
      lib.initialize({ ...config, theme });
      out[variant] = (await lib.render(`${id}-${variant}`, text)).svg;
    }
    return { light: out.light!, dark: out.dark! };
  } catch (error) {
    return { error: String((error as Error)?.message ?? error).split('\n').slice(0, 3).join(' ') };
  }
}

/** Resolves with mermaid's load error ('' once loaded); polls, as the page imports mermaid after its load event. */
const MERMAID_LOADED = `new Promise((resolve) => {
  const check = () => ('mermaid' in globalThis || 'mermaidFailed' in globalThis ? resolve(globalThis.mermaidFailed ?? '') : setTimeout(check, 20));
  check();
})`;

interface Evaluated<T> {
  result: { value?: T };
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

export async function evaluate<T>(page: CdpSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await page.send<Evaluated<T>>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value as T;
}

/** Settles with `work`, or with `late()` after `ms`. */
async function within<T>(work: Promise<T>, ms: number, late: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => Promise.resolve().then(late).then(resolve, reject), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every request of the page: the page itself and mermaid's files are answered from disk, anything else refused. */
function answerRequests(page: CdpSession, distDir: string): void {
  page.on('Fetch.requestPaused', (params) => {
    const { requestId, request } = params as { requestId: string; request: { url: string } };
    let body: Buffer | undefined;
    let type = 'text/javascript';
    if (request.url === `${ORIGIN}/`) {
      [body, type] = [Buffer.from(PAGE), 'text/html'];
    } else {
      const file = mermaidFile(request.url, distDir);
      try {
        body = file ? readFileSync(file) : undefined;
      } catch {
        body = undefined;
      }
    }
    const answer = body
      ? page.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders: [{ name: 'Content-Type', value: type }], body: body.toString('base64') })
      : page.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    answer.catch(() => {}); // the page may be gone; the build hears of it from its own command
  });
}

/** A page of `browser` with mermaid loaded from node_modules, and no way to reach anything else. */
export async function openDiagramPage(browser: Chromium): Promise<CdpSession> {
  const page = await browser.newPage();
  answerRequests(page, path.dirname(require.resolve(`mermaid/dist/${MERMAID_ENTRY}`)));
  await page.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
  await page.send('Page.enable');
  const loaded = new Promise<void>((resolve) => page.on('Page.loadEventFired', () => resolve()));
  const { errorText } = await page.send<{ errorText?: string }>('Page.navigate', { url: `${ORIGIN}/` });
  if (errorText) throw new Error(`the diagram page did not load: ${errorText}`);
  const failed = await within(
    loaded.then(() => evaluate<string>(page, MERMAID_LOADED)),
    LOAD_TIMEOUT_MS,
    () => Promise.reject(new Error(`mermaid did not load within ${LOAD_TIMEOUT_MS / 1000} s`)),
  );
  if (failed) throw new Error(`mermaid did not load: ${failed}`);
  return page;
}

export async function openDiagramBrowser(executablePath: string): Promise<DiagramBrowser> {
  const browser = await launchChromium(executablePath, CHROMIUM_ARGS);
  try {
    const page = await openDiagramPage(browser);
    const draw = (id: string, text: string): Promise<Drawn> =>
      within(evaluate<Drawn>(page, `(${drawInPage.toString()})(${JSON.stringify({ id, text, config: MERMAID_CONFIG })})`), DRAW_TIMEOUT_MS, () => ({
        error: `drawing took longer than ${DRAW_TIMEOUT_MS / 1000} s`,
      }));
    return { draw, close: () => browser.close() };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/**
 * One browser for a build, which may be started before it is needed: starting takes seconds of mostly
 * Chromium's own CPU, which runs on another core while the pages are rendered. Diagrams forecast from the
 * sources are drawn there too, while the pages render (`drawEarly`); the browser `open` gives draws one diagram
 * at a time, and a diagram already drawn, or being drawn, is not drawn again.
 */
export interface DiagramBrowserLauncher {
  chromium: string;
  /**
   * Starts the browser now and queues the drawing of each diagram, without waiting: a failure to start is
   * reported by `open`, a drawing's to whoever asks `open`'s browser for it.
   */
  drawEarly(diagrams: { id: string; text: string }[]): void;
  /** The browser, started once. */
  open(): Promise<DiagramBrowser>;
  /** Closes the browser if it was started; safe to call more than once. */
  close(): Promise<void>;
}

export function diagramBrowserLauncher(chromium: string, launch: (chromium: string) => Promise<DiagramBrowser> = openDiagramBrowser): DiagramBrowserLauncher {
  let started: Promise<DiagramBrowser> | undefined;
  const launched = () => (started ??= launch(chromium));
  // The page draws one diagram at a time: each drawing waits for the one before it.
  const drawings = new Map<string, Promise<Drawn>>();
  let last: Promise<unknown> = Promise.resolve();
  const draw = (id: string, text: string): Promise<Drawn> => {
    const key = JSON.stringify([id, text]);
    let drawing = drawings.get(key);
    if (!drawing) {
      drawing = last.then(launched).then((browser) => browser.draw(id, text));
      // Handled here, so that a drawing nobody asks for again cannot end the process as an unhandled rejection.
      last = drawing.catch(() => {});
      drawings.set(key, drawing);
    }
    return drawing;
  };
  const close = async () => {
    const browser = started;
    started = undefined;
    await browser?.then((b) => b.close(), () => {}).catch(() => {});
  };
  return {
    chromium,
    drawEarly(diagrams) {
      void launched().catch(() => {});
      for (const { id, text } of diagrams) void draw(id, text);
    },
    open: () => launched().then(() => ({ draw, close })),
    close,
  };
}
