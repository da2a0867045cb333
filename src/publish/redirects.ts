/**
 * Redirect pages: at each old address of a guide (its path on the MkDocs site it was published as, a blog
 * post's dated path, a configured redirect), a small page that sends the reader on to the page in the bundle.
 * The meta refresh works without script; the script keeps the #fragment the reader came with, which a meta
 * refresh drops; the canonical link tells search engines where the page lives now.
 */
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import type { Redirect } from '../catalog/site-urls.ts';
import { pageFile, relativeHref } from '../catalog/urls.ts';
import type { Config } from '../config/types.ts';
import type { OutputFile } from '../core/bundle.ts';
import { escapeHtml } from '../core/html.ts';
import { absolutePageUrl } from '../compose/site.ts';
import type { RenderedPage } from '../render/types.ts';

/** The file a redirect is written to: "a/b/" -> "a/b/index.html"; "a/b.html" stays. */
export function redirectFile(from: string): string {
  return from === '' || from.endsWith('/') ? pageFile(from) : from;
}

/** A script-safe JavaScript string literal (no "</script>" can close the element early). */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

export function redirectPage(redirect: Redirect, title: string, site: Config['site']): OutputFile {
  const file = redirectFile(redirect.from);
  // Hrefs are relative to the redirect's own folder, so the page works under any base path and from disk.
  const target = relativeHref(redirect.from, pageFile(redirect.to));
  const fragment = redirect.fragment ? `#${encodeURIComponent(redirect.fragment)}` : '';
  const canonical = absolutePageUrl(site, redirect.to) ?? target;
  const content = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="${escapeHtml(canonical)}">
<meta http-equiv="refresh" content="0; url=${escapeHtml(target + fragment)}">
<script>location.replace(${jsString(target)} + (location.hash || ${jsString(fragment)}));</script>
</head>
<body>
<p>This page has moved: <a href="${escapeHtml(target + fragment)}">${escapeHtml(title)}</a>.</p>
</body>
</html>
`;
  return { path: file, content };
}

/** Every redirect page of the bundle, titled by the page it leads to. */
export function redirectPages(catalog: Catalog, rendered: Map<CatalogPage, RenderedPage>, site: Config['site']): OutputFile[] {
  const titles = new Map([...rendered].map(([page, r]) => [page.url, r.title]));
  for (const c of catalog.blog?.categories ?? []) titles.set(c.url, c.name);
  return catalog.redirects.filter((r) => titles.has(r.to)).map((r) => redirectPage(r, titles.get(r.to)!, site));
}
