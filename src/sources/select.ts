import picomatch from 'picomatch';
import type { TreeEntry } from './types.ts';

/** Git mode of a symbolic link: its blob holds the link target, not the file's text. */
const SYMLINK_MODE = '120000';

/**
 * The tree entries to read as documents: blobs whose path matches one of `include` and none of `exclude`.
 * Matching is case-sensitive (Git paths are) and `*`/`**` do not enter dot folders, so `.github/` stays out
 * unless a glob names it. Symlinks are left out: their blob is the target path, not Markdown.
 * Both sources use this function, so they select the same files from the same tree.
 */
export function selectDocuments(
  tree: readonly TreeEntry[],
  include: readonly string[],
  exclude: readonly string[] = [],
): TreeEntry[] {
  if (include.length === 0) return [];
  const options = { dot: false, nocase: false };
  const isIncluded = picomatch([...include], options);
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], options) : () => false;
  return tree.filter(
    (entry) => entry.type === 'blob' && entry.mode !== SYMLINK_MODE && isIncluded(entry.path) && !isExcluded(entry.path),
  );
}
