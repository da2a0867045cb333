/**
 * A content source reading a snapshot folder: <root>/<owner>/<repo>/{repo.json, tree.json, tags.json, files/}.
 * `root` may also be the folder holding `github/` (the corpus layout). A snapshot holds one commit per
 * repository, the head of its default branch, and only some file contents (Markdown, images).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { treeDocuments } from './documents.ts';
import {
  assertSafeRepoPath,
  blobAt,
  isRepoName,
  parseRepoName,
  releaseFromApi,
  repoMetaFromApi,
  tagFromApi,
  treeFromApi,
  truncatedTreeMessage,
  trustedRelease,
  trustedRepoMeta,
  type MissingFile,
} from './shared.ts';
import { SourceError, type ApiRelease, type ContentSource, type RepoContent, type RepoMeta, type RepositoryRequest, type Tag, type TreeEntry } from './types.ts';

export interface SnapshotSourceOptions {
  /** Told about files the snapshot lacks and refs it cannot honour; the default only collects them. */
  onWarning?: (message: string) => void;
}

export interface SnapshotSource extends ContentSource {
  readonly kind: 'snapshot';
  /** The folder holding <owner>/<repo>/ (absolute). */
  readonly root: string;
  /** Selected files listed in tree.json whose content is not in files/; they are left out of `documents`. */
  readonly missing: MissingFile[];
  readonly warnings: string[];
  /** The repositories of one owner folder of the snapshot. */
  listOrgRepositories(org: string): Promise<RepoMeta[]>;
}

export function createSnapshotSource(dir: string, options: SnapshotSourceOptions = {}): SnapshotSource {
  const root = snapshotRoot(dir);
  const missing: MissingFile[] = [];
  const warnings: string[] = [];

  function warn(message: string): void {
    warnings.push(message);
    options.onWarning?.(message);
  }

  async function repoFolder(repo: string): Promise<string> {
    const { owner, name } = parseRepoName(repo);
    const folder = join(root, owner, name);
    if (!(await isDirectory(folder))) {
      throw new SourceError(
        `repository ${repo} is not in the snapshot: folder ${folder} does not exist; add it (${owner}/${name}/repo.json, tree.json, files/) or check the name in sources.json`,
        repo,
        404,
      );
    }
    return folder;
  }

  async function loadRepository(request: RepositoryRequest): Promise<RepoContent> {
    const repo = request.repo;
    const folder = await repoFolder(repo);
    const repoJson = await readJson(repo, join(folder, 'repo.json'));
    const reported = repoMetaFromApi(repoJson);
    const headSha = (repoJson as { head_sha?: unknown }).head_sha;
    if (!reported || typeof headSha !== 'string') {
      throw new SourceError(`${join(folder, 'repo.json')} is not a repository description (needs full_name, owner.login, default_branch, html_url, head_sha)`, repo);
    }
    const meta = trustedRepoMeta(repo, reported);
    const treeJson = await readJson(repo, join(folder, 'tree.json'));
    const tree = treeFromApi(treeJson);
    if (!tree) throw new SourceError(`${join(folder, 'tree.json')} is not a Git tree ({sha, truncated, tree: [...]})`, repo);

    const allTags = await readTags(repo, folder);
    const ref = request.ref ?? meta.defaultBranch;
    const servesRef =
      ref === meta.defaultBranch || ref === headSha || allTags.some((tag) => tag.name === ref && tag.sha === headSha);
    if (!servesRef) {
      // A snapshot has a single commit; building from it anyway beats failing a demo, but say so.
      warn(`snapshot of ${repo} holds only ${meta.defaultBranch} at ${headSha}; ref "${ref}" is served from that commit`);
    }

    if (tree.truncated) warn(`${repo}: ${truncatedTreeMessage(tree.tree.length)}`);
    const { documents, warnings: fileWarnings, unreadable } = await treeDocuments({
      repo,
      commitSha: headSha,
      listed: tree,
      include: request.include,
      exclude: request.exclude,
      read: (entry) => readEntry(repo, folder, tree.tree, entry),
      blobSha: 'checked',
    });
    for (const entry of unreadable) missing.push({ repo, path: entry.path });
    for (const { path, message } of fileWarnings) if (path) warn(`${repo}: ${JSON.stringify(path)}: ${message}`);

    return {
      meta,
      ref,
      commitSha: headSha,
      tree: tree.tree,
      treeTruncated: tree.truncated,
      tags: request.tags ? allTags : [],
      documents,
      freshness: 'fresh',
      ...(fileWarnings.length ? { warnings: fileWarnings } : {}),
    };
  }

  async function readBlob(content: RepoContent, path: string): Promise<Buffer | undefined> {
    const repo = content.meta.fullName;
    assertSafeRepoPath(repo, path);
    const folder = await repoFolder(repo);
    const entry = blobAt(content.tree, path);
    return entry ? readEntry(repo, folder, content.tree, entry) : readRepoFile(repo, folder, path);
  }

  async function blobFile(content: RepoContent, path: string): Promise<string | undefined> {
    const repo = content.meta.fullName;
    assertSafeRepoPath(repo, path);
    const folder = await repoFolder(repo);
    const entry = blobAt(content.tree, path);
    if (!entry) return repoFileLocation(repo, folder, path);
    // As readEntry: another path holding the same blob will do.
    for (const candidate of [entry, ...content.tree.filter((o) => o.type === 'blob' && o.sha === entry.sha && o.path !== path)]) {
      const found = await repoFileLocation(repo, folder, candidate.path);
      if (found) return found;
    }
    return undefined;
  }

  /** The repositories of <root>/<org>/ (case-insensitive, as on GitHub) that have a repo.json. */
  async function listOrgRepositories(org: string): Promise<RepoMeta[]> {
    if (!/^[A-Za-z0-9_.-]+$/.test(org) || org === '.' || org === '..') throw new SourceError(`"${org}" is not an organisation name`, org);
    const owners = await readdir(root).catch(() => [] as string[]);
    const owner = owners.find((o) => o === org) ?? owners.find((o) => o.toLowerCase() === org.toLowerCase());
    if (!owner || !(await isDirectory(join(root, owner)))) {
      throw new SourceError(`organisation ${org} is not in the snapshot: folder ${join(root, org)} does not exist`, org, 404);
    }
    const metas: RepoMeta[] = [];
    for (const name of (await readdir(join(root, owner))).sort()) {
      const file = join(root, owner, name, 'repo.json');
      if (!(await exists(file))) continue;
      // The folder names the repository; repo.json only describes it.
      if (!isRepoName(`${owner}/${name}`)) {
        warn(`${join(root, owner, name)}: "${name}" is not a repository name; left out of ${org}`);
        continue;
      }
      const meta = repoMetaFromApi(await readJson(`${owner}/${name}`, file));
      if (!meta) throw new SourceError(`${file} is not a repository description (needs full_name, owner.login, default_branch, html_url)`, `${owner}/${name}`);
      metas.push(trustedRepoMeta(`${owner}/${name}`, meta));
    }
    return metas;
  }

  /** <owner>/<repo>/releases.json, shaped like GET /repos/{o}/{r}/releases; none when the file is absent. */
  async function listReleases(repo: string): Promise<ApiRelease[]> {
    const file = join(await repoFolder(repo), 'releases.json');
    if (!(await exists(file))) return [];
    const raw = await readJson(repo, file);
    if (!Array.isArray(raw)) throw new SourceError(`${file} is not a list of releases`, repo);
    return raw.map((item, i) => {
      const release = releaseFromApi(item);
      if (!release) throw new SourceError(`${file}: entry ${i} is not a release (needs tag_name and html_url)`, repo);
      return trustedRelease(repo, release);
    }).filter((r) => !r.draft);
  }

  return {
    kind: 'snapshot',
    root,
    missing,
    warnings,
    loadRepository,
    readBlob,
    blobFile,
    listOrgRepositories,
    listReleases,
  };
}

