/** What the GitHub source asks of GraphQL: the query shape of a repository, and reading its answers back. */
import type { Octokit } from '@octokit/rest';
import type { GitHubErrors } from './github-errors.ts';
import { parseRepoName, trustedRepoMeta } from './shared.ts';
import { SourceError, type RepoMeta, type RepositoryRequest, type Tag } from './types.ts';

/** Repositories per GraphQL query; 100 is the most a GitHub connection page holds. */
export const GRAPHQL_BATCH = 100;

/** GraphQL endpoint of a REST API root: GitHub Enterprise serves it at /api/graphql beside /api/v3. */
export function graphqlUrlFor(baseUrl: string): string {
  const url = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(url) ? url.replace(/\/api\/v3$/, '/api/graphql') : `${url}/graphql`;
}

/**
 * What one GraphQL query reads of each repository: metadata, the head of the default branch, and its newest
 * 100 tags by commit date (an annotated tag's `target` is the tag object: its own target is the commit).
 */
export const REPO_FIELDS =
  'nameWithOwner name owner { login } description url pushedAt isArchived isFork defaultBranchRef { name target { oid } } repositoryTopics(first: 100) { nodes { topic { name } } } ' +
  'refs(refPrefix: "refs/tags/", first: 100, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) { nodes { name target { oid ... on Tag { target { oid } } } } }';

