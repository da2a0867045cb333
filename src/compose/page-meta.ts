/** What the site's pages say about themselves beyond their text: search metadata, and when their source last changed. */
import type { CatalogPage } from '../catalog/catalog.ts';
import type { RepoContent } from '../sources/types.ts';

const SEARCH_KINDS: Record<CatalogPage['kind'], string> = { readme: 'Service docs', doc: 'Service docs', guide: 'Guide', release: 'Release notes', changes: 'Release notes', api: 'API reference' };

/**
 * What a search result says about its page (kind, repository) and may filter on; `name` is what a reader would
 * type to mean the page itself (a service's name for its README, a version for its release notes), which the
 * site's search puts first.
 */
export function searchMetaOf(page: CatalogPage): { kind: string; repo?: string; name?: string } {
  const repo = page.service?.repo ?? (page.kind === 'guide' ? page.doc.repo : undefined);
  const name = page.kind === 'readme' && page.service ? page.service.repo.split('/').pop() : page.kind === 'release' ? page.url.replace(/^releases\/|\/$/g, '') : undefined;
  return { kind: SEARCH_KINDS[page.kind] ?? 'Page', repo, name };
}

const datesOf = new WeakMap<RepoContent, Map<string, string>>();
/** path -> date of the last change, for the files of a repository whose source said (a snapshot may). */
export function updatedDates(content: RepoContent): Map<string, string> {
  let dates = datesOf.get(content);
  if (!dates) {
    dates = new Map(content.tree.flatMap((e) => (e.updated ? [[e.path, e.updated] as [string, string]] : [])));
    datesOf.set(content, dates);
  }
  return dates;
}
