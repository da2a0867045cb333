import picomatch from 'picomatch';
import type { TreeEntry } from './types.ts';

/** Git mode of a symbolic link: its blob holds the link target, not the file's text. */
export const SYMLINK_MODE = '120000';

/** Whether a path matches one of `include` and none of `exclude` (as selectDocuments matches a blob's path). */
export function pathMatcher(include: readonly string[], exclude: readonly string[] = []): (path: string) => boolean {
  if (include.length === 0) return () => false;
  const options = { dot: false, nocase: false };
  const isIncluded = picomatch([...include], options);
  const isExcluded = exclude.length > 0 ? picomatch([...exclude], options) : () => false;
  return (path) => isIncluded(path) && !isExcluded(path);
}

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
  const selected = pathMatcher(include, exclude);
  return tree.filter((entry) => entry.type === 'blob' && entry.mode !== SYMLINK_MODE && selected(entry.path));
}

/** The symlinks the globs would have selected: left out of the documents, and worth a warning. */
export function selectedSymlinks(tree: readonly TreeEntry[], include: readonly string[], exclude: readonly string[] = []): TreeEntry[] {
  const selected = pathMatcher(include, exclude);
  return tree.filter((entry) => entry.type === 'blob' && entry.mode === SYMLINK_MODE && selected(entry.path));
}

/** The warning for a selected file that is a symlink. */
export const SYMLINK_SKIPPED = 'symbolic link (Git mode 120000), not followed: left out; commit the file itself instead of a link';
