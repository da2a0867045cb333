/**
 * What a snapshot or a GitHub-compatible server says about a repository is not trusted: names and URLs in
 * its metadata, unsafe or symlinked tree paths, truncated trees. Both sources are given the same hostile
 * snapshot (GitHub through the test server) and must answer alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgeUrl, forgeWebOrigin, trustedRepoMeta } from '../../src/sources/shared.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { ContentSource, RepositoryRequest } from '../../src/sources/types.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { makeHostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

const request = (repo: string): RepositoryRequest => ({ repo, include: ['README.md', 'docs/**/*.md'], exclude: [], tags: false });
const SYMLINK = 'symbolic link (Git mode 120000), not followed: left out; commit the file itself instead of a link';

/** Rewrites fields of a repository's repo.json or tree.json in the snapshot. */
function patchJson(snapshot: string, repo: string, file: 'repo.json' | 'tree.json', patch: Record<string, unknown>): void {
  const target = path.join(snapshot, ...repo.split('/'), file);
  writeFileSync(target, JSON.stringify({ ...JSON.parse(readFileSync(target, 'utf8')), ...patch }));
}

let snapshot: string;
let server: GitHubServer;

beforeAll(async () => {
  ({ snapshot } = makeHostileSnapshot([
    // Metadata that would make a slug or an href of its own.
    { name: 'meta', files: [{ path: 'README.md', content: '# Meta\n' }] },
    { name: 'links', files: [{ path: 'README.md', content: '# Links\n' }] },
    // Paths that would leave the repository, and a README that is a symlink.
    {
      name: 'paths',
      files: [
        { path: 'README.md', mode: '120000', content: 'docs/real.md' },
        { path: 'docs/real.md', content: '# Real\n' },
        { path: '../escape.md', content: '# Escape\n' },
        { path: '/etc/passwd.md' },
        { path: 'docs\\back.md', content: '# Back\n' },
      ],
    },
    { name: 'big', files: [{ path: 'README.md', content: '# Big\n' }, { path: 'docs/a.md', content: '# A\n' }] },
  ]));
  patchJson(snapshot, 'hostile-org/meta', 'repo.json', { name: '..', full_name: '../guides/x', html_url: 'javascript:alert(1)' });
  patchJson(snapshot, 'hostile-org/links', 'repo.json', { html_url: 'https://evil.example/hostile-org/links' });
  patchJson(snapshot, 'hostile-org/big', 'tree.json', { truncated: true });
  server = await startGitHubServer({ snapshotDir: snapshot, token: 'token' });
});
afterAll(async () => {
  await server?.close();
  removeTemporaryFolders();
});
beforeEach(() => {
  vi.stubEnv('GITHUB_TOKEN', '');
  vi.stubEnv('GITHUB_API_URL', '');
  vi.stubEnv('GITHUB_GRAPHQL_URL', '');
  server.reset();
});
afterEach(() => vi.unstubAllEnvs());

const sources: [string, () => ContentSource][] = [
  ['snapshot', () => createSnapshotSource(snapshot)],
  ['GitHub (REST)', () => createGitHubSource({ baseUrl: server.url, token: 'token', graphql: false })],
  ['GitHub (GraphQL)', () => createGitHubSource({ baseUrl: server.url, token: 'token' })],
];

