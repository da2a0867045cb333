/** Release summaries for the templates: counts by category and the breaking changes of each release. */
import type { RenderedPage } from '../render/types.ts';
import { CANONICAL_CATEGORIES, type Release } from '../releases/index.ts';
import type { CoreRelease, ReleasePlan } from '../releases/plan.ts';
import type { CatalogPage } from '../catalog/catalog.ts';
import { BREAKING, OTHER, itemsOf, monthName } from '../releases/pages.ts';

/** Column labels of the releases table, which has one column per category. */
const SHORT_CATEGORY: Record<string, string> = {
  'New Features': 'Features',
  'Breaking Changes': 'Breaking',
  'Bug Fixes': 'Fixes',
  'Dependency Updates': 'Dependencies',
  'Deployment Changes': 'Deployment',
};

/** A category's column label in the releases table. */
export const shortCategory = (name: string): string => SHORT_CATEGORY[name] ?? name;

export interface CategoryCount {
  name: string;
  count: number;
}

/** Items per category: the six of the PR template in their order, then everything else as "Other". */
export function categoryCounts(release: Release): CategoryCount[] {
  const counts = new Map<string, number>([...CANONICAL_CATEGORIES, OTHER].map((c) => [c, 0]));
  for (const category of release.services.flatMap((s) => s.categories)) {
    const name = counts.has(category.name) ? category.name : OTHER;
    counts.set(name, counts.get(name)! + category.items.length);
  }
  return [...counts].map(([name, count]) => ({ name, count }));
}

export interface ReleaseSummary {
  url: string;
  version: string;
  codename: string | null;
  title: string;
  month: string;
  /** YYYY-MM for <time>. */
  datetime: string;
  services: number;
  items: number;
  counts: CategoryCount[];
  breaking: number;
  /** Services with breaking changes and the id of their section on the release page. */
  breakingServices: { repo: string; id?: string }[];
}

export function releaseSummary(entry: CoreRelease, rendered?: RenderedPage): ReleaseSummary {
  const { release, page } = entry;
  const counts = categoryCounts(release);
  const idOf = (repo: string) => rendered?.toc.find((t) => t.depth === 2 && t.text === repo)?.id;
  return {
    url: page.url,
    version: release.version,
    codename: release.codename,
    title: release.title,
    month: monthName(release),
    datetime: `${release.year}-${String(release.month).padStart(2, '0')}`,
    services: release.services.filter((s) => itemsOf(s).length).length,
    items: counts.reduce((n, c) => n + c.count, 0),
    counts,
    breaking: counts.find((c) => c.name === BREAKING)!.count,
    breakingServices: release.services
      .filter((s) => s.categories.some((c) => c.name === BREAKING && c.items.length))
      .map((s) => ({ repo: s.repo, id: idOf(s.repo) })),
  };
}

/** The first `</h1>` of a rendered body splits the title from the rest, to put the summary under the title. */
export function splitTitle(html: string): { title: string; rest: string } {
  const end = html.indexOf('</h1>');
  return end < 0 ? { title: '', rest: html } : { title: html.slice(0, end + 5), rest: html.slice(end + 5) };
}

/**
 * The releases index: with planned releases, a table of each core release's changes counted by category and a
 * link to its breaking changes; without (a site with release pages but no plan), a plain list of them.
 */
export function releaseIndexPage(
  releases: ReleasePlan | undefined,
  pages: CatalogPage[],
  rendered: Map<CatalogPage, RenderedPage>,
  titleOf: (page: CatalogPage) => string,
): { template: string; context: Record<string, unknown> } {
  if (!releases) {
    return { template: 'list.njk', context: { title: 'Releases', intro: 'Gen3 release notes, newest first.', items: pages.map((p) => ({ url: p.url, title: titleOf(p) })) } };
  }
  const breakingIds = new Set(rendered.get(releases.breakingPage)?.ids ?? []);
  return {
    template: 'release-index.njk',
    context: {
      title: 'Releases',
      description: `The ${releases.core.length} Gen3 core releases, newest first, with their changes counted by category.`,
      rows: releases.core.map((c) => {
        const row = releaseSummary(c, rendered.get(c.page));
        return { ...row, breakingAnchor: breakingIds.has(`v${row.version}`) ? `v${row.version}` : undefined };
      }),
      categories: releases.core[0] ? releaseSummary(releases.core[0]).counts.map((c) => ({ name: c.name, short: shortCategory(c.name) })) : [],
      breakingUrl: releases.breakingPage.url,
    },
  };
}
