/**
 * A repository checked out on this machine, for previewing docs before they are pushed. The tree is the
 * working tree as Git sees it: tracked files with their uncommitted edits, and staged or untracked files that
 * .gitignore does not exclude; deleted files are gone. Nothing outside the checkout is read: a symlink is
 * content (its target path, as GitHub shows it), never followed, and every read is checked against the
 * checkout's real path.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { github as forge } from '../forge/github.ts';
import { gitBlobSha, treeDocuments, type ListedTree } from './documents.ts';
import { dateCheckoutFiles } from './local-dates.ts';
import { SYMLINK_MODE } from './select.ts';
import { unsafePathReason } from './shared.ts';
import type { ContentSource, LoadOptions, RepoContent, RepositoryRequest, TreeEntry } from './types.ts';
import { SourceError } from './types.ts';

const run = promisify(execFile);

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** The first line Git wrote to stderr, to explain a failed command. */
function gitMessage(error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
  return stderr.split('\n')[0] || (error as Error).message;
}

/** A local checkout that can be read: its real top folder and its HEAD commit. */
export interface Checkout {
  root: string;
  head: string;
}

/**
 * Checks that `dir` is the top folder of a Git checkout with at least one commit; the message of the error
 * says what is wrong and what to give instead.
 */
export async function openCheckout(dir: string): Promise<Checkout> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new SourceError(`${dir} is not a folder; give the folder of a Git checkout`, dir);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`${dir} does not exist; give the folder of a Git checkout`, dir);
  }
  let top: string;
  try {
    top = await realpath((await git(root, ['rev-parse', '--show-toplevel'])).trim());
  } catch (error) {
    throw new SourceError(`${dir} is not a Git checkout (${gitMessage(error)})`, dir);
  }
  if (top !== root) throw new SourceError(`${dir} is inside the Git checkout ${top}; give the checkout's top folder`, dir);
  try {
    return { root, head: (await git(root, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim() };
  } catch {
    throw new SourceError(`${dir} is a Git checkout without a commit; commit once, so that pages can link to it`, dir);
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * What is at `repoPath` in the working tree, never leaving `root`: a symlink is reported as such (not
 * followed), a regular file with its size and Git mode; anything else (gone, a folder, a device) is undefined.
 * `outside` says the path leads out of the checkout through a symlinked folder.
 */
async function inspect(root: string, repoPath: string): Promise<{ mode: string; size: number; full: string } | { outside: true } | undefined> {
  const full = path.join(root, ...repoPath.split('/'));
  let info;
  try {
    info = await lstat(full);
    // lstat does not follow the last segment, but does follow symlinked folders above it.
    const parent = await realpath(path.dirname(full));
    if (parent !== root && !isInside(root, parent)) return { outside: true };
  } catch {
    return undefined;
  }
  if (info.isSymbolicLink()) return { mode: SYMLINK_MODE, size: info.size, full };
  if (info.isFile()) return { mode: info.mode & 0o111 ? '100755' : '100644', size: info.size, full };
  return undefined;
}

/** Bytes as GitHub would serve the blob: a symlink's target path, or a regular file's content. */
async function readInside(root: string, repoPath: string): Promise<Buffer | undefined> {
  const found = await inspect(root, repoPath);
  if (!found || 'outside' in found) return undefined;
  if (found.mode === SYMLINK_MODE) return readlink(found.full, { encoding: 'buffer' }).catch(() => undefined);
  const real = await realpath(found.full).catch(() => undefined);
  if (!real || !isInside(root, real)) return undefined;
  return readFile(real).catch(() => undefined);
}

/** Git's blob sha of a working-tree file, streamed so that a large untracked file is not held in memory. */
async function hashInside(root: string, repoPath: string, size: number, mode: string): Promise<string | undefined> {
  if (mode === SYMLINK_MODE) {
    const target = await readInside(root, repoPath);
    return target && gitBlobSha(target);
  }
  const real = await realpath(path.join(root, ...repoPath.split('/'))).catch(() => undefined);
  if (!real || !isInside(root, real)) return undefined;
  const hash = createHash('sha1').update(`blob ${size}\0`);
  try {
    for await (const chunk of createReadStream(real)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

const split = (text: string) => text.split('\0').filter((p) => p !== '');

/** The working tree as tree entries, with the paths left out and why. */
async function workingTree(root: string): Promise<ListedTree & { tree: TreeEntry[] }> {
  const [staged, modified, listed] = await Promise.all([
    git(root, ['ls-files', '-z', '-s']),
    git(root, ['ls-files', '-z', '-m']),
    git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']),
  ]);
  const index = new Map<string, { mode: string; sha: string }>();
  for (const record of split(staged)) {
    const m = /^(\d+) ([0-9a-f]+) (\d)\t(.*)$/s.exec(record);
    if (m && m[3] === '0') index.set(m[4]!, { mode: m[1]!, sha: m[2]! });
  }
  const changed = new Set(split(modified));
  const tree: TreeEntry[] = [];
  const dropped: { path: string; reason: string }[] = [];
  for (const repoPath of new Set(split(listed))) {
    if (repoPath.endsWith('/')) continue; // an untracked checkout inside this one
    const reason = unsafePathReason(repoPath);
    if (reason) {
      dropped.push({ path: repoPath, reason });
      continue;
    }
    const known = index.get(repoPath);
    if (known?.mode === '160000') {
      tree.push({ path: repoPath, mode: known.mode, type: 'commit', sha: known.sha });
      continue;
    }
    const found = await inspect(root, repoPath);
    if (!found) continue; // deleted from the working tree
    if ('outside' in found) {
      dropped.push({ path: repoPath, reason: 'a symlinked folder leads outside the checkout' });
      continue;
    }
    const sha = known && !changed.has(repoPath) ? known.sha : await hashInside(root, repoPath, found.size, found.mode);
    if (sha) tree.push({ path: repoPath, mode: found.mode, type: 'blob', sha, size: found.size });
  }
  tree.push(...folderEntries(tree));
  tree.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tree, truncated: false, dropped };
}

/**
 * The folders of the listed paths, as a recursive Git tree lists them. Their sha is a hash of what they hold,
 * not Git's own tree sha (the working tree has none), so it changes when their content does.
 */
function folderEntries(files: readonly TreeEntry[]): TreeEntry[] {
  // Each folder's listing, as "mode sha name" lines; the deepest folders are hashed first, into their parents.
  const listing = new Map<string, string[]>();
  for (const entry of files) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) if (!listing.has(parts.slice(0, i).join('/'))) listing.set(parts.slice(0, i).join('/'), []);
    if (parts.length > 1) listing.get(parts.slice(0, -1).join('/'))!.push(`${entry.mode} ${entry.sha} ${parts[parts.length - 1]}`);
  }
  const folders = [...listing.keys()].sort((a, b) => b.split('/').length - a.split('/').length);
  const entries: TreeEntry[] = [];
  for (const folder of folders) {
    const sha = createHash('sha1').update(`tree ${listing.get(folder)!.sort().join('\n')}`).digest('hex');
    entries.push({ path: folder, mode: '040000', type: 'tree', sha });
    const cut = folder.lastIndexOf('/');
    if (cut > 0) listing.get(folder.slice(0, cut))!.push(`040000 ${sha} ${folder.slice(cut + 1)}`);
  }
  return entries;
}

/** `checkouts` maps "owner/name" to a local folder; other repositories fall through to `fallback`. */
export function createLocalSource(checkouts: Map<string, string>, fallback?: ContentSource): ContentSource {
  const folderOf = (repo: string) => checkouts.get(repo.toLowerCase());
  const roots = new Map<string, Promise<Checkout>>();
  const checkoutOf = (repo: string, dir: string) => {
    let checkout = roots.get(repo.toLowerCase());
    if (!checkout) {
      checkout = openCheckout(dir).catch((error: unknown) => {
        throw new SourceError(`${(error as Error).message} (for ${repo}); check the --local path`, repo);
      });
      roots.set(repo.toLowerCase(), checkout);
    }
    return checkout;
  };
  return {
    kind: 'local',
    async loadRepository(request: RepositoryRequest, options?: LoadOptions): Promise<RepoContent> {
      const dir = folderOf(request.repo);
      if (!dir) {
        if (fallback) return fallback.loadRepository(request, options);
        throw new SourceError(`repository ${request.repo} has no local checkout`, request.repo);
      }
      const { root, head } = await checkoutOf(request.repo, dir);
      const branch = (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD')).trim();
      const listed = await workingTree(root);
      const { documents, warnings } = await treeDocuments({
        repo: request.repo,
        commitSha: head,
        listed,
        include: request.include,
        exclude: request.exclude,
        read: (entry) => readInside(root, entry.path),
        // Edited since it was listed or not: the document is what the file holds now.
        blobSha: 'computed',
      });
      await dateCheckoutFiles(root, listed.tree, documents.map((d) => d.path));
      const [owner = '', name = ''] = request.repo.split('/');
      const pushed = (await git(root, ['log', '-1', '--format=%cI']).catch(() => '')).trim() || null;
      return {
        meta: { fullName: request.repo, owner, name, defaultBranch: branch, description: null, htmlUrl: forge.repositoryUrl(request.repo), pushedAt: pushed, archived: false, fork: false, topics: [] },
        ref: request.ref ?? branch,
        commitSha: head,
        tree: listed.tree,
        treeTruncated: false,
        tags: [],
        documents,
        ...(warnings.length ? { warnings } : {}),
      };
    },
    async readBlob(repo: RepoContent, filePath: string) {
      const dir = folderOf(repo.meta.fullName);
      if (!dir) return fallback?.readBlob(repo, filePath);
      // Only what the tree lists: files .gitignore excludes (.env and the like) are never read.
      if (unsafePathReason(filePath) || !repo.tree.some((e) => e.path === filePath && e.type === 'blob')) return undefined;
      const { root } = await checkoutOf(repo.meta.fullName, dir);
      return readInside(root, filePath);
    },
    // Discovery, batching and counters belong to the source behind the checkouts.
    ...(fallback?.listOrgRepositories ? { listOrgRepositories: (org: string) => fallback.listOrgRepositories!(org) } : {}),
    ...(fallback?.prefetch
      ? { prefetch: (requests: readonly RepositoryRequest[]) => fallback.prefetch!(requests.filter((r) => !folderOf(r.repo))) }
      : {}),
    ...(fallback?.stats !== undefined ? { stats: fallback.stats } : {}),
  };
}
