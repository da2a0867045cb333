/** Pages with diagrams: only they load the diagram script (publish/diagram-script.ts writes it). */

export const DIAGRAM_SCRIPT = 'assets/mermaid.min.js';

/** Whether a page has a diagram to draw: the renderer gives mermaid blocks `<pre class="mermaid">`. */
export function hasDiagram(html: string): boolean {
  return /<pre\b[^>]*\sclass="mermaid"/.test(html);
}
