import { describe, expect, it } from 'vitest';
import { blobAt } from '../../src/sources/shared.ts';
import type { TreeEntry } from '../../src/sources/types.ts';

describe('blobAt', () => {
  const tree: TreeEntry[] = [
    { path: 'docs', mode: '040000', type: 'tree', sha: 't1' },
    { path: 'docs/a.png', mode: '100644', type: 'blob', sha: 'b1', size: 3 },
    { path: 'vendor/lib', mode: '160000', type: 'commit', sha: 'c1' },
    { path: 'README.md', mode: '100644', type: 'blob', sha: 'b2', size: 9 },
  ];

  it('finds what a search of the tree finds: blobs only, by exact path', () => {
    for (const path of ['docs', 'docs/a.png', 'vendor/lib', 'README.md', 'readme.md', 'docs/', 'missing']) {
      expect(blobAt(tree, path)).toBe(tree.find((e) => e.path === path && e.type === 'blob'));
    }
  });

  it('keeps one index per tree', () => {
    const other: TreeEntry[] = [{ path: 'docs/a.png', mode: '100644', type: 'blob', sha: 'other' }];
    expect(blobAt(other, 'docs/a.png')?.sha).toBe('other');
    expect(blobAt(tree, 'docs/a.png')?.sha).toBe('b1');
  });
});
