/**
 * Loads that read neither a tree nor a blob. Which documents a load takes, and what it warns about them, follow
 * from the commit (it names its tree, and each tree entry names its blob by hash), the request's globs, whether
 * dates are read and the program itself: the GitHub source keeps that outcome (cache.ts CachedSelection) and,
 * when a build allows it, answers a repository whose head is still that commit with its documents' paths and
 * blob shas only. A build that then finds nothing changed never reads the tree or the blobs; one that has work
 * completes the content first, reading them as any load does (every cache entry checked as it is read).
 */
import { createHash } from 'node:crypto';
import { codeVersion } from '../core/code-version.ts';
import type { CachedSelection } from './cache.ts';
import type { PathWarning } from './documents.ts';
import { blobSourceUrl } from './shared.ts';
import type { RepoContent, RepoMeta, RepositoryRequest, SourceDocument, Tag, TreeEntry } from './types.ts';

/** What decides a load's documents besides the commit: the globs, whether dates are read, the program's version. */
export function selectionKey(request: RepositoryRequest, dates: boolean): string {
  const what = { include: request.include, exclude: request.exclude, dates, code: codeVersion() };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** Whether a kept selection is the one a load of a request of this key at `commitSha` would make. */
export function selectionFits(selection: CachedSelection, key: string, commitSha: string): boolean {
  return selection.commitSha === commitSha && selection.key === key;
}

/**
 * Whether the repository record still holds these metadata and tags. When they changed, the record needs
 * rewriting (it is the copy a failed load falls back to), which the complete load does.
 */
export function selectionCurrent(selection: CachedSelection, meta: RepoMeta, tags: readonly Tag[]): boolean {
  return sameJson(selection.meta, meta) && sameJson(selection.tags, tags);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface SelectionInput {
  request: RepositoryRequest;
  key: string;
  meta: RepoMeta;
  commitSha: string;
  tags: Tag[];
  tree: readonly TreeEntry[];
  documents: readonly SourceDocument[];
  warnings: PathWarning[];
  unreadable: readonly TreeEntry[];
}

/** The selection to keep after a complete load of an untruncated tree. */
export function selectionOf(input: SelectionInput): CachedSelection {
  return {
    repo: input.request.repo,
    ...(input.request.ref !== undefined ? { requestedRef: input.request.ref } : {}),
    commitSha: input.commitSha,
    key: input.key,
    meta: input.meta,
    tags: input.tags,
    treeSize: input.tree.length,
    documents: input.documents.map((d) => [d.path, d.blobSha]),
    warnings: input.warnings,
    unreadable: input.unreadable.map((e) => [e.path, e.sha]),
  };
}

/** A document whose text is not read yet: reading it is a mistake of the caller, so it throws. */
function deferredDocument(repo: string, commitSha: string, path: string, blobSha: string): SourceDocument {
  const document = { repo, path, blobSha, commitSha, sourceUrl: blobSourceUrl(repo, commitSha, path) } as SourceDocument;
  Object.defineProperty(document, 'text', {
    enumerable: true,
    get() {
      throw new Error(`${repo}/${path}: the text of a deferred document was read before its repository was completed`);
    },
  });
  return document;
}

export interface DeferredInput {
  request: RepositoryRequest;
  meta: RepoMeta;
  ref: string;
  commitSha: string;
  tags: Tag[];
  selection: CachedSelection;
  /** The complete load of the repository (tree and texts), asked once. */
  complete: () => Promise<RepoContent>;
}

/** A repository's content as its kept selection gives it, completed on demand. */
export function deferredContent(input: DeferredInput): RepoContent {
  const { request, commitSha, selection } = input;
  let completing: Promise<RepoContent> | undefined;
  const complete = () => {
    if (!completing) {
      completing = input.complete();
      completing.catch(() => (completing = undefined));
    }
    return completing;
  };
  return {
    meta: input.meta,
    ref: input.ref,
    commitSha,
    tree: [],
    treeTruncated: false,
    tags: input.tags,
    documents: selection.documents.map(([path, blobSha]) => deferredDocument(request.repo, commitSha, path, blobSha)),
    freshness: 'cached',
    ...(selection.warnings.length ? { warnings: selection.warnings } : {}),
    deferred: { treeSize: selection.treeSize, complete },
  };
}
