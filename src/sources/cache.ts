/**
 * An on-disk cache for the GitHub source, so a rebuild asks GitHub only what changed.
 *
 * Its part of the cache folder (default .cache/; cache/folder.ts decides whether a folder may be used):
 *   http/<xx>/<key hash>.json     REST answers with their ETag, sent back as If-None-Match
 *   blobs/<xx>/<sha>              blob bytes by Git sha (content-addressed: the name is their hash)
 *   blobs/<xx>/<sha>.missing-<repo hash>  empty: the API answered 404 for this blob of that repository
 *   repos/<owner>/<name>/<ref>.json  the last good state of a repository: head commit, tree, tags
 *   selections/<owner>/<name>/<ref>.json  which documents the last load at that head commit took (paths, blob
 *                                  shas, warnings): a rebuild at the same commit needs neither tree nor blobs
 *                                  until a stage asks for the texts (github-deferred.ts)
 *
 * JSON entries carry the hash of their bytes (cache/entry.ts). A file that is damaged or edited is a miss,
 * reported once per file through onWarning, and asked of GitHub again. The folder may be deleted at any time.
 * A cache that cannot be written only costs speed: the first failure is reported, the rest are silent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gitBlobSha } from './documents.ts';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_VERSION, claimCacheFolder } from '../cache/folder.ts';
import { readJsonEntry, writeEntry } from '../cache/entry.ts';
import type { PathWarning } from './documents.ts';
import type { RepoMeta, Tag, TreeEntry } from './types.ts';

export { CACHE_VERSION };
export const DEFAULT_CACHE_DIR = '.cache';

/** A REST answer worth revalidating: its body and the headers Octokit needs (content type, Link). */
export interface HttpEntry {
  url: string;
  etag: string;
  headers: Record<string, string>;
  /** Body, base64. */
  body: string;
}

/** The last good state of one repository at one requested ref. */
export interface CachedRepo {
  repo: string;
  /** The ref that was asked for; undefined for the default branch. */
  requestedRef?: string;
  meta: RepoMeta;
  ref: string;
  commitSha: string;
  tree: TreeEntry[];
  treeTruncated: boolean;
  /** Tree paths left out as unsafe, so a rebuild from this record warns about them as the first build did. */
  droppedPaths?: { path: string; reason: string }[];
  tags: Tag[];
  /** Blob shas the API answered 404 for at this commit, so a rebuild does not ask again. */
  missingBlobs: string[];
  /** Page files ("<blob sha>:<path>") GitHub gave no date for at this blob, so a rebuild does not ask again. */
  undated?: string[];
  savedAt: string;
}

/**
 * The documents a repository's load took at one commit, for requests of one key (globs, dates, program
 * version): what a load would select and warn about again, since a commit names its tree and a sha its blob.
 */
export interface CachedSelection {
  repo: string;
  requestedRef?: string;
  commitSha: string;
  /** Hash of what else decides the selection (github-deferred.ts selectionKey). */
  key: string;
  /** The metadata and tags the repository record holds: when the current ones differ, that record is rewritten. */
  meta: RepoMeta;
  tags: Tag[];
  /** Entries of the tree. */
  treeSize: number;
  /** [path, blob sha] of each document, in the order of the tree. */
  documents: [string, string][];
  warnings: PathWarning[];
  /** [path, blob sha] of the selected files whose blob the API did not have (404). */
  unreadable: [string, string][];
}

export interface ContentCache {
  readonly dir: string;
  readHttp(key: string): Promise<HttpEntry | undefined>;
  writeHttp(key: string, entry: HttpEntry): Promise<void>;
  readBlob(sha: string): Promise<Buffer | undefined>;
  writeBlob(sha: string, bytes: Buffer): Promise<void>;
  /** Whether a blob is kept (its bytes are checked when read). */
  hasBlob(sha: string): boolean;
  /** Whether the API answered 404 for this blob of this repository before. */
  isMissingBlob(repo: string, sha: string): Promise<boolean>;
  markMissingBlob(repo: string, sha: string): Promise<void>;
  readRepo(repo: string, requestedRef: string | undefined): Promise<CachedRepo | undefined>;
  writeRepo(record: CachedRepo): Promise<void>;
  readSelection(repo: string, requestedRef: string | undefined): Promise<CachedSelection | undefined>;
  writeSelection(selection: CachedSelection): Promise<void>;
}

export interface CacheOptions {
  onWarning?: (message: string) => void;
}

const SHA = /^[0-9a-f]{40}$/;

