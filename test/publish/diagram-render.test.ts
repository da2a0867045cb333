import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogPage } from '../../src/catalog/catalog.ts';
import type { Warning } from '../../src/core/warning.ts';
import { diagramBrowserLauncher, mermaidFile, type DiagramBrowser, type Drawn } from '../../src/publish/diagram-browser.ts';
import { diagramsLikelyToDraw, drawDiagrams, fencedDiagramTexts } from '../../src/publish/diagram-render.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { RenderedPage } from '../../src/render/types.ts';
import { context, doc } from '../render/helpers.ts';

const SOURCE = '# Flow\n\nText.\n\n```mermaid\ngraph TD;\n  A --> B;\n```\n\nMore.\n\n~~~mermaid\nnot a diagram <b>\n~~~\n';
/** The blocks as the renderer writes them: the source escaped inside <code>. */
const block = (text: string) => `<pre data-language="mermaid" class="mermaid"><code class="language-mermaid">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></pre>`;
const HTML = `<h1>Flow</h1><p>Text.</p>${block('graph TD;\n  A --> B;\n')}<p>More.</p>${block('not a diagram <b>\n')}`;

function site(html = HTML) {
  const page = { doc: { repo: 'acme/svc', path: 'docs/flow.md', text: SOURCE } } as unknown as CatalogPage;
  const rendered = new Map<CatalogPage, RenderedPage>([[page, { html } as RenderedPage]]);
  return { page, rendered, warnings: [] as Warning[] };
}

/** A stand-in for Chromium: draws what mermaid would accept, refuses the rest, and counts its starts. */
function fakeBrowser(drawn: (id: string, text: string) => Drawn) {
  const calls = { opened: 0, drawn: [] as string[] };
  const open = async (): Promise<DiagramBrowser> => {
    calls.opened += 1;
    return { draw: async (id, text) => (calls.drawn.push(text), drawn(id, text)), close: async () => {} };
  };
  return { calls, open };
}
const svg = (id: string, fill: string) =>
  `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>#${id} rect{fill:${fill}}</style><rect width="10" height="10" onclick="alert(1)"/><script>alert(1)</script></svg>`;
const drawIfValid = (id: string, text: string): Drawn => (text.startsWith('graph') ? { light: svg(`${id}-light`, '#fff'), dark: svg(`${id}-dark`, '#000') } : { error: 'Parse error on line 1' });

describe('diagrams drawn at build time', () => {
  it('leaves every diagram to the reader\'s browser when there is no Chromium, and starts nothing', async () => {
    const { page, rendered, warnings } = site();
    const { calls, open } = fakeBrowser(drawIfValid);
    const stats = await drawDiagrams({ rendered, warnings, open });
    expect(stats).toMatchObject({ diagrams: 2, drawn: 0, browserStarted: false });
    expect(calls.opened).toBe(0);
    expect(rendered.get(page)!.html).toBe(HTML);
    expect(warnings).toEqual([]);
  });

  it('inlines the sanitized light and dark drawings, and falls back with a warning naming file and line for a diagram that fails', async () => {
    const { page, rendered, warnings } = site();
    const { calls, open } = fakeBrowser(drawIfValid);
    const stats = await drawDiagrams({ rendered, warnings, open, chromium: '/usr/bin/chromium' });
    expect(stats).toMatchObject({ diagrams: 2, drawn: 1, failed: 1, browserStarted: true });
    expect(calls.drawn).toEqual(['graph TD;\n  A --> B;\n', 'not a diagram <b>\n']);
    const html = rendered.get(page)!.html;
    // The drawing's width from its viewBox, for the phone layout.
    expect(html).toMatch(/<figure class="diagram" style="--diagram-width: 10px"><div class="diagram-light"><svg id="diagram-[0-9a-f]{12}-light"/);
    expect(html).toContain('<div class="diagram-dark" data-pagefind-ignore="all"><svg');
    expect(html).not.toMatch(/<script|onclick/);
    // The source stays readable beneath the drawing; the failed block is left as it was, for the page script.
    expect(html).toContain('<summary>Diagram source</summary><pre data-language="mermaid"><code class="language-mermaid">graph TD;');
    expect(html).toContain(block('not a diagram <b>\n'));
    expect(warnings).toEqual([expect.objectContaining({ file: 'acme/svc/docs/flow.md', line: 12, ruleId: 'diagram', message: expect.stringContaining('Parse error on line 1') })]);
  });

  it('draws from the cache on the next build without starting the browser, warning again about the failed one', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'diagram-cache-'));
    const first = site();
    await drawDiagrams({ ...first, cacheDir, open: fakeBrowser(drawIfValid).open, chromium: '/usr/bin/chromium' });
    const second = site();
    const { calls, open } = fakeBrowser(drawIfValid);
    const stats = await drawDiagrams({ ...second, cacheDir, open, chromium: '/usr/bin/chromium' });
    expect(calls.opened).toBe(0);
    expect(stats).toMatchObject({ fromCache: 2, drawn: 0, browserStarted: false });
    expect(second.rendered.get(second.page)!.html).toBe(first.rendered.get(first.page)!.html);
    expect(second.warnings.map((w) => w.ruleId)).toEqual(['diagram']);
  });

  it('gives a diagram shown twice on one page ids of its own', async () => {
    const twice = `${block('graph TD;\n  A --> B;\n')}${block('graph TD;\n  A --> B;\n')}`;
    const { page, rendered, warnings } = site(twice);
    const { calls, open } = fakeBrowser(drawIfValid);
    await drawDiagrams({ rendered, warnings, open, chromium: '/usr/bin/chromium' });
    expect(calls.drawn).toHaveLength(1);
    const ids = [...rendered.get(page)!.html.matchAll(/<svg id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });

  it('does not publish a drawing whose labels are HTML, which the sanitizer would empty', async () => {
    const { page, rendered, warnings } = site(block('graph TD;\n  A --> B;\n'));
    const html = (id: string) => `<svg id="${id}" xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">A</div></foreignObject></svg>`;
    const { open } = fakeBrowser((id) => ({ light: html(`${id}-light`), dark: html(`${id}-dark`) }));
    await drawDiagrams({ rendered, warnings, open, chromium: '/usr/bin/chromium' });
    expect(rendered.get(page)!.html).toBe(block('graph TD;\n  A --> B;\n'));
    expect(warnings).toEqual([expect.objectContaining({ ruleId: 'diagram', line: 5, message: expect.stringContaining('HTML labels') })]);
  });

  it('falls back with one warning when Chromium does not start', async () => {
    const { page, rendered, warnings } = site();
    const open = async (): Promise<DiagramBrowser> => {
      throw new Error('spawn ENOENT');
    };
    await drawDiagrams({ rendered, warnings, open, chromium: '/nowhere/chromium' });
    expect(rendered.get(page)!.html).toBe(HTML);
    expect(warnings).toEqual([expect.objectContaining({ ruleId: 'diagram', message: expect.stringContaining('/nowhere/chromium did not start (spawn ENOENT)') })]);
  });
});

