/** out/manifest.json: every page of the bundle, for tools that consume it. */
import type { Catalog } from '../catalog/catalog.ts';
import type { RenderedPage } from '../render/types.ts';
import type { CatalogPage } from '../catalog/catalog.ts';
import { BUNDLE_VERSION, MANIFEST_FILE, type OutputFile } from '../core/bundle.ts';


export interface ManifestPage {
  url: string;
  title: string;
  kind: CatalogPage['kind'] | 'redirect';
  repo: string;
  path: string;
  sha: string;
  /** A redirect's page, as its URL (and fragment). */
  target?: string;
}

export function manifestFile(catalog: Catalog, rendered: Map<CatalogPage, RenderedPage>): OutputFile {
  const pages: ManifestPage[] = catalog.pages
    .filter((p) => rendered.has(p))
    .map((p): ManifestPage => ({ url: p.url, title: rendered.get(p)!.title, kind: p.kind, repo: p.doc.repo, path: p.doc.path, sha: p.doc.blobSha }));
  const byUrl = new Map(pages.map((p) => [p.url, p]));
  // A blog category's page is made from the blog: its redirect names the blog page's source.
  const blogPage = catalog.blog?.indexUrl ? byUrl.get(catalog.blog.indexUrl) : undefined;
  for (const c of catalog.blog?.categories ?? []) if (blogPage) byUrl.set(c.url, { ...blogPage, title: c.name });
  // A redirect names its page's source, so that every entry says where its content comes from.
  for (const r of catalog.redirects) {
    const page = byUrl.get(r.to);
    if (page) pages.push({ ...page, url: r.from, kind: 'redirect', target: r.fragment ? `${r.to}#${r.fragment}` : r.to });
  }
  pages.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const repositories = [...catalog.repos.values()]
    .map((r) => ({ repo: r.meta.fullName, ref: r.ref, commit: r.commitSha }))
    .sort((a, b) => (a.repo < b.repo ? -1 : 1));
  return { path: MANIFEST_FILE, content: `${JSON.stringify({ bundleVersion: BUNDLE_VERSION, repositories, pages }, null, 2)}\n` };
}