describe.each(sources)('%s source, given hostile answers', (_name, make) => {
  const load = async (repo: string) => {
    const source = make();
    await source.prefetch?.([request(repo)]);
    return source.loadRepository(request(repo));
  };

  it('takes the identity from the request and builds the URL from it when html_url is not https: on github.com', async () => {
    for (const repo of ['hostile-org/meta', 'hostile-org/links']) {
      const { meta } = await load(repo);
      expect(meta).toMatchObject({ fullName: repo, owner: 'hostile-org', name: repo.split('/')[1], htmlUrl: `https://github.com/${repo}` });
    }
  });

  it('warns about tree paths it leaves out, and about a symlinked README, naming each file', async () => {
    const content = await load('hostile-org/paths');
    expect(content.tree.map((e) => e.path).sort()).toEqual(['README.md', 'docs', 'docs/real.md']);
    expect(content.documents.map((d) => d.path)).toEqual(['docs/real.md']);
    expect([...(content.warnings ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: '../escape.md', message: 'left out of the tree: empty, "." or ".." segment', ruleId: 'unsafe-path' },
      { path: '/etc/passwd.md', message: 'left out of the tree: absolute path', ruleId: 'unsafe-path' },
      { path: 'README.md', message: SYMLINK, ruleId: 'symlink' },
      { path: 'docs\\back.md', message: 'left out of the tree: backslash in path', ruleId: 'unsafe-path' },
    ]);
  });

  it('warns that a truncated tree is incomplete', async () => {
    const content = await load('hostile-org/big');
    expect(content.treeTruncated).toBe(true);
    expect(content.warnings).toContainEqual({ path: '', message: expect.stringMatching(/^the tree of the repository is truncated \(\d+ entries listed\)/), ruleId: 'truncated-tree' });
  });
});

describe('organisation listings', () => {
  const expectTrusted = (metas: { fullName: string; name: string; htmlUrl: string }[]) => {
    for (const meta of metas) expect(meta).toMatchObject({ fullName: `hostile-org/${meta.name}`, htmlUrl: `https://github.com/hostile-org/${meta.name}` });
  };

  it('snapshot: the folder names each repository, whatever its repo.json says', async () => {
    const metas = await createSnapshotSource(snapshot).listOrgRepositories('hostile-org');
    expect(metas.map((m) => m.name)).toEqual(['big', 'links', 'meta', 'paths']);
    expectTrusted(metas);
  });

  it('GitHub: a listed name that is not a repository of the organisation is left out with a warning', async () => {
    const warnings: string[] = [];
    const github = createGitHubSource({ baseUrl: server.url, token: 'token', graphql: false, onWarning: (m) => warnings.push(m) });
    const metas = await github.listOrgRepositories('hostile-org');
    expect(metas.map((m) => m.name).sort()).toEqual(['big', 'links', 'paths']);
    expectTrusted(metas);
    expect(warnings).toContain('repositories of hostile-org: "../guides/x" is not a repository name of hostile-org; left out');
  });
});

describe('URLs from a server', () => {
  it('keeps only https: URLs on the forge host, without credentials', () => {
    expect(forgeUrl('https://github.com/uc-cdis/fence')).toBe('https://github.com/uc-cdis/fence');
    for (const url of ['javascript:alert(1)', 'http://github.com/a/b', 'https://github.com.evil.example/a/b', 'https://user:pw@github.com/a/b', '//github.com/a/b', 'data:text/html,x']) {
      expect(forgeUrl(url), url).toBeUndefined();
    }
    expect(forgeUrl('https://ghe.example.org/a/b', 'https://ghe.example.org')).toBe('https://ghe.example.org/a/b');
    expect(forgeWebOrigin('https://api.github.com')).toBe('https://github.com');
    expect(forgeWebOrigin('https://ghe.example.org/api/v3')).toBe('https://ghe.example.org');
  });

  it('lets a server correct only the letter case of a name', () => {
    const meta = { fullName: 'UC-CDIS/Fence', owner: 'x', name: 'y', defaultBranch: 'master', description: null, htmlUrl: 'https://github.com/UC-CDIS/Fence', pushedAt: null, archived: false, fork: false, topics: [] };
    expect(trustedRepoMeta('uc-cdis/fence', meta)).toMatchObject({ fullName: 'UC-CDIS/Fence', owner: 'UC-CDIS', name: 'Fence' });
    // U+212A KELVIN SIGN lower-cases to "k": not a repository name, whatever its case.
    expect(trustedRepoMeta('uc-cdis/kit', { ...meta, fullName: 'uc-cdis/\u212Ait' })).toMatchObject({ fullName: 'uc-cdis/kit', name: 'kit' });
  });
});
