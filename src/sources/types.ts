/**
 * What every content source yields. GitHub, a snapshot folder and a local checkout all produce the same
 * shapes, so the stages after this one never know where bytes came from.
 */
import type { RuleId } from '../core/warning.ts';

/** One entry of a recursive Git tree, as GET /repos/{o}/{r}/git/trees/{sha}?recursive=1 returns it. */
export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
  /**
   * YYYY-MM-DD of the last commit that changed the file, when the source knows it (a snapshot's tree entry may
   * carry `date`); GitHub's tree does not say, and nothing is guessed.
   */
  updated?: string;
}

export interface RepoMeta {
  /** "owner/name" */
  fullName: string;
  owner: string;
  name: string;
  defaultBranch: string;
  description: string | null;
  htmlUrl: string;
  pushedAt: string | null;
  archived: boolean;
  fork: boolean;
  topics: string[];
}

export interface Tag {
  name: string;
  sha: string;
  date?: string;
}

/** A text file taken into the bundle (Markdown, release notes, mkdocs.yml, manifest.json). */
export interface SourceDocument {
  /** "owner/name" */
  repo: string;
  /** Path inside the repository, '/'-separated, no leading slash. */
  path: string;
  text: string;
  blobSha: string;
  commitSha: string;
  /** The forge's blob URL pinned to the commit. */
  sourceUrl: string;
}

/** A repository as one source saw it at one commit. */
export interface RepoContent {
  meta: RepoMeta;
  /** The branch, tag or sha that was asked for. */
  ref: string;
  commitSha: string;
  /** Every path of the commit, including files that are not taken into the bundle. */
  tree: TreeEntry[];
  treeTruncated: boolean;
  tags: Tag[];
  documents: SourceDocument[];
  /**
   * How current this copy is: 'fresh' was read from the source now, 'cached' was confirmed unchanged (same
   * head commit) and reused from the cache, 'stale' is the last good cached copy served because the source
   * failed. Absent means fresh (sources without a cache).
   */
  freshness?: 'fresh' | 'cached' | 'stale';
  /** Why a stale copy was served: the error the source gave. */
  staleReason?: string;
  /**
   * Problems with single paths or files (unsafe tree paths, symlinks, binary or oversized documents), for the
   * build's warnings; `path` is empty for the repository as a whole (a truncated tree).
   */
  warnings?: { path: string; message: string; ruleId: RuleId }[];
  /**
   * Set when the source knew this commit's documents from its cache and read neither the tree nor a blob:
   * `tree` is then empty and reading a document's `text` throws. `complete()` reads them (once).
   */
  deferred?: DeferredContent;
}

/** What a repository loaded from a cached list of its documents still has to read. */
export interface DeferredContent {
  /** Entries of the tree, as `tree.length` of the complete content. */
  treeSize: number;
  /** The complete content: the tree and every document's text. */
  complete(): Promise<RepoContent>;
}

/** How a build asks for a repository. */
export interface LoadOptions {
  /**
   * A source may answer with deferred content (see RepoContent.deferred) when its cache knows the documents at
   * the current commit, for a build that may find it needs no text at all.
   */
  defer?: boolean;
}

/** What a source is asked to load for one repository. */
export interface RepositoryRequest {
  repo: string;
  ref?: string;
  /** Globs of the files to read as documents; matched against tree paths. */
  include: string[];
  exclude: string[];
  /** Whether the tag list is wanted (the services catalog shows the latest version). */
  tags: boolean;
}

/** The fields of one GitHub release (GET /repos/{o}/{r}/releases) that the build reads. */
export interface ApiRelease {
  tag_name: string;
  name: string | null;
  body: string | null;
  published_at: string | null;
  html_url: string;
  draft?: boolean;
  prerelease?: boolean;
}

export interface ContentSource {
  readonly kind: 'github' | 'snapshot' | 'local';
  loadRepository(request: RepositoryRequest, options?: LoadOptions): Promise<RepoContent>;
  /** Bytes of any blob of a loaded repository (images); undefined when the source does not have them. */
  readBlob(repo: RepoContent, path: string): Promise<Buffer | undefined>;
  /**
   * Where the bytes of a blob are on disk, for sources that keep them in a file: large images are then
   * copied from there without being read into memory. Undefined when the source does not have them.
   */
  blobFile?(repo: RepoContent, path: string): Promise<string | undefined>;
  /**
   * Told that `readBlob` will likely be asked for this blob soon: a network source with a cache starts
   * fetching it into the cache now (errors are left for that `readBlob` to meet); others ignore it.
   */
  prefetchBlob?(repo: RepoContent, path: string): void;
  /** Every repository of an organisation (for `organizations` in sources.json). */
  listOrgRepositories?(org: string): Promise<RepoMeta[]>;
  /** Told every request of a build up front, so a source can batch what it would otherwise ask one by one. */
  prefetch?(requests: readonly RepositoryRequest[]): Promise<void>;
  /** Request counters of a network source, for the build report; absent for local sources. */
  readonly stats?: SourceStats;
  /** The published GitHub releases of a repository ("owner/name"), newest first as the API lists them. */
  listReleases?(repo: string): Promise<ApiRelease[]>;
}

export interface SourceStats {
  requests: number;
  /** Responses by HTTP status ("200", "304", "404", ...). */
  byStatus: Record<string, number>;
  /** Requests by kind (rest, graphql, conditional, notModified, blobs, trees, retries, heldBack). */
  byKind?: Record<string, number>;
  /** Bytes of answer bodies received. */
  bytes?: number;
  /** Latest rate-limit state by resource ("core", "graphql"). */
  rateLimit?: Record<string, { limit?: number; remaining: number; reset?: number | string; used?: number }>;
}

export class SourceError extends Error {
  constructor(
    message: string,
    readonly repo: string,
    readonly status?: number,
    /** The whole build should stop (bad token, exhausted rate limit): other repositories would fail alike. */
    readonly fatal = false,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
