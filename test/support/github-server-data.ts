/** The snapshot folder the GitHub test server serves: repositories, their trees, tags, blobs and releases. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SnapshotEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
  /** When the file last changed (the snapshot format's optional per-file date); GitHub's tree never says. */
  date?: string;
}

export interface SnapshotTag {
  name: string;
  sha: string;
  date?: string;
}

export class RepoData {
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly headSha: string;
  readonly htmlUrl: string;
  readonly pushedAt: string | null;
  readonly treeSha: string;
  readonly truncated: boolean;
  readonly entries: SnapshotEntry[];
  readonly tags: SnapshotTag[];
  readonly releases: unknown[];
  private readonly byPath = new Map<string, SnapshotEntry>();
  private readonly blobPaths = new Map<string, string[]>();

  constructor(
    readonly owner: string,
    readonly name: string,
    private readonly dir: string,
    readonly json: Record<string, unknown>,
  ) {
    this.fullName = `${owner}/${name}`;
    this.defaultBranch = String(json.default_branch);
    this.headSha = String(json.head_sha);
    this.htmlUrl = typeof json.html_url === 'string' ? json.html_url : `https://github.com/${this.fullName}`;
    this.pushedAt = typeof json.pushed_at === 'string' ? json.pushed_at : null;
    const tree = readJsonFile(join(dir, 'tree.json')) as { sha: string; truncated?: boolean; tree: SnapshotEntry[] };
    this.treeSha = tree.sha;
    this.truncated = tree.truncated === true;
    this.entries = tree.tree;
    for (const e of this.entries) {
      this.byPath.set(e.path, e);
      if (e.type === 'blob') this.blobPaths.set(e.sha, [...(this.blobPaths.get(e.sha) ?? []), e.path]);
    }
    const tagsFile = join(dir, 'tags.json');
    const tags = existsSync(tagsFile) ? (readJsonFile(tagsFile) as { name: string; commit: { sha: string }; date?: string }[]) : [];
    this.tags = tags.map((t) => ({ name: t.name, sha: t.commit.sha, ...(typeof t.date === 'string' ? { date: t.date } : {}) }));
    const releasesFile = join(dir, 'releases.json');
    this.releases = existsSync(releasesFile) ? (readJsonFile(releasesFile) as unknown[]) : [];
  }

  entry(path: string): SnapshotEntry | undefined {
    return this.byPath.get(path);
  }

  /** The commit a branch name, tag name or (abbreviated) sha names, if the snapshot knows it. */
  resolveRef(ref: string): string | undefined {
    if (ref === this.defaultBranch || ref === `refs/heads/${this.defaultBranch}`) return this.headSha;
    const tagName = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ref;
    const tag = this.tags.find((t) => t.name === tagName);
    if (tag) return tag.sha;
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const known = [this.headSha, ...this.tags.map((t) => t.sha)];
      return known.find((sha) => sha.startsWith(ref));
    }
    return undefined;
  }

  /** Entries of a tree-ish: the head commit (by sha or ref), its root tree, or one of its subtrees. */
  treeFor(treeish: string, recursive: boolean): { sha: string; entries: SnapshotEntry[] } | undefined {
    let prefix: string;
    let sha: string;
    if (treeish === this.treeSha || this.resolveRef(treeish) === this.headSha) {
      prefix = '';
      sha = this.treeSha;
    } else {
      const sub = this.entries.find((e) => e.type === 'tree' && e.sha === treeish);
      if (!sub) return undefined;
      prefix = `${sub.path}/`;
      sha = sub.sha;
    }
    const entries = this.entries
      .filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')))
      .map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
    return { sha, entries };
  }

  blob(sha: string): Buffer | undefined {
    for (const path of this.blobPaths.get(sha) ?? []) {
      const bytes = this.file(path);
      if (bytes) return bytes;
    }
    return undefined;
  }

  file(path: string): Buffer | undefined {
    // Paths come from tree.json, but stay inside files/ all the same.
    if (path.split('/').some((s) => s === '..' || s === '' || s === '.')) return undefined;
    const file = join(this.dir, 'files', ...path.split('/'));
    try {
      return statSync(file).isFile() ? readFileSync(file) : undefined;
    } catch {
      return undefined;
    }
  }
}

export class Snapshot {
  private readonly root: string;
  private readonly cache = new Map<string, RepoData | null>();

  constructor(dir: string) {
    const given = resolve(dir);
    this.root = isDir(join(given, 'github')) ? join(given, 'github') : given;
  }

  clear(): void {
    this.cache.clear();
  }

  /** Owner and repository names are case-insensitive on GitHub. */
  repo(owner: string, name: string): RepoData | undefined {
    const key = `${owner}/${name}`.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const ownerDir = findChild(this.root, owner);
    const repoDir = ownerDir ? findChild(join(this.root, ownerDir), name) : undefined;
    let data: RepoData | null = null;
    if (ownerDir && repoDir) {
      const dir = join(this.root, ownerDir, repoDir);
      const json = existsSync(join(dir, 'repo.json')) ? (readJsonFile(join(dir, 'repo.json')) as Record<string, unknown>) : undefined;
      if (json) data = new RepoData(ownerDir, repoDir, dir, json);
    }
    this.cache.set(key, data);
    return data ?? undefined;
  }

  orgRepos(org: string): RepoData[] | undefined {
    const ownerDir = findChild(this.root, org);
    if (!ownerDir) return undefined;
    return readdirSync(join(this.root, ownerDir))
      .map((name) => this.repo(ownerDir, name))
      .filter((r): r is RepoData => r !== undefined);
  }
}

export function findChild(dir: string, name: string): string | undefined {
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) return undefined;
  if (isDir(join(dir, name))) return name;
  try {
    return readdirSync(dir).find((child) => child.toLowerCase() === name.toLowerCase() && isDir(join(dir, child)));
  } catch {
    return undefined;
  }
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function readJsonFile(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}