export interface Head {
  meta: RepoMeta;
  /** Head of the default branch, when known. */
  headSha?: string;
  /** The newest tags by commit date, when known: then GET .../tags is not sent. */
  tags?: Tag[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RepoMeta and head commit from a GraphQL Repository selected with REPO_FIELDS. */
export function headFromGraphql(node: unknown): Head | undefined {
  if (!isRecord(node)) return undefined;
  const owner = isRecord(node.owner) ? node.owner.login : undefined;
  const branch = isRecord(node.defaultBranchRef) ? node.defaultBranchRef : undefined;
  const target = branch && isRecord(branch.target) ? branch.target : undefined;
  const topics = isRecord(node.repositoryTopics) && Array.isArray(node.repositoryTopics.nodes) ? node.repositoryTopics.nodes : [];
  if (typeof node.nameWithOwner !== 'string' || typeof node.name !== 'string' || typeof owner !== 'string' || typeof node.url !== 'string') return undefined;
  // An empty repository has no default branch ref; the REST path explains that case.
  if (!branch || typeof branch.name !== 'string') return undefined;
  const meta: RepoMeta = {
    fullName: node.nameWithOwner,
    owner,
    name: node.name,
    defaultBranch: branch.name,
    description: typeof node.description === 'string' ? node.description : null,
    htmlUrl: node.url,
    pushedAt: typeof node.pushedAt === 'string' ? node.pushedAt : null,
    archived: node.isArchived === true,
    fork: node.isFork === true,
    topics: topics.flatMap((t) => (isRecord(t) && isRecord(t.topic) && typeof t.topic.name === 'string' ? [t.topic.name] : [])),
  };
  const sha = target?.oid;
  const head: Head = typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? { meta, headSha: sha } : { meta };
  const tags = tagsFromGraphql(node.refs);
  if (tags) head.tags = tags;
  return head;
}

/** Tags from a `refs` connection selected as in REPO_FIELDS; undefined when any of it is not as expected. */
function tagsFromGraphql(refs: unknown): Tag[] | undefined {
  if (!isRecord(refs) || !Array.isArray(refs.nodes)) return undefined;
  const tags: Tag[] = [];
  for (const node of refs.nodes) {
    if (!isRecord(node) || !isRecord(node.target) || typeof node.name !== 'string') return undefined;
    const peeled = isRecord(node.target.target) ? node.target.target.oid : node.target.oid;
    if (typeof peeled !== 'string') return undefined;
    tags.push({ name: node.name, sha: peeled });
  }
  return tags;
}

export interface GraphQLAnswer {
  data: Record<string, unknown> | null;
  errors: { type?: string; message?: string; path?: unknown[] }[];
}

/** One GraphQL query; errors in the answer are returned, failures of the request thrown as SourceErrors. */
export async function graphqlQuery(octokit: Octokit, failures: GitHubErrors, graphqlUrl: string, what: string, query: string): Promise<GraphQLAnswer> {
  const response = await failures.call(what, 'GraphQL query', () => octokit.request(`POST ${graphqlUrl}`, { query }));
  const body: unknown = response.data;
  if (!isRecord(body) || (body.data !== undefined && body.data !== null && !isRecord(body.data))) throw failures.unexpected(what, 'GraphQL query', graphqlUrl);
  const errors = Array.isArray(body.errors) ? (body.errors.filter(isRecord) as GraphQLAnswer['errors']) : [];
  return { data: isRecord(body.data) ? body.data : null, errors };
}

/** What the GraphQL batches need of the source they serve. */
export interface GraphqlBatchContext {
  octokit: Octokit;
  failures: GitHubErrors;
  graphqlUrl: string;
  /** Repositories per query, 1..100. */
  batchSize: number;
  /** Where the heads learned are kept for the source's later loads, by lower-case "owner/name". */
  known: Map<string, Head>;
  webOrigin: string;
  warn(message: string): void;
  /** The listed repository made trusted, or undefined (with a warning) when it is not one of `org`. */
  listedMeta(org: string, meta: RepoMeta): RepoMeta | undefined;
}

/**
 * Heads, metadata and newest tags of many repositories in few queries: `prefetch` asks for up to
 * `batchSize` repositories a query (a failed batch falls back to REST with a warning), and
 * `listOrgRepositories` reads an organisation a page of `batchSize` at a time.
 */
export function graphqlBatches(context: GraphqlBatchContext) {
  const { octokit, failures, graphqlUrl, batchSize, known, webOrigin, warn, listedMeta } = context;
  const ask = (what: string, text: string) => graphqlQuery(octokit, failures, graphqlUrl, what, text);

  async function prefetch(requests: readonly RepositoryRequest[]): Promise<void> {
    const wanted = new Map<string, { owner: string; name: string }>();
    for (const request of requests) {
      const key = request.repo.toLowerCase();
      if (known.get(key)?.headSha || wanted.has(key)) continue;
      try {
        wanted.set(key, parseRepoName(request.repo));
      } catch {
        // loadRepository reports the bad name
      }
    }
    const list = [...wanted.values()];
    for (let start = 0; start < list.length; start += batchSize) {
      const chunk = list.slice(start, start + batchSize);
      const fields = chunk.map((r, i) => `r${i}: repository(owner: ${JSON.stringify(r.owner)}, name: ${JSON.stringify(r.name)}) { ${REPO_FIELDS} }`);
      try {
        const { data, errors } = await ask(`${chunk.length} repositories`, `query {\n${fields.join('\n')}\n}`);
        const other = errors.filter((e) => e.type !== 'NOT_FOUND');
        if (!data) throw new Error(other.map((e) => e.message).join('; ') || 'no data');
        chunk.forEach((r, i) => {
          const head = headFromGraphql(data[`r${i}`]);
          const repo = `${r.owner}/${r.name}`;
          if (head) known.set(repo.toLowerCase(), { ...head, meta: trustedRepoMeta(repo, head.meta, webOrigin) });
        });
      } catch (error) {
        const failure = failures.explain(error, `${chunk.length} repositories`, 'GraphQL batch');
        if (failure.fatal) throw failure;
        // Repositories the batch could not answer (not found, or the whole query failed) go through REST.
        warn(`GraphQL batch of ${chunk.length} repositories failed (${failure.message}); reading them through REST instead`);
      }
    }
  }

  async function listOrgRepositories(org: string): Promise<RepoMeta[]> {
    const metas: RepoMeta[] = [];
    let after: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const args = `first: ${batchSize}${after ? `, after: ${JSON.stringify(after)}` : ''}`;
      const query = `query {\n organization(login: ${JSON.stringify(org)}) { repositories(${args}) { pageInfo { hasNextPage endCursor } nodes { ${REPO_FIELDS} } } }\n}`;
      const { data, errors } = await ask(org, query);
      const orgData = data?.organization;
      if (!isRecord(orgData)) {
        if (errors.some((e) => e.type === 'NOT_FOUND')) throw new SourceError(`organisation ${org} was not found (404) at ${graphqlUrl}: check the name`, org, 404);
        throw new SourceError(`repositories of ${org}: GraphQL answered ${errors.map((e) => e.message).join('; ') || 'no data'}`, org);
      }
      const connection = orgData.repositories;
      if (!isRecord(connection) || !Array.isArray(connection.nodes) || !isRecord(connection.pageInfo)) throw failures.unexpected(org, 'repositories', graphqlUrl);
      for (const node of connection.nodes) {
        const head = headFromGraphql(node);
        if (!head) continue; // empty repositories have no docs to offer
        const meta = listedMeta(org, head.meta);
        if (!meta) continue;
        metas.push(meta);
        known.set(meta.fullName.toLowerCase(), { ...head, meta });
      }
      if (connection.pageInfo.hasNextPage !== true || typeof connection.pageInfo.endCursor !== 'string') return metas;
      after = connection.pageInfo.endCursor;
    }
    throw new SourceError(`repositories of ${org}: more than 1000 pages; giving up`, org);
  }

  return { prefetch, listOrgRepositories };
}
