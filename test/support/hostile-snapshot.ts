/**
 * Hostile snapshots for tests: writes <dir>/<owner>/<repo>/{repo.json, tree.json, tags.json, files/} (the
 * layout README.md describes) into a temporary folder, with whatever paths, modes and bytes a test needs,
 * plus a sources.json naming the repositories. Nothing is copied from the corpus.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { PROJECT_ROOT } from './corpus.ts';

export const HEAD_SHA = '1111111111111111111111111111111111111111';

export interface HostileFile {
  /** Path inside the repository, as tree.json lists it (may be hostile). */
  path: string;
  /** Content written under files/ (omitted: listed in the tree only; so is a path too long for the file system). */
  content?: string | Buffer;
  /** Git mode; default 100644 (blob), 120000 for a symlink, 160000 for a submodule. */
  mode?: string;
  type?: 'blob' | 'tree' | 'commit';
  /** Size written in tree.json; default the content's byte length. */
  size?: number;
}

export interface HostileRepo {
  owner?: string;
  name: string;
  description?: string | null;
  files: HostileFile[];
  /** sources.json entry fields besides repo. */
  entry?: Record<string, unknown>;
}

export interface HostileSnapshot {
  /** Temporary folder holding the snapshot (in `snapshot/`), the config and room for out/. */
  dir: string;
  snapshot: string;
  configFile: string;
  out: string;
}

const created: string[] = [];

/** Remembers a temporary folder for removeTemporaryFolders(). */
export function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder this module made; for afterAll. */
export function removeTemporaryFolders(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes the repositories and a sources.json; returns where everything is. */
export function makeHostileSnapshot(repos: HostileRepo[], config: Record<string, unknown> = {}): HostileSnapshot {
  const dir = temporaryFolder('hostile-');
  const snapshot = path.join(dir, 'snapshot');
  for (const repo of repos) {
    const owner = repo.owner ?? 'hostile-org';
    const folder = path.join(snapshot, owner, repo.name);
    mkdirSync(path.join(folder, 'files'), { recursive: true });
    const tree: Record<string, unknown>[] = [];
    const folders = new Set<string>();
    for (const file of repo.files) {
      const bytes = file.content === undefined ? undefined : Buffer.from(file.content);
      const type = file.type ?? (file.mode === '160000' ? 'commit' : 'blob');
      // Parent folders of sane paths, as Git lists them.
      const parts = file.path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const f = parts.slice(0, i).join('/');
        if (f && !folders.has(f) && !f.includes('..') && !f.startsWith('/')) {
          folders.add(f);
          tree.push({ path: f, mode: '040000', type: 'tree', sha: createHash('sha1').update(f).digest('hex') });
        }
      }
      const sha = bytes ? gitBlobSha(bytes) : createHash('sha1').update(`missing ${file.path}`).digest('hex');
      const size = file.size ?? bytes?.length;
      tree.push({ path: file.path, mode: file.mode ?? '100644', type, sha, ...(type === 'blob' && size !== undefined ? { size } : {}) });
      if (bytes && type === 'blob') {
        const target = path.join(folder, 'files', ...file.path.split('/'));
        try {
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, bytes);
        } catch (error) {
          // A name too long for this file system is listed in the tree only; a file of the same bytes at
          // another path lets a reader find its blob there, as GitHub would serve it.
          if ((error as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') throw error;
        }
      }
    }
    writeFileSync(
      path.join(folder, 'repo.json'),
      JSON.stringify({
        name: repo.name,
        full_name: `${owner}/${repo.name}`,
        owner: { login: owner },
        default_branch: 'main',
        head_sha: HEAD_SHA,
        pushed_at: '2026-01-01T00:00:00Z',
        html_url: `https://github.com/${owner}/${repo.name}`,
        archived: false,
        description: repo.description === undefined ? `${repo.name} description` : repo.description,
      }),
    );
    writeFileSync(path.join(folder, 'tree.json'), JSON.stringify({ sha: HEAD_SHA, truncated: false, tree }));
    writeFileSync(path.join(folder, 'tags.json'), '[]');
  }
  const configFile = path.join(dir, 'sources.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      repositories: repos.map((r) => ({ repo: `${r.owner ?? 'hostile-org'}/${r.name}`, section: 'Hostile', ...r.entry })),
      ...config,
    }),
  );
  return { dir, snapshot, configFile, out: path.join(dir, 'out') };
}

/** Runs tools/check-bundle.py on a built folder when python3 is there; undefined otherwise. */
export function checkBundle(out: string): { code: number | null; summary: string; unsafe: number; broken: number; anchors: number; output: string } | undefined {
  const script = path.resolve(PROJECT_ROOT, '../shared/tools/check-bundle.py');
  if (!existsSync(script) || spawnSync('python3', ['--version']).status !== 0) return undefined;
  const run = spawnSync('python3', [script, out], { encoding: 'utf8' });
  const summary = run.stdout.trim().split('\n').pop() ?? '';
  const num = (key: string) => Number(new RegExp(`${key}=(\\d+)`).exec(summary)?.[1] ?? NaN);
  return { code: run.status, summary, unsafe: num('unsafe'), broken: num('broken_links'), anchors: num('broken_anchors'), output: run.stdout };
}

/** Every file under a folder, '/'-separated and sorted, with its bytes: for byte-identical comparisons. */
export function snapshotFolder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
      else out.set(`${prefix}${entry.name}`, createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir, '');
  return out;
}