describe('starting the browser early', () => {
  // Fences of several shapes: their forecast texts must be the texts the rendered page gives the browser.
  const FENCES = [
    '# Shapes',
    '```mermaid\ngraph LR;\n  A --> B;\n```',
    '~~~~ mermaid\nsequenceDiagram\n  A->>B: hi\n\n  B-->>A: ok\n~~~~',
    '- a list item\n\n  ```mermaid\n  graph TD;\n    C --> D;\n  ```',
    '   ```mermaid\n   pie\n     "x" : 1\n   ```',
    '```mermaid\n```',
  ].join('\n\n');

  it('forecasts, from the Markdown source, the very texts drawn from the rendered page', async () => {
    for (const dialect of [undefined, { name: 'mkdocs' as const, extensions: ['pymdownx.superfences'] }]) {
      const page = { doc: doc(FENCES, 'docs/shapes.md') } as unknown as CatalogPage;
      const rendered = await renderMarkdown(page.doc, { ...context('docs/shapes.md'), dialect });
      const { calls, open } = fakeBrowser(drawIfValid);
      await drawDiagrams({ rendered: new Map([[page, rendered]]), warnings: [], open, chromium: '/usr/bin/chromium' });
      expect(calls.drawn.length).toBeGreaterThanOrEqual(4);
      expect(fencedDiagramTexts(FENCES).filter((t) => t)).toEqual(calls.drawn.filter((t) => t));
    }
  });

  it('expects a drawing only while a fenced diagram is not in the cache', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'diagram-forecast-'));
    const { page, rendered, warnings } = site();
    const plain = { doc: { repo: 'acme/svc', path: 'docs/plain.md', text: '# Plain\n\n```js\nmermaid();\n```\n' } } as unknown as CatalogPage;
    expect(diagramsLikelyToDraw([plain], cacheDir)).toEqual([]);
    const forecast = diagramsLikelyToDraw([plain, page], cacheDir);
    expect(forecast.map((d) => d.text)).toEqual(['graph TD;\n  A --> B;\n', 'not a diagram <b>\n']);
    expect(forecast.map((d) => d.id)).toEqual([expect.stringMatching(/^diagram-[0-9a-f]{12}$/), expect.stringMatching(/^diagram-[0-9a-f]{12}$/)]);
    expect(diagramsLikelyToDraw([page], undefined)).toEqual(forecast);
    await drawDiagrams({ rendered, warnings, cacheDir, open: fakeBrowser(drawIfValid).open, chromium: '/usr/bin/chromium' });
    expect(diagramsLikelyToDraw([plain, page], cacheDir)).toEqual([]);
  });

  it('draws the forecast diagrams before they are asked for, one at a time, and each only once', async () => {
    const drawn: string[] = [];
    let [launches, drawing, overlapped] = [0, 0, false];
    const browser: DiagramBrowser = {
      async draw(id, text) {
        if (drawing++) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        drawing -= 1;
        drawn.push(text);
        return drawIfValid(id, text);
      },
      close: async () => {},
    };
    const launcher = diagramBrowserLauncher('/usr/bin/chromium', async () => (launches++, browser));
    const { page, rendered, warnings } = site();
    launcher.drawEarly(diagramsLikelyToDraw([page], undefined));
    expect(launches).toBe(1);
    const stats = await drawDiagrams({ rendered, warnings, open: launcher.open, chromium: '/usr/bin/chromium' });
    expect(stats).toMatchObject({ diagrams: 2, drawn: 1, failed: 1, browserStarted: true });
    expect(drawn).toEqual(['graph TD;\n  A --> B;\n', 'not a diagram <b>\n']);
    expect(overlapped).toBe(false);
    expect(launches).toBe(1);
    // The same page as one drawn when asked.
    const asked = site();
    await drawDiagrams({ rendered: asked.rendered, warnings: [], open: fakeBrowser(drawIfValid).open, chromium: '/usr/bin/chromium' });
    expect(rendered.get(page)!.html).toBe(asked.rendered.get(asked.page)!.html);
  });

  it('lets early drawings in a browser that does not start end quietly, and says so when it is opened', async () => {
    const failing = diagramBrowserLauncher('/nowhere/chromium', async () => {
      throw new Error('spawn ENOENT');
    });
    failing.drawEarly([{ id: 'diagram-000000000000', text: 'graph TD;\n' }]);
    await expect(failing.open()).rejects.toThrow('spawn ENOENT');
    const { rendered, warnings } = site();
    const stats = await drawDiagrams({ rendered, warnings, open: failing.open, chromium: '/nowhere/chromium' });
    expect(stats).toMatchObject({ diagrams: 2, drawn: 0, browserStarted: false });
    expect(warnings[0]!.message).toContain('did not start (spawn ENOENT)');
  });

  it('starts one browser however often it is asked, and reports an early failure when it is opened', async () => {
    let launches = 0;
    let closed = 0;
    const browser: DiagramBrowser = { draw: async () => ({ error: 'unused' }), close: async () => void closed++ };
    const launcher = diagramBrowserLauncher('/usr/bin/chromium', async () => (launches++, browser));
    launcher.drawEarly([]);
    expect(launches).toBe(1);
    expect(await (await launcher.open()).draw('diagram-0', 'graph TD;\n')).toEqual({ error: 'unused' });
    expect(launches).toBe(1);
    await launcher.close();
    await launcher.close();
    expect(closed).toBe(1);

    const never = diagramBrowserLauncher('/usr/bin/chromium', async () => (launches++, browser));
    await never.close();
    expect(launches).toBe(1);

    const failing = diagramBrowserLauncher('/nowhere/chromium', async () => {
      throw new Error('spawn ENOENT');
    });
    failing.drawEarly([]);
    await expect(failing.open()).rejects.toThrow('spawn ENOENT');
    await failing.close();
  });

  it("answers the page's requests with mermaid's own module files and nothing else", () => {
    const dist = path.join(tmpdir(), 'mermaid', 'dist');
    expect(mermaidFile('https://diagrams.invalid/mermaid.esm.min.mjs', dist)).toBe(path.join(dist, 'mermaid.esm.min.mjs'));
    expect(mermaidFile('https://diagrams.invalid/chunks/mermaid.esm.min/chunk-A1.mjs', dist)).toBe(path.join(dist, 'chunks/mermaid.esm.min/chunk-A1.mjs'));
    // Climbing out is folded back into the folder, by the URL parser or by the path normalisation.
    for (const url of ['https://diagrams.invalid/../../package.mjs', 'https://diagrams.invalid/%2e%2e/%2e%2e/evil.mjs', 'https://diagrams.invalid/..%2f..%2f..%2fevil.mjs']) {
      expect(mermaidFile(url, dist), url).toMatch(new RegExp(`^${dist}/[^/]+\\.mjs$`));
    }
    for (const url of ['https://diagrams.invalid/mermaid.esm.min.mjs.map', 'https://diagrams.invalid/package.json', 'https://example.org/mermaid.esm.min.mjs', 'https://diagrams.invalid/%E0%A4%A.mjs']) {
      expect(mermaidFile(url, dist), url).toBeUndefined();
    }
  });
});
