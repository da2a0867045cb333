import picomatch from 'picomatch';
import type { TreeEntry } from './types.ts';

/** The blobs of a tree that the include globs take and the exclude globs leave. */
export function selectDocuments(tree: TreeEntry[], include: string[], exclude: string[]): TreeEntry[] {
  const isIncluded = picomatch(include, { dot: false });
  const isExcluded = exclude.length ? picomatch(exclude, { dot: false }) : () => false;
  return tree.filter((e) => e.type === 'blob' && isIncluded(e.path) && !isExcluded(e.path));
}
