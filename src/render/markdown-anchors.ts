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
export function prefixAnchorLinks(page: MarkdownPage, rawAnchorsOf: (target: string) => ReadonlySet<string> | undefined, githubIdsOf: (target: string) => Readonly<Record<string, string>> | undefined = () => undefined): string {
  let body = page.body;
  for (const link of page.fragmentLinks ?? []) {
    const hash = link.url.indexOf('#');
    const githubIds = githubIdsOf(link.target);
    // A guide heading's MkDocs id becomes the id GitHub gives it, which is the one the exported page has.
    const heading = githubIds && Object.hasOwn(githubIds, link.fragment) ? githubIds[link.fragment] : undefined;
    let next: string;
    if (rawAnchorsOf(link.target)?.has(link.fragment)) next = `${link.url.slice(0, hash + 1)}${CLOBBER_PREFIX}${link.url.slice(hash + 1)}`;
    else if (heading) next = `${link.url.slice(0, hash + 1)}${encodeURIComponent(heading)}`;
    else continue;
    const escaped = link.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    body = body.replace(new RegExp(`(?<=[(<"\\s]|^)${escaped}(?=[)>"\\s]|$)`, 'gm'), () => next);
  }
  return body;
}
