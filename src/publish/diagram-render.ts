/**
 * Mermaid diagrams drawn at build time, so a page shows its diagrams without running a script. Each
 * `<pre class="mermaid">` block of a rendered page is drawn in Chromium (diagram-browser.ts) in a light and a
 * dark variant, passed through the SVG sanitizer, and put in the page inline, with its source kept beneath it
 * in a closed <details>; the site's stylesheet shows the variant of the reader's theme.
 *
 * Drawings are cached by the hash of the diagram's text (and mermaid's version and settings) under
 * `<cache>/diagrams/`, so a warm build starts no browser; the browser starts only when a diagram is not in the
 * cache. Without a browser, a block stays as it is and the page draws it in the reader's browser (the diagram
 * script). A diagram that cannot be drawn (mermaid rejects it, or its SVG does not pass the sanitizer) does the
 * same, with a warning naming the file and line of its block.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseFragment } from 'parse5';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import { readJsonEntry, writeEntry, type CacheDamage } from '../cache/entry.ts';
import { warning, type Warning } from '../core/warning.ts';
import type { RenderedPage } from '../render/types.ts';
import { fenceLanguage, scanFences } from '../render/fences.ts';
import { hasDiagram } from '../compose/diagrams.ts';
import { diagramBrowserLauncher, MERMAID_CONFIG, mermaidVersion, openDiagramBrowser, type DiagramBrowser, type DiagramBrowserLauncher, type Drawn } from './diagram-browser.ts';
import { sanitizeSvg } from './svg-sanitize.ts';

const BLOCK = /<pre\b[^>]*\sclass="mermaid"[^>]*>([\s\S]*?)<\/pre>/g;

export interface DrawContext {
  rendered: Map<CatalogPage, RenderedPage>;
  warnings: Warning[];
  cacheDir?: string;
  onCacheDamage?: CacheDamage;
  /** Chromium to draw with; none: every diagram is left to the reader's browser. */
  chromium?: string;
  /** Opens the browser (a build's launcher, which may have started it already; tests replace it). */
  open?: (chromium: string) => Promise<DiagramBrowser>;
}

export interface DrawStats {
  diagrams: number;
  drawn: number;
  fromCache: number;
  failed: number;
  browserStarted: boolean;
}

interface Block {
  page: CatalogPage;
  index: number;
  text: string;
  key: string;
}

/** The text of a rendered block (`<code>` with escaped source), as mermaid would read it. */
function blockText(inner: string): string {
  let text = '';
  const walk = (node: { nodeName: string; value?: string; childNodes?: unknown[] }) => {
    if (node.nodeName === '#text') text += node.value ?? '';
    for (const child of node.childNodes ?? []) walk(child as typeof node);
  };
  walk(parseFragment(inner) as unknown as Parameters<typeof walk>[0]);
  return text;
}

const keyOf = (version: string, text: string) => createHash('sha256').update(JSON.stringify([version, MERMAID_CONFIG, text])).digest('hex');

/** The id of a diagram's drawing (its SVG's id, and the prefix of the ids inside it). */
const idOf = (key: string) => `diagram-${key.slice(0, 12)}`;

/** The fenced blocks of a Markdown source that the renderer makes diagrams of. */
const mermaidFences = (markdown: string) => scanFences(markdown).blocks.filter((block) => fenceLanguage(block) === 'mermaid');

/**
 * The texts of a Markdown source's fenced mermaid blocks, as the rendered page will hold them (the fence's
 * indentation removed, a final newline): only a forecast, for starting the browser early, since a diagram
 * may also come from raw HTML or be changed by a dialect's syntax.
 */
export function fencedDiagramTexts(markdown: string): string[] {
  return mermaidFences(markdown).map((block) => (block.body.length ? `${block.body.join('\n')}\n` : ''));
}

/**
 * The diagrams a build of these pages will likely draw: the texts of the mermaid fences of their sources whose
 * drawing is not in the cache. Used to start Chromium, and draw them, while the pages render; drawDiagrams
 * decides for real (a forecast drawing that no rendered block asks for is left unused).
 */
export function diagramsLikelyToDraw(pages: Iterable<CatalogPage>, cacheDir: string | undefined): { id: string; text: string }[] {
  const version = mermaidVersion();
  const diagrams = new Map<string, string>();
  for (const page of pages) {
    const text = page.doc?.text;
    if (!text?.includes('mermaid')) continue;
    for (const diagram of fencedDiagramTexts(text)) {
      const key = keyOf(version, diagram);
      if (!cacheDir || !existsSync(path.join(cacheDir, 'diagrams', `${key}.json`))) diagrams.set(idOf(key), diagram);
    }
  }
  return [...diagrams].map(([id, text]) => ({ id, text }));
}

/** 1-based line of the index-th mermaid fence of the page's source, when it can be found. */
function lineOf(page: CatalogPage, index: number): number | undefined {
  return page.doc?.text ? mermaidFences(page.doc.text)[index]?.line : undefined;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The inline figure of a drawn diagram; `n` > 1 for its second and later copies on one page, so ids stay unique.
 * Pagefind leaves SVG out of the index: the source beneath is what search finds, as before the drawing.
 */
function figure(block: Block, drawn: { light: string; dark: string }, inner: string, n: number): string {
  const id = idOf(block.key);
  const own = (svg: string, variant: string) => (n > 1 ? svg.split(`${id}-${variant}`).join(`${id}-${variant}-${n}`) : svg);
  // The drawing's own width, so that a narrow screen can show a wide diagram larger than its column (scrolled).
  const width = Number(/<svg\b[^>]*\sviewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)/.exec(drawn.light)?.[1]);
  const style = width > 0 ? ` style="--diagram-width: ${Math.ceil(width)}px"` : '';
  return (
    `<figure class="diagram"${style}>` +
    `<div class="diagram-light">${own(drawn.light, 'light')}</div>` +
    `<div class="diagram-dark" data-pagefind-ignore="all">${own(drawn.dark, 'dark')}</div>` +
    `<details class="diagram-source"><summary>Diagram source</summary><pre data-language="mermaid">${inner || `<code>${escapeHtml(block.text)}</code>`}</pre></details>` +
    `</figure>`
  );
}

