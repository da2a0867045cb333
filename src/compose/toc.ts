/** A table of contents read back from rendered HTML. */
import type { TocEntry } from '../render/types.ts';
import { readsAsDescription } from '../render/rehype-description.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

/** Headings of a rendered body, for pages whose renderer gave no table of contents. */
export function tocFromHtml(html: string): TocEntry[] {
  const toc: TocEntry[] = [];
  for (const m of html.matchAll(/<h([23])\b[^>]*?\sid="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)) {
    const text = decodeEntities(m[3]!.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    if (text) toc.push({ depth: m[1] === '2' ? 2 : 3, id: decodeEntities(m[2]!), text });
  }
  return toc;
}


/** Plain text of the first paragraph that reads as a description (badge rows, lead-ins and instructions do not), cut at about `max` characters. */
export function firstParagraph(html: string, max = 160): string | undefined {
  for (const m of html.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/g)) {
    const text = decodeEntities(m[1]!.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    if (!/[a-z]{3,}/i.test(text) || text.split(' ').length < 4) continue;
    // "To install it, run:" introduces a code block; it does not describe anything.
    if (!readsAsDescription(text)) continue;
    if (text.length <= max) return text;
    const cut = text.slice(0, max);
    return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[\s,;:.]+$/, '')}…`;
  }
  return undefined;
}
