import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { openCache } from '../../src/sources/cache.ts';
import { DATES_BATCH, datesQuery } from '../../src/sources/github-dates.ts';
import { createGitHubSource, type GitHubSourceOptions } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { RepoContent } from '../../src/sources/types.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { docsRequest as request } from '../support/source-requests.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/snapshot-mini');
const ALPHA = 'fixture-org/alpha';
/** Per-file dates written into the copy's tree.json; "docs/guide/Über Größe.md" is left without one. */
const DATES: Record<string, string> = {
  'README.md': '2026-03-04T10:00:00Z',
  'docs/index.md': '2025-11-30T23:30:00-05:00',
  'docs/guide/setup.md': '2026-01-15T08:00:00Z',
  'src/main.py': '2026-02-02T00:00:00Z',
};

let snapshotDir = '';
beforeEach(() => {
  vi.stubEnv('GITHUB_TOKEN', '');
  vi.stubEnv('GITHUB_API_URL', '');
  vi.stubEnv('GITHUB_GRAPHQL_URL', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function datedCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gh-dates-'));
  await cp(FIXTURE, dir, { recursive: true });
  const treeFile = join(dir, 'github', 'fixture-org', 'alpha', 'tree.json');
  const tree = JSON.parse(await readFile(treeFile, 'utf8')) as { tree: { path: string; date?: string }[] };
  for (const entry of tree.tree) if (DATES[entry.path]) entry.date = DATES[entry.path];
  await writeFile(treeFile, JSON.stringify(tree));
  return dir;
}
snapshotDir = await datedCopy();

const datesOf = (content: RepoContent) => Object.fromEntries(content.tree.filter((e) => e.updated).map((e) => [e.path, e.updated]));

describe('last-change dates from GitHub GraphQL', () => {
  const server = useGitHubServer(() => ({ snapshotDir: join(snapshotDir, 'github'), token: 'the-token' }));
  const source = (options: GitHubSourceOptions = {}) => createGitHubSource({ baseUrl: server.url, ...options });
  const dateQueries = () => server.requests.filter((r) => r.path === '/graphql' && r.body?.includes('history('));

  it('dates the published Markdown files in one query, as the snapshot says, and nothing without a token', async () => {
    // The query goes where GITHUB_GRAPHQL_URL says, as the other GraphQL queries do.
    vi.stubEnv('GITHUB_GRAPHQL_URL', `${server.url}/graphql?via=env`);
    const github = source({ token: 'the-token' });
    await github.prefetch?.([request(ALPHA)]);
    const content = await github.loadRepository(request(ALPHA));
    // The snapshot source reads the same dates straight from tree.json (every entry that has one).
    const snapshot = await createSnapshotSource(join(snapshotDir, 'github')).loadRepository(request(ALPHA));
    expect(datesOf(content)).toEqual({ 'README.md': '2026-03-04', 'docs/index.md': '2025-11-30', 'docs/guide/setup.md': '2026-01-15' });
    expect(datesOf(snapshot)).toMatchObject({ 'README.md': '2026-03-04', 'docs/guide/setup.md': '2026-01-15', 'src/main.py': '2026-02-02' });
    expect(dateQueries()).toHaveLength(1);
    expect(dateQueries()[0]!.query).toEqual({ via: 'env' });
    const query = (JSON.parse(dateQueries()[0]!.body!) as { query: string }).query;
    expect(query).toContain(`object(expression: "${content.commitSha}")`);
    expect(query).toContain('history(first: 1, path: "docs/guide/Über Größe.md")');
    expect(query).not.toContain('src/main.py');

    server.requests.length = 0;
    const anonymous = await source().loadRepository(request(ALPHA));
    expect(datesOf(anonymous)).toEqual({});
    expect(server.requests.some((r) => r.path === '/graphql')).toBe(false);
  });

  it('asks nothing more at the same head commit, and only for the changed file after a push', async () => {
    const dir = await datedCopy();
    const cacheDir = await mkdtemp(join(tmpdir(), 'gh-dates-cache-'));
    // A server of its own: this test pushes to its snapshot.
    const { startGitHubServer } = await import('../support/github-server.ts');
    const own = await startGitHubServer({ snapshotDir: join(dir, 'github'), token: 'the-token' });
    try {
      const load = async () => {
        own.requests.length = 0;
        const github = createGitHubSource({ baseUrl: own.url, token: 'the-token', cache: openCache(cacheDir) });
        await github.prefetch?.([request(ALPHA)]);
        const content = await github.loadRepository(request(ALPHA));
        return { content, graphql: own.requests.filter((r) => r.path === '/graphql').map((r) => r.body ?? ''), all: own.requests.length };
      };
      const cold = await load();
      expect(cold.graphql).toHaveLength(3); // heads, the documents, then the dates
      const warm = await load();
      expect(warm.all).toBe(1); // the heads query alone
      expect(datesOf(warm.content)).toEqual(datesOf(cold.content));

      await editSnapshotFile(join(dir, 'github'), ALPHA, 'docs/guide/setup.md', (text) => `${text}\nMore.\n`);
      const treeFile = join(dir, 'github', 'fixture-org', 'alpha', 'tree.json');
      const tree = JSON.parse(await readFile(treeFile, 'utf8')) as { tree: { path: string; date?: string }[] };
      tree.tree.find((e) => e.path === 'docs/guide/setup.md')!.date = '2026-06-01T12:00:00Z';
      await writeFile(treeFile, JSON.stringify(tree));
      own.reset();
      const pushed = await load();
      const asked = pushed.graphql.filter((q) => q.includes('history('));
      expect(asked).toHaveLength(1);
      expect(asked[0]!.match(/history\(/g)).toHaveLength(1);
      expect(asked[0]).toContain('docs/guide/setup.md');
      expect(datesOf(pushed.content)).toEqual({ ...datesOf(cold.content), 'docs/guide/setup.md': '2026-06-01' });
      const again = await load();
      expect(again.all).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('shows the date on the page built through GitHub with a token, and none without', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gh-dates-build-'));
    const configFile = join(dir, 'sources.json');
    await writeFile(configFile, JSON.stringify({ site: { title: 'Dates' }, repositories: [{ repo: ALPHA, section: 'Core' }] }));
    const config = loadConfig(configFile);
    const setupPage = (out: string) => readFile(join(out, 'services/alpha/docs/guide/setup/index.html'), 'utf8');
    await build({ config, source: source({ token: 'the-token' }), outDir: join(dir, 'with-token') });
    expect(await setupPage(join(dir, 'with-token'))).toContain('Last updated <time datetime="2026-01-15">2026-01-15</time>');
    await build({ config, source: source(), outDir: join(dir, 'anonymous') });
    expect(await setupPage(join(dir, 'anonymous'))).not.toContain('Last updated');
  }, 120_000);

  it('splits many paths into queries of a bounded size', () => {
    const paths = Array.from({ length: DATES_BATCH }, (_, i) => `docs/p${i}.md`);
    const query = datesQuery('o', 'r', 'a'.repeat(40), paths);
    expect(query.match(/history\(/g)).toHaveLength(DATES_BATCH);
    expect(query).toContain(`h${DATES_BATCH - 1}: history(first: 1, path: "docs/p${DATES_BATCH - 1}.md")`);
  });
});
