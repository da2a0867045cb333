/** Small pieces both content sources share, so a snapshot and GitHub turn the same bytes into the same values. */
import { SourceError, type ApiRelease, type RepoMeta, type Tag, type TreeEntry } from './types.ts';
import { github as forge, ownUrl, releaseUrl, repositoryUrl, WEB_ORIGIN } from '../forge/github.ts';

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

/** Whether `repo` is a well-formed "owner/name" (see parseRepoName). */
export function isRepoName(repo: string): boolean {
  try {
    parseRepoName(repo);
    return true;
  } catch {
    return false;
  }
}

function isDots(segment: string): boolean {
  return segment === '.' || segment === '..';
}

/** GitHub page of a file pinned to a commit; each path segment is percent-encoded (spaces, '#', '?'). */
export function blobSourceUrl(repo: string, commitSha: string, path: string): string {
  return forge.blobUrl(repo, commitSha, path);
}

const utf8 = new TextDecoder('utf-8');

/** Text of a document. A leading BOM is dropped; invalid bytes become U+FFFD rather than failing the build. */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Largest Markdown file taken into the bundle; GitHub itself stops rendering around 512 KB. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

/** Why a document of `size` bytes is not read, or undefined when it is small enough. */
export function tooLargeMessage(size: number): string | undefined {
  if (size <= MAX_DOCUMENT_BYTES) return undefined;
  return `${(size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB limit for Markdown files; skipped`;
}

/**
 * Largest other text file read (an OpenAPI document, mkdocs.yml, a release's manifest.json): each stage has its
 * own, lower limit; this one only keeps a huge file from being held in memory at all.
 */
export const MAX_DATA_BYTES = 8 * 1024 * 1024;

/** Why a non-Markdown file of `size` bytes is not read, or undefined when it is small enough. */
export function dataTooLargeMessage(size: number): string | undefined {
  if (size <= MAX_DATA_BYTES) return undefined;
  return `${(size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_DATA_BYTES / 1024 / 1024} MB limit for data files (OpenAPI documents, manifests); skipped`;
}

