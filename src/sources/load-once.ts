/**
 * One load per repository and ref. A repository asked for in two roles (a service whose repository also
 * holds the guides or the release notes) is read once, with what any of its roles selects, and each role
 * keeps its own documents: its tree, tags and files are fetched once instead of once per role.
 */
import { pathMatcher } from './select.ts';
import type { ContentSource, LoadOptions, RepoContent, RepositoryRequest } from './types.ts';

const keyOf = (request: RepositoryRequest) => `${request.repo.toLowerCase()}\0${request.ref ?? ''}`;

/** The request that selects every document any of `requests` (same repository and ref) selects. */
export function mergeRequests(requests: readonly RepositoryRequest[]): RepositoryRequest {
  const [first, ...rest] = requests;
  if (!first) throw new Error('mergeRequests: no request');
  // Only what every role excludes may be left out; anything else one role excludes another may want.
  const exclude = first.exclude.filter((glob) => rest.every((r) => r.exclude.includes(glob)));
  return {
    ...first,
    include: [...new Set(requests.flatMap((r) => r.include))],
    exclude,
    tags: requests.some((r) => r.tags),
  };
}

/**
 * One role's part of a shared load: the documents its own globs select (documents are selected blobs, so
 * matching their paths selects what matching the tree would), its tags when it asked for them, and the
 * per-path warnings only for the first role.
 */
function roleContent(content: RepoContent, request: RepositoryRequest, first: boolean): RepoContent {
  const selected = pathMatcher(request.include, request.exclude);
  const { warnings, deferred, ...rest } = content;
  return {
    ...rest,
    tags: request.tags ? content.tags : [],
    documents: content.documents.filter((d) => selected(d.path)),
    ...(warnings && first ? { warnings } : {}),
    ...(deferred ? { deferred: { treeSize: deferred.treeSize, complete: async () => roleContent(await deferred.complete(), request, first) } } : {}),
  };
}

/**
 * `load(request)` for each of `requests`, sharing one source load between requests for the same repository
 * and ref. The per-path warnings of a shared load go to the first of its requests only, so they are reported once.
 */
export function loadOnce(source: ContentSource, requests: readonly RepositoryRequest[], options?: LoadOptions): (request: RepositoryRequest) => Promise<RepoContent> {
  const groups = new Map<string, RepositoryRequest[]>();
  for (const request of requests) groups.set(keyOf(request), [...(groups.get(keyOf(request)) ?? []), request]);
  const shared = new Map<string, Promise<RepoContent>>();
  return async (request) => {
    const group = groups.get(keyOf(request)) ?? [request];
    if (group.length === 1) return source.loadRepository(request, options);
    let load = shared.get(keyOf(request));
    if (!load) {
      load = source.loadRepository(mergeRequests(group), options);
      shared.set(keyOf(request), load);
    }
    return roleContent(await load, request, group[0] === request);
  };
}
