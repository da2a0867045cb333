/**
 * Cross-page anchors, checked once every page is rendered: a link to another page's `#fragment` that names no
 * id there is matched like same-page anchors (anchors.ts: slug, case, MkDocs spellings); failing that, the
 * fragment is dropped (the link goes to the page's top) with a warning naming file and line. The fix rewrites
 * the exact `href="..."` the renderer emitted in the page's HTML (those hrefs are percent-encoded, so they
 * contain neither `"` nor `&` and appear verbatim in the serialized HTML).
 */
import { warning as make, type Warning } from '../core/warning.ts';
import type { RenderedPage } from './types.ts';
import { matchFragment } from './anchors.ts';

export interface CrossLinkPage {
  /** Out-relative folder URL of the page. */
  url: string;
  /** "owner/repo/path" of its source, for warnings. */
  file: string;
  page: RenderedPage;
}

/** Fixes the pages' html in place; returns the warnings and counts the fixes in each page's stats. */
export function resolveCrossLinks(pages: Iterable<CrossLinkPage>): Warning[] {
  const list = [...pages];
  const idsByUrl = new Map(list.map((p) => [p.url, new Set(p.page.ids)]));
  const warnings: Warning[] = [];
  for (const { file, page } of list) {
    const replacements = new Map<string, string>();
    for (const link of page.crossLinks) {
      const ids = idsByUrl.get(link.targetUrl);
      if (!ids || replacements.has(link.href)) continue;
      const id = matchFragment(link.fragment, ids);
      if (id === link.fragment) continue;
      const base = link.href.replace(/#.*$/, '');
      if (id !== undefined) {
        replacements.set(link.href, `${base}#${encodeURIComponent(id)}`);
        page.stats.linksRewritten++;
      } else {
        replacements.set(link.href, base);
        page.stats.linksBroken++;
        const warning: Warning = make(file, 'broken-anchor', `anchor "#${link.fragment}" names no heading or id of ${link.targetUrl || 'the home page'}; linked to the page's top`, { line: link.line });
        warnings.push(warning);
        page.warnings.push(warning);
      }
    }
    for (const [from, to] of replacements) page.html = page.html.split(`href="${from}"`).join(`href="${to}"`);
  }
  return warnings;
}
