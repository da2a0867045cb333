/** Paginated REST lists of the GitHub API (tags, releases, an organisation's repositories). */
import type { Octokit } from '@octokit/rest';
import type { GitHubErrors } from './github-errors.ts';
import { allOrFirstError } from '../core/concurrency.ts';
import { SourceError } from './types.ts';

/**
 * Every item of a paginated REST list, 100 a page. The first answer's Link header names the last page, so
 * the others are asked for together (the limiter still bounds how many are in flight) instead of one after
 * another: a repository with 1,800 tags costs one round trip more, not eighteen. Without a `last` link,
 * `next` links are followed. `subject` and `what` name the list in errors ("uc-cdis/fence", "tags").
 */
export async function allPages(
  octokit: Octokit,
  failures: Pick<GitHubErrors, 'unexpected'>,
  subject: string,
  what: string,
  route: string,
  params: Record<string, string>,
): Promise<unknown[]> {
  const tooMany = (pages: string) => new SourceError(`${what} of ${subject}: ${pages} pages of 100 items; at most ${MAX_LIST_PAGES} are read`, subject);
  const ask = async (page: number) => {
    const response = await octokit.request(route, { ...params, per_page: 100, page });
    if (!Array.isArray(response.data)) throw failures.unexpected(subject, what, response.url);
    return { items: response.data as unknown[], link: response.headers.link ?? '' };
  };
  const first = await ask(1);
  const last = pageOfLink(first.link, 'last');
  if (last !== undefined) {
    if (last > MAX_LIST_PAGES) throw tooMany(String(last));
    const rest = await allOrFirstError(Array.from({ length: last - 1 }, (_, i) => ask(i + 2)));
    return [first, ...rest].flatMap((p) => p.items);
  }
  const items = [...first.items];
  for (let page = 2, link = first.link; linkOf(link, 'next') !== undefined; page++) {
    if (page > MAX_LIST_PAGES) throw tooMany(`more than ${MAX_LIST_PAGES}`);
    const next = await ask(page);
    items.push(...next.items);
    link = next.link;
  }
  return items;
}

/** Pages a REST list is read to at most (100,000 items): a bound on what one answer can make the build ask. */
const MAX_LIST_PAGES = 1000;

/** The URL a Link header gives for `rel` ("next", "last"), if any. */
function linkOf(link: string, rel: string): string | undefined {
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="([^"]*)"/.exec(part);
    if (m && m[2]!.split(/\s+/).includes(rel)) return m[1]!;
  }
  return undefined;
}

/** The `page` of the URL a Link header gives for `rel` ("next", "last"), if any. */
export function pageOfLink(link: string, rel: string): number | undefined {
  const url = linkOf(link, rel);
  if (url === undefined) return undefined;
  try {
    const page = Number(new URL(url).searchParams.get('page'));
    return Number.isInteger(page) && page >= 1 ? page : undefined;
  } catch {
    return undefined;
  }
}
