/**
 * srcset filter: hast-util-sanitize checks the protocol of href and src but not of srcset, so each srcset
 * candidate is checked here, right after the sanitizer: only relative and http(s) URLs with a plain
 * width/density descriptor are kept; an attribute left empty is removed. No options.
 */
import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';

const DESCRIPTOR = /^\d+(?:\.\d+)?[wx]$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Splits a srcset as browsers do: a URL runs to the next whitespace (it may contain commas, as data: URLs do). */
export function parseSrcSet(srcSet: string): { url: string; descriptors: string[] }[] {
  const out: { url: string; descriptors: string[] }[] = [];
  let i = 0;
  while (i < srcSet.length) {
    while (i < srcSet.length && /[\s,]/.test(srcSet[i]!)) i++;
    if (i >= srcSet.length) break;
    let end = i;
    while (end < srcSet.length && !/\s/.test(srcSet[end]!)) end++;
    let url = srcSet.slice(i, end);
    i = end;
    const descriptors: string[] = [];
    if (/,+$/.test(url)) url = url.replace(/,+$/, '');
    else {
      const comma = srcSet.indexOf(',', i);
      const stop = comma === -1 ? srcSet.length : comma;
      descriptors.push(...srcSet.slice(i, stop).trim().split(/\s+/).filter(Boolean));
      i = stop + 1;
    }
    out.push({ url, descriptors });
  }
  return out;
}

export function filterSrcSet(srcSet: string): string | undefined {
  const kept: string[] = [];
  for (const { url, descriptors } of parseSrcSet(srcSet)) {
    if (descriptors.length > 1 || (descriptors[0] && !DESCRIPTOR.test(descriptors[0]))) continue;
    // Control characters and whitespace inside a scheme are ignored by URL parsers: judge without them.
    const scheme = SCHEME.exec(url.replace(/[\u0000-\u0020\u007f]/g, ''))?.[1]?.toLowerCase();
    if (scheme && scheme !== 'http' && scheme !== 'https') continue;
    if (/[<>"'`]/.test(url)) continue;
    kept.push([url, ...descriptors].join(' '));
  }
  return kept.length ? kept.join(', ') : undefined;
}

const rehypeSafeSrcset: Plugin<[], Root> = () => (tree) => {
  eachElement(tree, (node) => {
    const value: unknown = node.properties.srcSet;
    if (value === undefined) return;
    const filtered = typeof value === 'string' ? filterSrcSet(value) : Array.isArray(value) ? filterSrcSet((value as unknown[]).join(', ')) : undefined;
    if (filtered === undefined) delete node.properties.srcSet;
    else node.properties.srcSet = filtered;
  });
};

export default rehypeSafeSrcset;
