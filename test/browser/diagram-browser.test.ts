/**
 * The build's diagram browser in Debian's Chromium: mermaid's module build loads from node_modules through the
 * page's reserved host, the code of each kind of diagram is fetched when first drawn, and nothing else loads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramBrowserLauncher, openDiagramBrowser, type DiagramBrowser } from '../../src/publish/diagram-browser.ts';
import { CHROMIUM, hasChromium, noteSkipped } from '../support/browser.ts';

noteSkipped('diagram browser');

describe.skipIf(!hasChromium)('diagram browser', () => {
  let browser: DiagramBrowser;
  beforeAll(async () => {
    browser = await openDiagramBrowser(CHROMIUM);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws a flowchart and a sequence diagram in light and dark, with SVG text labels', async () => {
    const flow = await browser.draw('flow', 'graph TD;\n  Fence --> Arborist;\n');
    const sequence = await browser.draw('seq', 'sequenceDiagram\n  Client->>Fence: token\n  Fence-->>Client: ok\n');
    for (const drawn of [flow, sequence]) {
      if ('error' in drawn) throw new Error(drawn.error);
      expect(drawn.light).toMatch(/^<svg[^>]*id="(flow|seq)-light"/);
      expect(drawn.dark).toMatch(/^<svg[^>]*id="(flow|seq)-dark"/);
      expect(drawn.light).not.toContain('foreignObject');
      expect(drawn.light).not.toBe(drawn.dark.replace(/-dark/g, '-light'));
    }
    expect('light' in flow && flow.light).toContain('Arborist');
    expect('light' in sequence && sequence.light).toContain('token');
  });

  it("gives mermaid's own message for a diagram it rejects", async () => {
    const drawn = await browser.draw('bad', 'graph TD;\n  A -->\n');
    expect(drawn).toEqual({ error: expect.stringMatching(/\S/) });
  });

  it('gives, for diagrams drawn early by the build\'s launcher, the drawings asked for later', async () => {
    const diagrams = [
      { id: 'early-flow', text: 'graph TD;\n  Fence --> Arborist;\n' },
      { id: 'early-seq', text: 'sequenceDiagram\n  Client->>Fence: token\n' },
      { id: 'early-bad', text: 'graph TD;\n  A -->\n' },
    ];
    const launcher = diagramBrowserLauncher(CHROMIUM);
    launcher.drawEarly(diagrams);
    try {
      const opened = await launcher.open();
      const early = await Promise.all(diagrams.map((d) => opened.draw(d.id, d.text)));
      // mermaid numbers a sequence diagram's actors across the page's whole life: compared with a browser of the
      // same history, drawing them one at a time in the same order.
      const fresh = await openDiagramBrowser(CHROMIUM);
      const asked = [];
      try {
        for (const d of diagrams) asked.push(await fresh.draw(d.id, d.text));
      } finally {
        await fresh.close();
      }
      expect(early).toEqual(asked);
      expect(early.filter((d) => 'light' in d)).toHaveLength(2);
    } finally {
      await launcher.close();
    }
  });
});
