import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { OrganizationConfig } from '../../src/config/types.ts';
import { discoverRepositories, mergeRepositories, selectOrgRepositories } from '../../src/sources/discover.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { RepoMeta } from '../../src/sources/types.ts';
import { tinyRepos, writeTinySnapshot, type TinyRepo } from '../support/tiny-repos.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const meta = (name: string, extra: Partial<RepoMeta> = {}): RepoMeta => ({
  fullName: `uc-cdis/${name}`,
  owner: 'uc-cdis',
  name,
  defaultBranch: 'master',
  description: null,
  htmlUrl: `https://github.com/uc-cdis/${name}`,
  pushedAt: null,
  archived: false,
  fork: false,
  topics: [],
  ...extra,
});

const ORG: OrganizationConfig = { org: 'uc-cdis', section: 'Other services' };
const names = (repos: RepoMeta[]) => repos.map((r) => r.name);

describe('selecting the repositories of an organisation', () => {
  const repos = [
    meta('fence', { topics: ['gen3', 'auth'] }),
    meta('Arborist', { topics: ['GEN3'] }),
    meta('old-thing-deprecated', { topics: ['gen3'] }),
    meta('gone', { archived: true, topics: ['gen3'] }),
    meta('forked', { fork: true, topics: ['gen3'] }),
    meta('notes', { topics: ['docs'] }),
  ];

  it('takes every active, non-fork repository by default, sorted by name', () => {
    expect(names(selectOrgRepositories(ORG, repos))).toEqual(['Arborist', 'fence', 'notes', 'old-thing-deprecated']);
  });

  it('applies name globs case-insensitively', () => {
    expect(names(selectOrgRepositories({ ...ORG, include: ['*'], exclude: ['*-deprecated'] }, repos))).toEqual(['Arborist', 'fence', 'notes']);
    expect(names(selectOrgRepositories({ ...ORG, include: ['arb*', 'f?nce'] }, repos))).toEqual(['Arborist', 'fence']);
  });

  it('keeps repositories with any of the topics', () => {
    expect(names(selectOrgRepositories({ ...ORG, topics: ['gen3'] }, repos))).toEqual(['Arborist', 'fence', 'old-thing-deprecated']);
    expect(names(selectOrgRepositories({ ...ORG, topics: ['auth', 'docs'] }, repos))).toEqual(['fence', 'notes']);
  });

  it('takes archived repositories and forks only when asked', () => {
    expect(names(selectOrgRepositories({ ...ORG, topics: ['gen3'], archived: true, forks: true }, repos))).toEqual([
      'Arborist',
      'fence',
      'forked',
      'gone',
      'old-thing-deprecated',
    ]);
  });

  it('lets listed repositories win: their settings and their position', () => {
    const listed = [
      { repo: 'uc-cdis/sheepdog', section: 'Core services' },
      { repo: 'uc-cdis/fence', section: 'Core services', include: ['README.md'] },
    ];
    const discovered = [
      { repo: 'uc-cdis/arborist', section: 'Other services' },
      { repo: 'UC-CDIS/Fence', section: 'Other services' },
      { repo: 'uc-cdis/arborist', section: 'Elsewhere' },
    ];
    expect(mergeRepositories(listed, discovered)).toEqual([...listed, { repo: 'uc-cdis/arborist', section: 'Other services' }]);
  });
});

