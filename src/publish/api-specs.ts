/**
 * Each API reference's OpenAPI document, published as the repository holds it beside its page
 * (services/<slug>/api/<file>), for download and for tools. Only documents whose page was rendered are
 * published; their bytes are the text the build read (YAML or JSON, served as data, never as a page).
 */
import type { ApiPlan } from '../api/plan.ts';
import type { CatalogPage } from '../catalog/catalog.ts';
import type { OutputFile } from '../core/bundle.ts';
import type { RenderedPage } from '../render/types.ts';

export function apiSpecFiles(apis: ApiPlan | undefined, rendered: Map<CatalogPage, RenderedPage>): OutputFile[] {
  return (apis?.pages ?? []).filter((a) => a.ok && rendered.has(a.page)).map((a) => ({ path: a.specFile, content: a.source.text }));
}
