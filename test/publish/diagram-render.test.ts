import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogPage } from '../../src/catalog/catalog.ts';
import type { Warning } from '../../src/core/warning.ts';
import type { DiagramBrowser, Drawn } from '../../src/publish/diagram-browser.ts';
import { drawDiagrams } from '../../src/publish/diagram-render.ts';
import type { RenderedPage } from '../../src/render/types.ts';

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
    expect(html).toMatch(/<figure class="diagram"><div class="diagram-light"><svg id="diagram-[0-9a-f]{12}-light"/);
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