describe('configuration of organisations', () => {
  it('accepts organizations without repositories, and documents every key', () => {
    const config = parseConfig(
      { organizations: [{ org: 'uc-cdis', section: 'Other services', include: ['*'], exclude: ['*-deprecated'], topics: ['gen3'], archived: false, forks: false }] },
      'sources.json',
    );
    expect(config.repositories).toEqual([]);
    expect(config.organizations?.[0]?.org).toBe('uc-cdis');
  });

  it('rejects unknown keys, bad globs and a configuration with neither list', () => {
    const error = (data: unknown) => {
      try {
        parseConfig(data, 'sources.json');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(error({ organizations: [{ org: 'uc-cdis', section: 'x', topic: ['gen3'] }] })).toContain('organizations[0].topic: unknown key "topic"');
    expect(error({ organizations: [{ org: 'uc-cdis', section: 'x', include: ['a/b'] }] })).toContain('organizations[0].include[0]');
    expect(error({ organizations: [{ org: 'uc/cdis', section: 'x' }] })).toContain('organizations[0].org');
    expect(error({ site: { title: 'x' } })).toContain('"repositories"');
  });
});

describe('discovery through the GitHub API and from a snapshot', () => {
  // 35 repositories: more than one page of 30 (GitHub's default page size) and of 10 in the GraphQL test.
  const repos: TinyRepo[] = [
    ...tinyRepos(31),
    { name: 'fence', topics: ['gen3'] },
    { name: 'legacy-deprecated', topics: ['gen3'] },
    { name: 'archived-one', archived: true, topics: ['gen3'] },
    { name: 'a-fork', fork: true, topics: ['gen3'] },
  ];
  let root: string;

  beforeAll(() => {
    root = writeTinySnapshot('gen3-org', repos);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  // Started after the hook above has written the snapshot, closed before it is removed.
  const server = useGitHubServer(() => ({ snapshotDir: root }));
  beforeEach(() => {
    vi.stubEnv('GITHUB_TOKEN', '');
    vi.stubEnv('GITHUB_API_URL', '');
    vi.stubEnv('GITHUB_GRAPHQL_URL', '');
  });
  afterEach(() => vi.unstubAllEnvs());

  const config = parseConfig(
    {
      repositories: [{ repo: 'gen3-org/fence', section: 'Core services' }],
      organizations: [{ org: 'gen3-org', section: 'Other services', exclude: ['*-deprecated'] }],
    },
    'sources.json',
  );
  const expected = [
    { repo: 'gen3-org/fence', section: 'Core services' },
    ...tinyRepos(31).map((r) => ({ repo: `gen3-org/${r.name}`, section: 'Other services' })),
  ];

  it('lists every page of GET /orgs/{org}/repos without a token', async () => {
    const github = createGitHubSource({ baseUrl: server.url });
    const all = await github.listOrgRepositories('gen3-org');
    expect(all).toHaveLength(35);
    const pages = server.requests.filter((r) => r.path === '/orgs/gen3-org/repos');
    expect(pages.length).toBe(1); // per_page=100
    const discovery = await discoverRepositories(config, github);
    expect(discovery.repositories).toEqual(expected);
    expect(discovery.added).toHaveLength(31);
  });

  it('follows the Link header when pages are small', async () => {
    const github = createGitHubSource({ baseUrl: server.url });
    const { Octokit } = await import('@octokit/rest');
    const pages = await new Octokit({ baseUrl: server.url }).paginate('GET /orgs/{org}/repos', { org: 'gen3-org', per_page: 30 });
    expect(pages).toHaveLength(35);
    expect(server.requests.filter((r) => r.path === '/orgs/gen3-org/repos').map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(await github.listOrgRepositories('gen3-org')).toHaveLength(35);
  });

  it('pages through GraphQL with a token, and reuses what it learned for the heads', async () => {
    const github = createGitHubSource({ baseUrl: server.url, token: 'secret', graphqlBatchSize: 10 });
    const discovery = await discoverRepositories(config, github);
    expect(discovery.repositories).toEqual(expected);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(Array(4).fill('POST /graphql'));
    server.reset();
    await github.prefetch(discovery.repositories.map((r) => ({ repo: r.repo, include: ['README.md'], exclude: [], tags: false })));
    const content = await github.loadRepository({ repo: 'gen3-org/svc-07', include: ['README.md'], exclude: [], tags: false });
    expect(content.documents.map((d) => d.path)).toEqual(['README.md']);
    // No second query for the head and no REST lookup of it: the listing had it. The two GraphQL queries read
    // README.md and ask when it last changed.
    expect(server.requests.map((r) => r.path)).toEqual([expect.stringMatching(/\/git\/trees\//), '/graphql', '/graphql']);
    expect(server.requests[1]?.body).toContain('object(oid: ');
    expect(server.requests[2]?.body).toContain('history(first: 1, path: \\"README.md\\")');
  });

  it('discovers from a snapshot folder', async () => {
    const discovery = await discoverRepositories(config, createSnapshotSource(root));
    expect(discovery.repositories).toEqual(expected);
  });

  it('discovers the demo snapshot by topic', async () => {
    const demo = path.resolve(import.meta.dirname, '../../examples/snapshot');
    const topical = parseConfig({ organizations: [{ org: 'gen3-demo', section: 'Demo', topics: ['graphql'] }] }, 'sources.json');
    const discovery = await discoverRepositories(topical, createSnapshotSource(demo));
    expect(discovery.repositories).toEqual([{ repo: 'gen3-demo/query-api', section: 'Demo' }]);
  });

  it('explains an organisation that does not exist', async () => {
    await expect(createGitHubSource({ baseUrl: server.url }).listOrgRepositories('nobody')).rejects.toThrow(/organisation nobody was not found/);
    await expect(createGitHubSource({ baseUrl: server.url, token: 't' }).listOrgRepositories('nobody')).rejects.toThrow(/organisation nobody was not found/);
    await expect(createSnapshotSource(root).listOrgRepositories('nobody')).rejects.toThrow(/not in the snapshot/);
  });
});