/** A document's text, or why it was skipped; `warning` says what was repaired on the way. */
export type DocumentText = { text: string; warning?: string } | { skipped: string; rule: 'large-file' | 'file-encoding' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
// Node's TextDecoder('windows-1252') decodes as Latin-1, so 0x80-0x9F are mapped here (the five bytes that
// Windows-1252 leaves undefined stay C1 controls, as the WHATWG decoder has them).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
// C0 controls other than tab, line feed and carriage return: invalid in XML (sitemap, feed), never meant in prose.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * Bytes of a Markdown file to text, refusing what is not text. Over MAX_DOCUMENT_BYTES or with a NUL byte in
 * the first 8,000 bytes (Git's own test for binary files): skipped. UTF-16 with a BOM is decoded; other
 * invalid UTF-8 is read as Windows-1252, the usual encoding of such files; control characters are removed.
 */
export function documentText(bytes: Uint8Array): DocumentText {
  const large = tooLargeMessage(bytes.length);
  if (large) return { skipped: large, rule: 'large-file' };
  const notes: string[] = [];
  let text: string | undefined;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
  } else {
    if (bytes.subarray(0, 8000).includes(0)) return { skipped: 'binary content (NUL bytes), not Markdown; skipped', rule: 'file-encoding' };
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
      notes.push('not valid UTF-8; read as Windows-1252');
    }
  }
  let controls = 0;
  text = text.replace(CONTROLS, () => {
    controls++;
    return '';
  });
  if (controls) notes.push(`${controls} control character${controls === 1 ? '' : 's'} (NUL and the like) removed`);
  return notes.length ? { text, warning: notes.join('; ') } : { text };
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

export { webOriginOfApi as forgeWebOrigin, ownUrl as forgeUrl } from '../forge/github.ts';

/**
 * Metadata a server gave for `repo`, made safe to build URLs and file names from. The identity is the
 * requested name (validated by sources.json or discovery); the server may only change its letter case.
 * `htmlUrl` is kept when it is https: on the forge's host, else built from the identity.
 */
export function trustedRepoMeta(repo: string, meta: RepoMeta, webOrigin = WEB_ORIGIN): RepoMeta {
  parseRepoName(repo);
  const fullName = meta.fullName.toLowerCase() === repo.toLowerCase() && isRepoName(meta.fullName) ? meta.fullName : repo;
  const [owner = '', name = ''] = fullName.split('/');
  return { ...meta, fullName, owner, name, htmlUrl: ownUrl(meta.htmlUrl, webOrigin) ?? repositoryUrl(fullName, webOrigin) };
}

/** A release's html_url when it is on the forge's host, else the release page built from the repository and tag. */
export function trustedRelease(repo: string, release: ApiRelease, webOrigin = WEB_ORIGIN): ApiRelease {
  const htmlUrl = ownUrl(release.html_url, webOrigin) ?? releaseUrl(repo, release.tag_name, webOrigin);
  return { ...release, html_url: htmlUrl };
}

/** Why the repository's tree is incomplete, for the build's warnings. */
export function truncatedTreeMessage(entries: number): string {
  return `the tree of the repository is truncated (${entries} entries listed): documents outside the listed part are missing`;
}

const ENTRY_TYPES = new Set(['blob', 'tree', 'commit']);

/** A tree entry reduced to the fields of TreeEntry (GitHub adds `url`); undefined when malformed. */
export function treeEntryFromApi(value: unknown): TreeEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { path, mode, type, sha, size, date } = value;
  if (typeof path !== 'string' || typeof mode !== 'string' || typeof sha !== 'string') return undefined;
  if (typeof type !== 'string' || !ENTRY_TYPES.has(type)) return undefined;
  const entry: TreeEntry = { path, mode, type: type as TreeEntry['type'], sha };
  if (typeof size === 'number') entry.size = size;
  // A snapshot may say when the file last changed; a date that does not parse is left out.
  if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(date) && !Number.isNaN(Date.parse(date))) entry.updated = date.slice(0, 10);
  return entry;
}

/**
 * The tree of a GET .../git/trees/{sha}?recursive=1 answer; undefined when the shape is wrong. Entries whose
 * path could leave the repository or the output folder are left out and listed in `dropped`.
 */
export function treeFromApi(
  data: unknown,
): { sha: string; truncated: boolean; tree: TreeEntry[]; dropped: { path: string; reason: string }[] } | undefined {
  if (!isRecord(data) || typeof data.sha !== 'string' || !Array.isArray(data.tree)) return undefined;
  const tree: TreeEntry[] = [];
  const dropped: { path: string; reason: string }[] = [];
  for (const raw of data.tree) {
    const entry = treeEntryFromApi(raw);
    if (!entry) return undefined;
    const reason = unsafePathReason(entry.path);
    if (reason) dropped.push({ path: entry.path, reason });
    else tree.push(entry);
  }
  return { sha: data.sha, truncated: data.truncated === true, tree, dropped };
}

/** Why a repository path is unusable (it could leave the repository or break a file name), or undefined. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.includes('\\')) return 'backslash in path';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control character in path';
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return 'empty, "." or ".." segment';
  return undefined;
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
  if (unsafePathReason(path)) {
    throw new SourceError(`refusing path "${path}" of ${repo}: paths must be relative to the repository root, without "." or ".." segments`, repo);
  }
}

const blobIndexes = new WeakMap<readonly TreeEntry[], Map<string, TreeEntry>>();

/**
 * The blob at `path` in a commit's tree (made whole before anything reads from it). The tree is indexed by
 * path on the first question: trees reach thousands of entries and a build asks about every image.
 */
export function blobAt(tree: readonly TreeEntry[], path: string): TreeEntry | undefined {
  let index = blobIndexes.get(tree);
  if (!index) {
    index = new Map();
    for (const entry of tree) if (entry.type === 'blob' && !index.has(entry.path)) index.set(entry.path, entry);
    blobIndexes.set(tree, index);
  }
  return index.get(path);
}