export async function drawDiagrams(context: DrawContext): Promise<DrawStats> {
  const stats: DrawStats = { diagrams: 0, drawn: 0, fromCache: 0, failed: 0, browserStarted: false };
  const version = mermaidVersion();
  const blocks = new Map<CatalogPage, Block[]>();
  for (const [page, rendered] of context.rendered) {
    if (!hasDiagram(rendered.html)) continue;
    const found = [...rendered.html.matchAll(BLOCK)].map((m, index) => {
      const text = blockText(m[1] ?? '');
      const key = keyOf(version, text);
      return { page, index, text, key };
    });
    if (found.length) blocks.set(page, found);
    stats.diagrams += found.length;
  }
  if (!stats.diagrams) return stats;

  const results = new Map<string, Drawn>();
  const cacheFile = (key: string) => context.cacheDir && path.join(context.cacheDir, 'diagrams', `${key}.json`);
  const unique = new Map<string, Block>();
  for (const list of blocks.values()) for (const b of list) if (!unique.has(b.key)) unique.set(b.key, b);
  for (const key of unique.keys()) {
    const file = cacheFile(key);
    if (!file) continue;
    const read = await readJsonEntry<Drawn>(file);
    if (read.state === 'damaged') context.onCacheDamage?.(file, 'the diagram is drawn again');
    if (read.state === 'ok' && ('error' in read.value || (typeof read.value.light === 'string' && typeof read.value.dark === 'string'))) {
      results.set(key, read.value);
      stats.fromCache += 1;
    }
  }

  const missing = [...unique.values()].filter((b) => !results.has(b.key));
  if (missing.length && context.chromium) {
    let browser: DiagramBrowser | undefined;
    try {
      browser = await (context.open ?? openDiagramBrowser)(context.chromium);
      stats.browserStarted = true;
    } catch (error) {
      const first = missing[0]!;
      context.warnings.push(warning(`${first.page.doc.repo}/${first.page.doc.path}`, 'diagram', `Chromium at ${context.chromium} did not start (${(error as Error).message.split('\n')[0]}); ${missing.length} diagrams are drawn in the reader's browser instead. Set CHROMIUM_PATH, or pass --no-build-diagrams`));
    }
    try {
      for (const block of browser ? missing : []) {
        const drawn = await browser!.draw(idOf(block.key), block.text);
        let result: Drawn = drawn;
        if (!('error' in drawn) && /<foreignObject\b/i.test(drawn.light + drawn.dark)) {
          // HTML labels: the sanitizer would drop them, leaving boxes without text.
          result = { error: 'the drawing holds HTML labels (foreignObject), which are not published' };
        } else if (!('error' in drawn)) {
          const [light, dark] = await Promise.all([sanitizeSvg(Buffer.from(drawn.light)), sanitizeSvg(Buffer.from(drawn.dark))]);
          result = light && dark ? { light: light.toString('utf8'), dark: dark.toString('utf8') } : { error: 'the drawn SVG did not pass the sanitizer' };
        }
        results.set(block.key, result);
        if (!('error' in result)) stats.drawn += 1;
        // A diagram that took too long may draw another time: only settled answers are kept.
        const file = cacheFile(block.key);
        if (file && !('error' in drawn && /longer than/.test(drawn.error))) await writeEntry(file, JSON.stringify(result)).catch(() => {});
      }
    } finally {
      await browser?.close().catch(() => {});
    }
  }

  for (const [page, list] of blocks) {
    const rendered = context.rendered.get(page)!;
    const copies = new Map<string, number>();
    let i = 0;
    const html = rendered.html.replace(BLOCK, (whole, inner: string) => {
      const block = list[i++]!;
      const result = results.get(block.key);
      if (!result) return whole;
      if ('error' in result) {
        stats.failed += 1;
        const where = `${page.doc.repo}/${page.doc.path}`;
        context.warnings.push(warning(where, 'diagram', `mermaid diagram could not be drawn at build time (${result.error}); the page draws it in the reader's browser, where it may fail alike: check the diagram's syntax`, { line: lineOf(page, block.index) }));
        return whole;
      }
      const n = (copies.get(block.key) ?? 0) + 1;
      copies.set(block.key, n);
      return figure(block, result, inner, n);
    });
    if (html !== rendered.html) context.rendered.set(page, { ...rendered, html });
  }
  return stats;
}

/**
 * The build's diagram browser: when the sources forecast diagrams to draw, it starts at once and draws them on
 * another core while the pages render, so that drawDiagrams mostly finds them drawn.
 */
export function startDiagramBrowser(chromium: string, catalog: Catalog, cacheDir: string | undefined): DiagramBrowserLauncher {
  const launcher = diagramBrowserLauncher(chromium);
  const forecast = diagramsLikelyToDraw(catalog.pages, cacheDir);
  if (forecast.length) launcher.drawEarly(forecast);
  return launcher;
}
