/** Small pieces both content sources share, so a snapshot and GitHub turn the same bytes into the same values. */
import { SourceError, type ApiRelease, type RepoMeta, type Tag, type TreeEntry } from './types.ts';

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Splits "owner/name", refusing anything that could leave a folder or a URL path segment. */
export function parseRepoName(repo: string): { owner: string; name: string } {
  const parts = repo.split('/');
  const [owner, name] = parts;
  if (parts.length !== 2 || !owner || !name || !NAME.test(owner) || !NAME.test(name) || isDots(owner) || isDots(name)) {
    throw new SourceError(`"${repo}" is not a repository name of the form owner/name: fix it in sources.json`, repo);
  }
  return { owner, name };
}

function isDots(segment: string): boolean {
  return segment === '.' || segment === '..';
}

/** github.com page of a file pinned to a commit; each path segment is percent-encoded (spaces, '#', '?'). */
export function blobSourceUrl(repo: string, commitSha: string, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `https://github.com/${repo}/blob/${commitSha}/${encoded}`;
}

const utf8 = new TextDecoder('utf-8');

/** Text of a document. A leading BOM is dropped; invalid bytes become U+FFFD rather than failing the build. */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** RepoMeta from a repository object shaped like GET /repos/{o}/{r}; undefined when the shape is wrong. */
export function repoMetaFromApi(data: unknown): RepoMeta | undefined {
  if (!isRecord(data)) return undefined;
  const { full_name: fullName, name, default_branch: defaultBranch, html_url: htmlUrl } = data;
  const owner = isRecord(data.owner) ? data.owner.login : undefined;
  if (typeof fullName !== 'string' || typeof name !== 'string' || typeof defaultBranch !== 'string') return undefined;
  if (typeof owner !== 'string' || typeof htmlUrl !== 'string') return undefined;
  return {
    fullName,
    owner,
    name,
    defaultBranch,
    description: stringOrNull(data.description),
    htmlUrl,
    pushedAt: stringOrNull(data.pushed_at),
    archived: data.archived === true,
    fork: data.fork === true,
    topics: Array.isArray(data.topics) ? data.topics.filter((t): t is string => typeof t === 'string') : [],
  };
}

const ENTRY_TYPES = new Set(['blob', 'tree', 'commit']);

/** A tree entry reduced to the fields of TreeEntry (GitHub adds `url`); undefined when malformed. */
export function treeEntryFromApi(value: unknown): TreeEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { path, mode, type, sha, size } = value;
  if (typeof path !== 'string' || typeof mode !== 'string' || typeof sha !== 'string') return undefined;
  if (typeof type !== 'string' || !ENTRY_TYPES.has(type)) return undefined;
  const entry: TreeEntry = { path, mode, type: type as TreeEntry['type'], sha };
  if (typeof size === 'number') entry.size = size;
  return entry;
}

/** The tree of a GET .../git/trees/{sha}?recursive=1 answer; undefined when the shape is wrong. */
export function treeFromApi(data: unknown): { sha: string; truncated: boolean; tree: TreeEntry[] } | undefined {
  if (!isRecord(data) || typeof data.sha !== 'string' || !Array.isArray(data.tree)) return undefined;
  const tree: TreeEntry[] = [];
  for (const raw of data.tree) {
    const entry = treeEntryFromApi(raw);
    if (!entry) return undefined;
    tree.push(entry);
  }
  return { sha: data.sha, truncated: data.truncated === true, tree };
}

/** A tag of GET /repos/{o}/{r}/tags (or of a snapshot's tags.json, which adds `date`). */
export function tagFromApi(value: unknown): Tag | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.commit)) return undefined;
  const sha = value.commit.sha;
  if (typeof sha !== 'string') return undefined;
  const tag: Tag = { name: value.name, sha };
  if (typeof value.date === 'string') tag.date = value.date;
  return tag;
}

/** One entry of GET /repos/{o}/{r}/releases (or a snapshot's releases.json); undefined when it lacks the fields read. */
export function releaseFromApi(value: unknown): ApiRelease | undefined {
  if (!isRecord(value) || typeof value.tag_name !== 'string' || typeof value.html_url !== 'string') return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    tag_name: value.tag_name,
    name: text(value.name),
    body: text(value.body),
    published_at: text(value.published_at),
    html_url: value.html_url,
    draft: value.draft === true,
    prerelease: value.prerelease === true,
  };
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    // After a failure the other workers stop taking items instead of fetching for a result nobody reads.
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  // Settle every worker before failing, so no request of a failed task outlives the call.
  await allOrFirstError(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** Like Promise.all, but rejects (with the first error) only once every promise has settled. */
export async function allOrFirstError<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** A file the globs selected and the tree lists, but whose content the source does not have. */
export interface MissingFile {
  repo: string;
  path: string;
}

/**
 * Refuses repository paths that could leave the repository (absolute, `..`, backslashes, NUL), so a link
 * taken from a document can never read a file outside the snapshot.
 */
export function assertSafeRepoPath(repo: string, path: string): void {
  const segments = path.split('/');
  const unsafe =
    path.length === 0 ||
    path.startsWith('/') ||
    /^[A-Za-z]:/.test(path) ||
    path.includes('\\') ||
    path.includes('\0') ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) {
    throw new SourceError(`refusing path "${path}" of ${repo}: paths must be relative to the repository root, without "." or ".." segments`, repo);
  }
}
