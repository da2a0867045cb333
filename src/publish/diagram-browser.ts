/**
 * Mermaid diagrams drawn at build time in a headless Chromium (playwright-core), with mermaid's own bundle
 * from node_modules: the page is blank and every request it would make is refused, so nothing reaches the
 * network. Each diagram is drawn twice, in mermaid's light ("default") and dark themes, as the site's script
 * would draw it for a reader in either.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

export async function openDiagramBrowser(executablePath: string): Promise<DiagramBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8') });
    const draw = async (id: string, text: string): Promise<Drawn> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Drawn>((resolve) => {
        timer = setTimeout(() => resolve({ error: `drawing took longer than ${DRAW_TIMEOUT_MS / 1000} s` }), DRAW_TIMEOUT_MS);
      });
      const drawing = page.evaluate(
        async ({ id, text, config }) => {
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
        },
        { id, text, config: MERMAID_CONFIG },
      );
      try {
        return await Promise.race([drawing, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    return { draw, close: () => browser.close() };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
