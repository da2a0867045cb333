import { describe, expect, it } from 'vitest';
import { selectDocuments } from '../../src/sources/select.ts';
import type { TreeEntry } from '../../src/sources/types.ts';

const sha = (n: number) => n.toString(16).padStart(40, '0');
const blob = (path: string, n = 1): TreeEntry => ({ path, mode: '100644', type: 'blob', sha: sha(n), size: 10 });
const dir = (path: string): TreeEntry => ({ path, mode: '040000', type: 'tree', sha: sha(99) });

const tree: TreeEntry[] = [
  blob('.github/PULL_REQUEST_TEMPLATE.md'),
  dir('Docs'),
  blob('Docs/upper.md'),
  blob('README.md'),
  blob('Readme.md'),
  dir('docs'),
  blob('docs/.drafts/wip.md'),
  blob('docs/a.md'),
  dir('docs/b.md'),
  blob('docs/deep/er/c.md'),
  blob('docs/img/d.png'),
  { path: 'docs/link.md', mode: '120000', type: 'blob', sha: sha(5), size: 4 },
  blob('docs/notes.MD'),
  blob('docs/internal/secret.md'),
  { path: 'docs/sub', mode: '160000', type: 'commit', sha: sha(6) },
  blob('src/README.md'),
];
const paths = (entries: TreeEntry[]) => entries.map((e) => e.path);

describe('selectDocuments', () => {
  it('matches README.md at the root only', () => {
    expect(paths(selectDocuments(tree, ['README.md'], []))).toEqual(['README.md']);
  });

  it('matches docs/**/*.md at any depth, including docs/ itself', () => {
    expect(paths(selectDocuments(tree, ['docs/**/*.md'], []))).toEqual([
      'docs/a.md',
      'docs/deep/er/c.md',
      'docs/internal/secret.md',
    ]);
  });

  it('is case-sensitive for folders, names and extensions', () => {
    const selected = paths(selectDocuments(tree, ['README.md', 'docs/**/*.md'], []));
    expect(selected).not.toContain('Readme.md');
    expect(selected).not.toContain('Docs/upper.md');
    expect(selected).not.toContain('docs/notes.MD');
  });

  it('leaves dot folders out unless a glob names them', () => {
    expect(paths(selectDocuments(tree, ['**/*.md'], []))).not.toContain('.github/PULL_REQUEST_TEMPLATE.md');
    expect(paths(selectDocuments(tree, ['docs/**/*.md'], []))).not.toContain('docs/.drafts/wip.md');
    expect(paths(selectDocuments(tree, ['.github/*.md'], []))).toEqual(['.github/PULL_REQUEST_TEMPLATE.md']);
  });

  it('applies exclude globs after include', () => {
    expect(paths(selectDocuments(tree, ['docs/**/*.md'], ['docs/internal/**']))).toEqual(['docs/a.md', 'docs/deep/er/c.md']);
    expect(paths(selectDocuments(tree, ['**/README.md'], ['src/**']))).toEqual(['README.md']);
  });

  it('takes only regular blobs: no folders, submodules or symlinks', () => {
    const selected = paths(selectDocuments(tree, ['docs/*'], []));
    expect(selected).toEqual(['docs/a.md', 'docs/notes.MD']);
    expect(selected).not.toContain('docs/b.md');
    expect(selected).not.toContain('docs/link.md');
    expect(selected).not.toContain('docs/sub');
  });

  it('selects nothing without include globs and keeps tree order', () => {
    expect(selectDocuments(tree, [], [])).toEqual([]);
    expect(paths(selectDocuments(tree, ['docs/a.md', 'README.md'], []))).toEqual(['README.md', 'docs/a.md']);
  });

  it('accepts alternatives and several extensions', () => {
    expect(paths(selectDocuments(tree, ['docs/**/*.{md,png}'], ['docs/{deep,internal}/**']))).toEqual([
      'docs/a.md',
      'docs/img/d.png',
    ]);
  });
});