export function openCache(dir: string, options: CacheOptions = {}): ContentCache {
  const root = path.resolve(dir);
  let ready: boolean | undefined;
  let writeFailed = false;

  /** Claims the folder once (cache/folder.ts); a folder that is not ours means building without the cache. */
  function init(): boolean {
    if (ready !== undefined) return ready;
    try {
      const claimed = claimCacheFolder(root);
      if (claimed.note) options.onWarning?.(claimed.note);
      ready = true;
    } catch (error) {
      reportWriteFailure(error);
      ready = false;
    }
    return ready;
  }

  function reportWriteFailure(error: unknown): void {
    if (writeFailed) return;
    writeFailed = true;
    options.onWarning?.(`cache ${root} cannot be written (${(error as Error).message}); building without storing into it`);
  }

  function damaged(file: string, instead: string): void {
    options.onWarning?.(`cache ${root}: ${path.relative(root, file)} does not match the hash recorded when it was written (damaged or edited); not used, ${instead}`);
  }

  async function readJson<T>(file: string, instead = 'asked of GitHub again'): Promise<T | undefined> {
    if (!init()) return undefined;
    const entry = await readJsonEntry<T>(file);
    if (entry.state === 'damaged') damaged(file, instead);
    return entry.state === 'ok' ? entry.value : undefined; // the next write replaces a damaged entry
  }

  /** JSON entries are sealed with their hash; blobs are named by theirs, and missing-blob marks are empty. */
  async function write(file: string, data: string | Buffer, sealed = true): Promise<void> {
    if (!init() || writeFailed) return;
    try {
      if (sealed) await writeEntry(file, data);
      else {
        await mkdir(path.dirname(file), { recursive: true });
        await atomicWrite(file, data);
      }
    } catch (error) {
      reportWriteFailure(error);
    }
  }

  const httpFile = (key: string) => {
    const hash = createHash('sha256').update(key).digest('hex');
    return path.join(root, 'http', hash.slice(0, 2), `${hash}.json`);
  };
  const blobFile = (sha: string) => path.join(root, 'blobs', sha.slice(0, 2), sha);
  const missingFile = (repo: string, sha: string) =>
    path.join(root, 'blobs', sha.slice(0, 2), `${sha}.missing-${createHash('sha256').update(repo.toLowerCase()).digest('hex').slice(0, 16)}`);
  const refFile = (folder: string, repo: string, ref: string | undefined) => {
    const [owner = '', name = ''] = repo.toLowerCase().split('/');
    // encodeURIComponent keeps a ref like "release/1.0" one file name.
    const refName = ref === undefined ? '@default' : encodeURIComponent(ref).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
    return path.join(root, folder, owner, name, `${refName}.json`);
  };
  const repoFile = (repo: string, ref: string | undefined) => refFile('repos', repo, ref);
  const selectionFile = (repo: string, ref: string | undefined) => refFile('selections', repo, ref);

  return {
    dir: root,
    async readHttp(key) {
      const entry = await readJson<HttpEntry>(httpFile(key));
      return entry && typeof entry.etag === 'string' && typeof entry.body === 'string' ? entry : undefined;
    },
    writeHttp(key, entry) {
      return write(httpFile(key), JSON.stringify(entry));
    },
    async readBlob(sha) {
      if (!SHA.test(sha)) return undefined;
      const file = blobFile(sha);
      // Read synchronously: a rebuild reads every selected blob, and a read on the main thread costs a
      // fraction of the round trips through the thread pool that an asynchronous one takes.
      const bytes = init() ? readFileOrUndefined(file) : undefined;
      if (!bytes) return undefined;
      // Content-addressed: bytes that do not hash to their name are damage, not data.
      if (gitBlobSha(bytes) === sha) return bytes;
      damaged(file, 'downloaded again');
      return undefined;
    },
    hasBlob(sha) {
      return SHA.test(sha) && init() && existsSync(blobFile(sha));
    },
    writeBlob(sha, bytes) {
      if (!SHA.test(sha)) return Promise.resolve();
      return write(blobFile(sha), bytes, false);
    },
    async isMissingBlob(repo, sha) {
      // The mark says all by its name (blob and repository); it has no content to check.
      if (!SHA.test(sha) || !init()) return false;
      return (await readFile(missingFile(repo, sha)).catch(() => undefined)) !== undefined;
    },
    markMissingBlob(repo, sha) {
      if (!SHA.test(sha)) return Promise.resolve();
      return write(missingFile(repo, sha), '', false);
    },
    async readRepo(repo, requestedRef) {
      const record = await readJson<CachedRepo>(repoFile(repo, requestedRef));
      if (!record || record.repo?.toLowerCase() !== repo.toLowerCase() || record.requestedRef !== requestedRef) return undefined;
      if (typeof record.commitSha !== 'string' || !Array.isArray(record.tree) || !record.meta) return undefined;
      return { ...record, tags: record.tags ?? [], missingBlobs: record.missingBlobs ?? [] };
    },
    writeRepo(record) {
      return write(repoFile(record.repo, record.requestedRef), JSON.stringify(record));
    },
    async readSelection(repo, requestedRef) {
      const selection = await readJson<CachedSelection>(selectionFile(repo, requestedRef), 'the tree and files are read instead');
      if (!selection || selection.repo?.toLowerCase() !== repo.toLowerCase() || selection.requestedRef !== requestedRef) return undefined;
      const shaPairs = (list: unknown) => Array.isArray(list) && list.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string');
      if (typeof selection.commitSha !== 'string' || typeof selection.key !== 'string' || !selection.meta || !Array.isArray(selection.tags)) return undefined;
      if (typeof selection.treeSize !== 'number' || !shaPairs(selection.documents) || !shaPairs(selection.unreadable) || !Array.isArray(selection.warnings)) return undefined;
      return selection;
    },
    writeSelection(selection) {
      return write(selectionFile(selection.repo, selection.requestedRef), JSON.stringify(selection));
    },
  };
}

function readFileOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

async function atomicWrite(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}
