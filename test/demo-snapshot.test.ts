/**
 * Consistency of the demo snapshot in examples/snapshot: what `npm run demo` builds from.
 * Every file under files/ must be listed in tree.json with its real git blob sha and size, every
 * folder must have its tree entry, and the metadata files must have the fields a source reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitBlobSha } from '../src/sources/documents.ts';
import { describe, expect, it } from 'vitest';
import { listFiles } from './support/files.ts';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const snapshotDir = join(examplesDir, 'snapshot');

const SHA = /^[0-9a-f]{40}$/;

interface RawTreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

interface RawTree {
  sha: string;
  truncated: boolean;
  tree: RawTreeEntry[];
}

interface RawTag {
  name: string;
  commit: { sha: string };
  date: string;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function parentFolders(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

const repos = readdirSync(snapshotDir, { withFileTypes: true })
  .filter((owner) => owner.isDirectory())
  .flatMap((owner) =>
    readdirSync(join(snapshotDir, owner.name), { withFileTypes: true })
      .filter((repo) => repo.isDirectory())
      .map((repo) => ({
        full: `${owner.name}/${repo.name}`,
        owner: owner.name,
        name: repo.name,
        dir: join(snapshotDir, owner.name, repo.name),
      })),
  );

describe('demo snapshot', () => {
  it('has repositories', () => {
    expect(repos.length).toBeGreaterThan(0);
  });

  it('stays small', () => {
    const total = repos
      .flatMap((repo) => listFiles(repo.dir).map((path) => statSync(join(repo.dir, path)).size))
      .reduce((sum, size) => sum + size, 0);
    expect(total).toBeLessThan(300 * 1024);
  });

  it('covers every repository that examples/sources.json names', () => {
    const config = readJson(join(examplesDir, 'sources.json')) as {
      repositories: { repo: string }[];
      releaseNotes?: { repo: string };
      guides?: { repo: string };
    };
    const named = [
      ...config.repositories.map((r) => r.repo),
      ...(config.releaseNotes ? [config.releaseNotes.repo] : []),
      ...(config.guides ? [config.guides.repo] : []),
    ];
    const present = new Set(repos.map((r) => r.full));
    for (const repo of named) expect(present, repo).toContain(repo);
  });

  describe.each(repos.map((repo) => [repo.full, repo] as const))('%s', (_full, { owner, name, dir }) => {
    const tree = readJson(join(dir, 'tree.json')) as RawTree;
    const byPath = new Map(tree.tree.map((entry) => [entry.path, entry]));

    it('repo.json has the fields of the GitHub repository API', () => {
      const repo = readJson(join(dir, 'repo.json')) as Record<string, unknown>;
      expect(repo.name).toBe(name);
      expect(repo.full_name).toBe(`${owner}/${name}`);
      expect(repo.owner).toEqual({ login: owner });
      expect(typeof repo.default_branch).toBe('string');
      expect(repo.head_sha).toMatch(SHA);
      expect(Number.isNaN(Date.parse(String(repo.pushed_at)))).toBe(false);
      expect(repo.html_url).toBe(`https://github.com/${owner}/${name}`);
      expect(typeof repo.archived).toBe('boolean');
      expect(repo.description === null || typeof repo.description === 'string').toBe(true);
      expect(typeof repo.fork).toBe('boolean');
      expect(Array.isArray(repo.topics)).toBe(true);
    });

    it('tree.json is a complete, well-formed recursive tree', () => {
      expect(tree.sha).toMatch(SHA);
      expect(tree.truncated).toBe(false);
      expect(byPath.size).toBe(tree.tree.length);
      for (const entry of tree.tree) {
        expect(entry.sha, entry.path).toMatch(SHA);
        expect(entry.path.startsWith('/') || entry.path.endsWith('/'), entry.path).toBe(false);
        if (entry.type === 'tree') {
          expect(entry.mode, entry.path).toBe('040000');
        } else {
          expect(entry.type, entry.path).toBe('blob');
          expect(['100644', '100755'], entry.path).toContain(entry.mode);
          expect(Number.isInteger(entry.size) && (entry.size ?? -1) >= 0, entry.path).toBe(true);
        }
        for (const folder of parentFolders(entry.path)) {
          expect(byPath.get(folder)?.type, `${folder} (parent of ${entry.path})`).toBe('tree');
        }
      }
    });

    it('lists every file of files/ with its git blob sha and size', () => {
      const files = listFiles(join(dir, 'files'));
      expect(files.length).toBeGreaterThan(0);
      for (const path of files) {
        const content = readFileSync(join(dir, 'files', path));
        const entry = byPath.get(path);
        expect(entry, path).toBeDefined();
        expect(entry?.type, path).toBe('blob');
        expect(entry?.size, path).toBe(content.length);
        expect(entry?.sha, path).toBe(gitBlobSha(content));
      }
    });

    it('tags.json is a list of tags, newest first', () => {
      const tags = readJson(join(dir, 'tags.json')) as RawTag[];
      expect(Array.isArray(tags)).toBe(true);
      const dates = tags.map((tag) => {
        expect(typeof tag.name).toBe('string');
        expect(tag.commit.sha, tag.name).toMatch(SHA);
        const time = Date.parse(tag.date);
        expect(Number.isNaN(time), tag.name).toBe(false);
        return time;
      });
      expect(dates).toEqual([...dates].sort((a, b) => b - a));
    });
  });
});

describe('gitBlobSha', () => {
  it('matches git hash-object', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha(Buffer.alloc(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
