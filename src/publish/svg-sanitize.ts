/**
 * SVG images made safe to publish on the site's own origin. Opened as a document (its URL typed in, or from
 * file://), an SVG runs its scripts and event handlers there, so a repository's SVG is published only as
 * this returns it:
 *
 * - parsed as XML, the way a browser parses an .svg file (no HTML parser in between whose reading could differ);
 *   a file that is not well-formed, or whose root is no <svg> element, is refused;
 * - sanitized in place by DOMPurify's SVG allowlist (elements, attributes, namespaces; no scripts, handlers,
 *   foreignObject, animation of attributes), on jsdom, the server-side DOM DOMPurify is tested on;
 * - every reference must stay inside the file: href and xlink:href only to `#fragment` (so no javascript:,
 *   data: or remote URL, and <use> may come back for local glyphs and symbols), url(...) only to `#fragment`,
 *   and <style> text without @import, image-set() or CSS escapes that could spell either;
 * - serialized as XML without the doctype (internal entities were expanded as text, never as markup), then
 *   parsed and checked once more for anything active before it is accepted.
 *
 * Parsing builds a DOM of the whole file, about 140 MB and 3 s for 1 MB of SVG here: larger files are not
 * sanitized (SVG_MAX_BYTES) and stay on GitHub.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config as PurifyConfig, DOMPurify } from 'dompurify';
import { CODE_EXT, CODE_ROOT, PROJECT_ROOT, hashOfFiles } from '../core/code-version.ts';
import { readEntry, writeEntry } from '../cache/entry.ts';

export const SVG_MAX_BYTES = 1024 * 1024;

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const LOCAL_REFERENCE = /^\s*#/;
/** A url( whose target is not a fragment of this file, quoted or not. */
const FOREIGN_URL = /url\(\s*(?!['"]?\s*#)/i;
const RISKY_CSS = /@import|image-set|\\|expression\s*\(|behavior\s*:|-moz-binding/i;

interface Sanitizer {
  window: Window & typeof globalThis;
  purify: DOMPurify;
}

let sanitizer: Promise<Sanitizer> | undefined;

/** jsdom and DOMPurify load on the first SVG only (about 0.3 s): most builds publish none. */
function load(): Promise<Sanitizer> {
  sanitizer ??= (async () => {
    const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
    const window = new JSDOM('').window as unknown as Window & typeof globalThis;
    const purify = createDOMPurify(window);
    purify.addHook('uponSanitizeAttribute', (_node, data) => {
      const name = data.attrName.toLowerCase();
      const value = data.attrValue ?? '';
      if ((name === 'href' || name === 'xlink:href') && !LOCAL_REFERENCE.test(value)) data.keepAttr = false;
      if (FOREIGN_URL.test(value) || (name === 'style' && RISKY_CSS.test(value))) data.keepAttr = false;
    });
    purify.addHook('uponSanitizeElement', (node, data) => {
      // Emptied rather than removed: DOMPurify walks the tree in place and keeps track of what it removes.
      if (data.tagName === 'style' && (FOREIGN_URL.test(node.textContent ?? '') || RISKY_CSS.test(node.textContent ?? ''))) node.textContent = '';
    });
    return { window, purify };
  })();
  return sanitizer;
}

const CONFIG: PurifyConfig = {
  USE_PROFILES: { svg: true, svgFilters: true },
  // <use> is off by default because it can pull in another document; the href hook keeps it to #fragments.
  ADD_TAGS: ['use'],
  // Clobbering protection drops ids like "head" that markers and gradients are named by; it guards scripts
  // of a page the markup is inserted into, and this file is a document of its own that runs none.
  SANITIZE_DOM: false,
  IN_PLACE: true,
};

/**
 * Results by the SHA-256 of the input: a process that builds again and again (`npm run dev`) meets the same
 * images on every build, and jsdom is most of their cost. Bounded by the bytes kept.
 */
const sanitized = new Map<string, Buffer | undefined>();
let keptBytes = 0;
const MAX_KEPT_BYTES = 32 * 1024 * 1024;

let version: string | undefined;
/** This file and the locked versions of jsdom and DOMPurify: a change to either sanitizes every SVG again. */
const sanitizerVersion = () => (version ??= hashOfFiles([path.join(CODE_ROOT, `publish/svg-sanitize${CODE_EXT}`), path.join(PROJECT_ROOT, 'package-lock.json')]).slice(0, 16));

/**
 * The SVG made safe, as UTF-8 XML; undefined when it is not an SVG document or cannot be made safe. With a
 * cache folder, results are also kept in <cache>/svg/ (one entry per input, its first byte 1 for a result
 * that follows and 0 for a refusal), so that a build whose pages only show SVGs met before loads no jsdom.
 */
export async function sanitizeSvg(bytes: Buffer, cacheDir?: string): Promise<Buffer | undefined> {
  const key = createHash('sha256').update(bytes).digest('hex');
  if (sanitized.has(key)) return sanitized.get(key);
  const file = cacheDir && path.join(cacheDir, 'svg', sanitizerVersion(), key.slice(0, 2), key);
  const kept = file ? await readEntry(file) : undefined;
  let clean: Buffer | undefined;
  if (kept?.state === 'ok' && kept.value.length > 0) {
    clean = kept.value[0] === 1 ? kept.value.subarray(1) : undefined;
  } else {
    clean = await sanitizeSvgOnce(bytes);
    if (file) await writeEntry(file, clean ? Buffer.concat([Buffer.from([1]), clean]) : Buffer.from([0])).catch(() => {});
  }
  if (keptBytes + (clean?.length ?? 0) > MAX_KEPT_BYTES) {
    sanitized.clear();
    keptBytes = 0;
  }
  sanitized.set(key, clean);
  keptBytes += clean?.length ?? 0;
  return clean;
}

async function sanitizeSvgOnce(bytes: Buffer): Promise<Buffer | undefined> {
  const { window, purify } = await load();
  const text = bytes.toString('utf8');
  const doc = new window.DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || doc.getElementsByTagName('parsererror').length || root.namespaceURI !== SVG_NS || root.localName !== 'svg') return undefined;
  try {
    purify.sanitize(root, CONFIG);
  } catch {
    return undefined; // DOMPurify refuses what it cannot sanitize in place: so do we
  }
  const clean = new window.XMLSerializer().serializeToString(root);
  return isInert(window, clean) ? Buffer.from(clean, 'utf8') : undefined;
}

/** A second look at the result, parsed afresh: nothing that runs, and no reference outside the file. */
function isInert(window: Window & typeof globalThis, xml: string): boolean {
  const doc = new window.DOMParser().parseFromString(xml, 'image/svg+xml');
  if (doc.getElementsByTagName('parsererror').length || doc.documentElement?.namespaceURI !== SVG_NS) return false;
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    if (el.namespaceURI !== SVG_NS) return false;
    const name = el.localName.toLowerCase();
    if (name === 'script' || name === 'foreignobject' || name === 'iframe' || name === 'handler') return false;
    if (name === 'style' && (FOREIGN_URL.test(el.textContent ?? '') || RISKY_CSS.test(el.textContent ?? ''))) return false;
    for (const attr of Array.from(el.attributes)) {
      const attrName = attr.localName.toLowerCase();
      if (attrName.startsWith('on') || FOREIGN_URL.test(attr.value)) return false;
      if ((attrName === 'href' && (attr.namespaceURI === null || attr.namespaceURI === XLINK_NS)) && !LOCAL_REFERENCE.test(attr.value)) return false;
    }
  }
  return true;
}
