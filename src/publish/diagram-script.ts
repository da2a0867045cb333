/**
 * The diagram script: a build of mermaid shipped in the bundle (no CDN) as `assets/mermaid.min.js`, a classic
 * script that works from file:// too. Written only when some page has a diagram; only such pages load it
 * (templates/layout.njk), and the site's script draws their `<pre class="mermaid">` blocks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OutputFile } from '../core/bundle.ts';
import { DIAGRAM_SCRIPT } from '../compose/diagrams.ts';

export { hasDiagram } from '../compose/diagrams.ts';

export function diagramScript(): OutputFile {
  const file = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  return { path: DIAGRAM_SCRIPT, content: readFileSync(file) };
}
