/**
 * The repository files a page will likely publish as images, read off its Markdown before it renders: the
 * relative targets of its images, of its `<img>`/`<source>` sources and of its links to raster images
 * (rehype-links publishes those too; a link to an SVG stays on GitHub), outside fenced code. Only a forecast,
 * so that a network source can fetch the bytes while earlier pages render; rehype-links decides for real.
 */
import { IMAGE, resolveRelative } from './resolve-link.ts';
import type { RenderContext } from './types.ts';
import { scanFences } from './fences.ts';

/** `![alt](target` of an image. */
const IMAGE_TARGET = /!\[[^\]]*\]\(\s*<?([^\s)>]+)/g;
/** `[text](target` of a link or an image. */
const LINK_TARGET = /\]\(\s*<?([^\s)>]+)/g;
/** `[label]: target` of a definition. */
const DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)/gm;
/** Quoted `src=`/`srcset=` of an `<img>` or `<source>` (each candidate of a srcset). */
const HTML_SOURCE = /<(?:img|source)\b[^>]*?\s(src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** Repository files (`repo`, `path`) the page's Markdown likely shows as images, each once, in page order. */
export function forecastImages(markdown: string, ctx: RenderContext): { repo: string; path: string }[] {
  if (!/[\]<]/.test(markdown)) return [];
  // An image written inside a fenced code block is shown as text.
  const text = scanFences(markdown).outside.join('\n');
  const urls: string[] = [];
  for (const m of text.matchAll(IMAGE_TARGET)) urls.push(m[1]!);
  const links = [...text.matchAll(LINK_TARGET)].map((m) => m[1]!);
  // A definition counts when its label is used besides (`[label]`, `[text][label]`, `![alt][label]`).
  const lowered = text.toLowerCase();
  for (const [, label, url] of text.matchAll(DEFINITION)) {
    if (IMAGE.test(url!.replace(/[?#].*/, '')) && lowered.split(`[${label!.toLowerCase()}]`).length > 2) links.push(url!);
  }
  for (const url of links) if (!/\.svg([?#]|$)/i.test(url)) urls.push(url);
  for (const m of text.matchAll(HTML_SOURCE)) {
    const value = m[2] ?? m[3] ?? '';
    urls.push(...(m[1]!.toLowerCase() === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value]));
  }
  const found = new Map<string, { repo: string; path: string }>();
  for (const url of urls) {
    const resolved = resolveRelative(ctx, url);
    if (resolved.kind !== 'file' || resolved.target.type !== 'blob' || !IMAGE.test(resolved.target.path)) continue;
    const { repo, path } = resolved.target;
    found.set(`${repo}\0${path}`, { repo, path });
  }
  return [...found.values()];
}