/** The folder holding <owner>/<repo>/: `dir/github` when it exists (the corpus layout), else `dir`. */
export function snapshotRoot(dir: string): string {
  const given = resolve(dir);
  try {
    if (statSync(join(given, 'github')).isDirectory()) return join(given, 'github');
  } catch {
    // no github/ folder: dir itself holds the owners
  }
  return given;
}

async function readTags(repo: string, folder: string): Promise<Tag[]> {
  const file = join(folder, 'tags.json');
  if (!(await exists(file))) return [];
  const json = await readJson(repo, file);
  if (!Array.isArray(json)) throw new SourceError(`${file} is not a list of tags`, repo);
  return json.map((raw, index) => {
    const tag = tagFromApi(raw);
    if (!tag) throw new SourceError(`${file}: entry ${index} is not a tag ({name, commit: {sha}})`, repo);
    return tag;
  });
}

/**
 * Bytes of a blob of the tree. files/ may hold identical content under another path only (an image copied
 * into two folders); Git, and so the GitHub API, know it by its sha, so any path with that sha will do.
 */
async function readEntry(repo: string, folder: string, tree: readonly TreeEntry[], entry: TreeEntry): Promise<Buffer | undefined> {
  const own = await readRepoFile(repo, folder, entry.path);
  if (own) return own;
  for (const other of tree) {
    if (other.type !== 'blob' || other.sha !== entry.sha || other.path === entry.path) continue;
    const bytes = await readRepoFile(repo, folder, other.path);
    if (bytes) return bytes;
  }
  return undefined;
}

/**
 * Bytes of files/<path>, or undefined when the snapshot lacks the file. Never reads outside files/.
 * Read synchronously: a build reads every selected file of every repository, and a few system calls each on
 * the main thread cost less than a round trip through the thread pool per call (on a busy machine, most of a
 * rebuild that finds nothing changed).
 */
async function readRepoFile(repo: string, folder: string, path: string): Promise<Buffer | undefined> {
  const real = realRepoFile(repo, folder, path);
  if (!real) return undefined;
  try {
    return readFileSync(real);
  } catch (error) {
    if (isNotFound(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}

/** The resolved location of files/<path> when it is a file, else undefined. Never outside files/. */
async function repoFileLocation(repo: string, folder: string, path: string): Promise<string | undefined> {
  const real = realRepoFile(repo, folder, path);
  return real && (await stat(real)).isFile() ? real : undefined;
}

/** files/<path> with symlinks resolved; undefined when it does not exist; an error when it leads outside files/. */
function realRepoFile(repo: string, folder: string, path: string): string | undefined {
  assertSafeRepoPath(repo, path);
  const filesDir = join(folder, 'files');
  const file = join(filesDir, ...path.split('/'));
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  // A symlink inside files/ could still point elsewhere; compare the resolved locations.
  const rel = relative(realpathSync.native(filesDir), real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new SourceError(`refusing ${file}: it resolves outside the snapshot's files/ folder`, repo);
  }
  return real;
}

async function readJson(repo: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) throw new SourceError(`${file} is missing from the snapshot of ${repo}`, repo);
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SourceError(`${file} is not valid JSON: ${(error as Error).message}`, repo);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // A path longer than the file system takes (NAME_MAX, PATH_MAX) is one files/ could not hold.
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG';
}
