/**
 * Links between exported Markdown pages (out/md/) to anchors written in raw HTML: those anchors carry the
 * `user-content-` prefix (markdown-html.ts), so a link `other.md#x` becomes `other.md#user-content-x`, as on the
 * site. Applied when the export is assembled, once every page's anchors are known; kept apart from
 * markdown-page.ts so that assembling does not load remark.
 */
import type { MarkdownPage } from './markdown-page.ts';
import { CLOBBER_PREFIX } from './sanitize-schema.ts';

/**
 * The body of an exported page with its links to other pages' raw HTML anchors prefixed like those anchors.
 * `rawAnchorsOf` gives a page's `rawAnchors` by md/ path. Only URLs this page wrote are touched, where they
 * stand as a link destination, a definition or an attribute value.
 */
export function prefixAnchorLinks(page: MarkdownPage, rawAnchorsOf: (target: string) => ReadonlySet<string> | undefined): string {
  let body = page.body;
  for (const link of page.fragmentLinks ?? []) {
    if (!rawAnchorsOf(link.target)?.has(link.fragment)) continue;
    const hash = link.url.indexOf('#');
    const next = `${link.url.slice(0, hash + 1)}${CLOBBER_PREFIX}${link.url.slice(hash + 1)}`;
    const escaped = link.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    body = body.replace(new RegExp(`(?<=[(<"\\s]|^)${escaped}(?=[)>"\\s]|$)`, 'gm'), () => next);
  }
  return body;
}
