/**
 * A source that answers each question once per process: the repositories a long-running process
 * (`npm run dev`) does not watch are read when it starts and kept, so a rebuild reads only the local checkouts.
 * A failed answer is not kept, so the next build asks again.
 */
import type { ContentSource, RepoContent, RepoMeta, RepositoryRequest } from './types.ts';
import type { ApiRelease } from './types.ts';

function once<T>(memo: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
  let answer = memo.get(key);
  if (!answer) {
    answer = ask();
    memo.set(key, answer);
    answer.catch(() => memo.delete(key));
  }
  return answer;
}

export function rememberingSource(source: ContentSource): ContentSource {
  const repositories = new Map<string, Promise<RepoContent>>();
  const organisations = new Map<string, Promise<RepoMeta[]>>();
  const releases = new Map<string, Promise<ApiRelease[]>>();
  const keyOf = (request: RepositoryRequest) => JSON.stringify(request);
  return {
    ...source,
    kind: source.kind,
    // A complete answer serves any later request; a deferred one is completed (once) for a request that wants texts.
    loadRepository: async (request, options) => {
      const content = await once(repositories, keyOf(request), () => source.loadRepository(request, options));
      return content.deferred && !options?.defer ? content.deferred.complete() : content;
    },
    readBlob: (repo, filePath) => source.readBlob(repo, filePath),
    ...(source.blobFile ? { blobFile: (repo: RepoContent, filePath: string) => source.blobFile!(repo, filePath) } : {}),
    ...(source.listOrgRepositories ? { listOrgRepositories: (org: string) => once(organisations, org.toLowerCase(), () => source.listOrgRepositories!(org)) } : {}),
    ...(source.listReleases ? { listReleases: (repo: string) => once(releases, repo.toLowerCase(), () => source.listReleases!(repo)) } : {}),
    ...(source.prefetch
      ? { prefetch: (requests: readonly RepositoryRequest[]) => source.prefetch!(requests.filter((r) => !repositories.has(keyOf(r)))) }
      : {}),
  };
}
