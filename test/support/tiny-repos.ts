/** Writes a snapshot folder of many small repositories, for discovery and rate-limit tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitBlobSha } from '../../src/sources/documents.ts';

export interface TinyRepo {
  name: string;
  topics?: string[];
  archived?: boolean;
  fork?: boolean;
  /** README text; default a heading and a line naming the repository. */
  readme?: string;
}

const sha1 = (text: string | Buffer) => createHash('sha1').update(text).digest('hex');

/** Creates <root>/<org>/<name>/{repo.json, tree.json, files/README.md}; returns the root. */
export function writeTinySnapshot(org: string, repos: TinyRepo[], root = mkdtempSync(path.join(tmpdir(), 'tiny-repos-'))): string {
  for (const repo of repos) writeTinyRepo(root, org, repo);
  return root;
}

export function writeTinyRepo(root: string, org: string, repo: TinyRepo): void {
  const dir = path.join(root, org, repo.name);
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const readme = Buffer.from(repo.readme ?? `# ${repo.name}\n\nThe ${repo.name} service.\n`);
  writeFileSync(path.join(dir, 'files', 'README.md'), readme);
  const tree = { sha: sha1(`tree ${org}/${repo.name} ${readme.toString('hex')}`), truncated: false, tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: gitBlobSha(readme), size: readme.length }] };
  writeFileSync(path.join(dir, 'tree.json'), JSON.stringify(tree, null, 2));
  const json = {
    name: repo.name,
    full_name: `${org}/${repo.name}`,
    owner: { login: org },
    default_branch: 'main',
    head_sha: sha1(`commit ${tree.sha}`),
    pushed_at: '2026-01-01T00:00:00Z',
    html_url: `https://github.com/${org}/${repo.name}`,
    description: `${repo.name} service`,
    archived: repo.archived ?? false,
    fork: repo.fork ?? false,
    topics: repo.topics ?? [],
  };
  writeFileSync(path.join(dir, 'repo.json'), JSON.stringify(json, null, 2));
}

/** `count` repositories named <prefix>-01, <prefix>-02, ... */
export function tinyRepos(count: number, prefix = 'svc'): TinyRepo[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${String(i + 1).padStart(2, '0')}` }));
}
