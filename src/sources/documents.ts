/**
 * From a tree to documents, for every source: GitHub, a snapshot folder and a local checkout list a tree
 * their own way and read blobs their own way, but select, decode and warn here, so the same tree gives the
 * same documents and the same warnings whichever source holds it. Nothing here is kept per repository: a
 * repository read at several refs (each release tag) is one call per tree.
 */
import { createHash } from 'node:crypto';
import { mapLimit } from '../core/concurrency.ts';
import type { RuleId } from '../core/warning.ts';
import { isMarkdownPath } from '../core/paths.ts';
import { selectDocuments, selectedSymlinks, SYMLINK_SKIPPED } from './select.ts';
import { blobSourceUrl, dataTooLargeMessage, decodeText, documentText, tooLargeMessage, truncatedTreeMessage } from './shared.ts';
import type { SourceDocument, TreeEntry } from './types.ts';

/** A problem with one path of a tree; `path` is empty for the tree as a whole (truncated). */
export interface PathWarning {
  path: string;
  message: string;
  ruleId: RuleId;
}

/** A tree as a source listed it: the usable entries, and the paths left out as unsafe, with why. */
export interface ListedTree {
  tree: readonly TreeEntry[];
  truncated: boolean;
  dropped: readonly { path: string; reason: string }[];
}

/**
 * Where a document's blob sha comes from. 'tree': the bytes were fetched by the entry's sha, so it is theirs.
 * 'checked': the sha of the bytes is computed and a mismatch with the tree is warned about (a snapshot whose
 * files/ and tree.json disagree). 'computed': the sha of the bytes, silently (a working tree edited since it
 * was listed).
 */
export type BlobShaOrigin = 'tree' | 'checked' | 'computed';

export interface TreeDocumentsInput {
  /** "owner/name" */
  repo: string;
  /** The commit the tree is of; documents link to their file at this commit. */
  commitSha: string;
  listed: ListedTree;
  include: readonly string[];
  exclude: readonly string[];
  /** Bytes of a selected blob; undefined when the source does not have them. */
  read: (entry: TreeEntry) => Promise<Buffer | undefined>;
  /** Given the entries that are to be read (not too large), first: a source may fetch many at once. */
  readAhead?: (entries: TreeEntry[]) => Promise<void>;
  blobSha: BlobShaOrigin;
  /** Blobs read at once. Default 1. */
  concurrency?: number;
}

export interface TreeDocuments {
  documents: SourceDocument[];
  /** Sorted by path; the tree's own warning (truncated, path '') first. */
  warnings: PathWarning[];
  /** Selected entries whose bytes the source did not have. */
  unreadable: TreeEntry[];
}

/** The message for a selected file whose bytes the source does not have. */
export const UNREADABLE_MESSAGE = 'listed in the tree, but its content could not be read; skipped';

/** Git's blob sha of `bytes`: what `git hash-object` prints for them. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The warnings a tree gives before any blob is read: truncated, unsafe paths left out, selected symlinks. */
export function treeWarnings(listed: ListedTree, include: readonly string[], exclude: readonly string[]): PathWarning[] {
  const warnings: PathWarning[] = listed.truncated ? [{ path: '', message: truncatedTreeMessage(listed.tree.length), ruleId: 'truncated-tree' }] : [];
  for (const { path, reason } of listed.dropped) warnings.push({ path, message: `left out of the tree: ${reason}`, ruleId: 'unsafe-path' });
  for (const entry of selectedSymlinks(listed.tree, include, exclude)) warnings.push({ path: entry.path, message: SYMLINK_SKIPPED, ruleId: 'symlink' });
  return warnings;
}

type Outcome = { document?: SourceDocument; warnings: PathWarning[]; unreadable?: TreeEntry };

/**
 * The documents of a tree: the blobs the globs select (symlinks warned about, not followed), Markdown
 * decoded by documentText (binary, oversized and non-UTF-8 files skipped or repaired with a warning), other
 * selected files (mkdocs.yml, manifest.json) decoded as UTF-8.
 */
export async function treeDocuments(input: TreeDocumentsInput): Promise<TreeDocuments> {
  const { repo, commitSha, listed, include, exclude } = input;
  // A file the tree already says is too large is not even read.
  const tooLarge = (entry: TreeEntry) => (entry.size !== undefined ? (isMarkdownPath(entry.path) ? tooLargeMessage : dataTooLargeMessage)(entry.size) : undefined);
  const selected = selectDocuments(listed.tree, include, exclude);
  await input.readAhead?.(selected.filter((entry) => !tooLarge(entry)));
  const outcomes = await mapLimit(selected, input.concurrency ?? 1, async (entry): Promise<Outcome> => {
    const markdown = isMarkdownPath(entry.path);
    const large = tooLarge(entry);
    if (large) return { warnings: [{ path: entry.path, message: large, ruleId: 'large-file' }] };
    const bytes = await input.read(entry);
    if (!bytes) return { warnings: [{ path: entry.path, message: UNREADABLE_MESSAGE, ruleId: 'unreadable-file' }], unreadable: entry };
    const largeBytes = markdown ? undefined : dataTooLargeMessage(bytes.length);
    if (largeBytes) return { warnings: [{ path: entry.path, message: largeBytes, ruleId: 'large-file' }] };
    const warnings: PathWarning[] = [];
    let blobSha = entry.sha;
    if (input.blobSha !== 'tree') {
      blobSha = gitBlobSha(bytes);
      if (input.blobSha === 'checked' && blobSha !== entry.sha) {
        warnings.push({ path: entry.path, message: `content is blob ${blobSha}, not blob ${entry.sha} as the tree lists; the copy is inconsistent`, ruleId: 'blob-mismatch' });
      }
    }
    const decoded = markdown ? documentText(bytes) : { text: decodeText(bytes) };
    if ('skipped' in decoded) return { warnings: [...warnings, { path: entry.path, message: decoded.skipped, ruleId: decoded.rule }] };
    if (decoded.warning) warnings.push({ path: entry.path, message: decoded.warning, ruleId: 'file-encoding' });
    const document: SourceDocument = { repo, path: entry.path, text: decoded.text, blobSha, commitSha, sourceUrl: blobSourceUrl(repo, commitSha, entry.path) };
    return { document, warnings };
  });
  const warnings = [...treeWarnings(listed, include, exclude), ...outcomes.flatMap((o) => o.warnings)];
  return {
    documents: outcomes.flatMap((o) => (o.document ? [o.document] : [])),
    // Stable: a path's own warnings keep their order.
    warnings: warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    unreadable: outcomes.flatMap((o) => (o.unreadable ? [o.unreadable] : [])),
  };
}
