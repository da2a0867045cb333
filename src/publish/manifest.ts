/** out/manifest.json: every page of the bundle, for tools that consume it. */
import type { Catalog } from '../catalog/catalog.ts';
import type { RenderedPage } from '../render/types.ts';
import type { CatalogPage } from '../catalog/catalog.ts';
import { BUNDLE_VERSION, MANIFEST_FILE, type OutputFile } from '../core/bundle.ts';


export interface ManifestPage {
  url: string;
  title: string;
  kind: CatalogPage['kind'];
  repo: string;
  path: string;
  sha: string;
}

export function manifestFile(catalog: Catalog, rendered: Map<CatalogPage, RenderedPage>): OutputFile {
  const pages: ManifestPage[] = catalog.pages
    .filter((p) => rendered.has(p))
    .map((p) => ({ url: p.url, title: rendered.get(p)!.title, kind: p.kind, repo: p.doc.repo, path: p.doc.path, sha: p.doc.blobSha }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const repositories = [...catalog.repos.values()]
    .map((r) => ({ repo: r.meta.fullName, ref: r.ref, commit: r.commitSha }))
    .sort((a, b) => (a.repo < b.repo ? -1 : 1));
  return { path: MANIFEST_FILE, content: `${JSON.stringify({ bundleVersion: BUNDLE_VERSION, repositories, pages }, null, 2)}\n` };
}
