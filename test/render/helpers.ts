/** Fixture context: a made-up repository tree and bundle, written for these tests. */
import type { RepoTree } from '../../src/catalog/catalog.ts';
import type { TreeEntry } from '../../src/sources/types.ts';
import type { RenderContext } from '../../src/render/types.ts';
import type { SourceDocument } from '../../src/sources/types.ts';
import { pagePathFor } from '../../src/catalog/urls.ts';

export const SHA = 'abc1234def5678abc1234def5678abc1234def56';
export const OTHER_SHA = 'ffff000011112222333344445555666677778888';

function tree(paths: string[], sha: string): RepoTree {
  const entries = new Map<string, TreeEntry>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!entries.has(dir)) entries.set(dir, { path: dir, mode: '040000', type: 'tree', sha: `t-${dir}` });
    }
    if (!p.endsWith('/')) entries.set(p, { path: p, mode: '100644', type: 'blob', sha: `b-${p}` });
  }
  return { commitSha: sha, defaultBranch: 'main', entries };
}

/** acme/widget: the repository of the page under test; acme/gadget: another loaded repository. */
export const trees: Record<string, RepoTree> = {
  'acme/widget': tree(
    [
      'README.md',
      'LICENSE',
      'src/main.py',
      'docs/README.md',
      'docs/setup.md',
      'docs/guide/install.md',
      'docs/guide/Advanced Topics.md',
      'docs/img/diagram.png',
      'docs/img/big.png',
      'docs/img/logo.svg',
      'docs/img/flow.html',
      'docs/notes.txt',
      'examples/run.sh',
      'Docs-Only/readme.md',
    ],
    SHA,
  ),
  'acme/gadget': tree(['README.md', 'docs/api.md', 'docs/internal.md', 'docs/shot.png'], OTHER_SHA),
};

/** Files that are pages of the bundle (docs/notes.txt and gadget's docs/internal.md are not). */
const bundled: Record<string, string[]> = {
  'acme/widget': ['README.md', 'docs/README.md', 'docs/setup.md', 'docs/guide/install.md', 'docs/guide/Advanced Topics.md', 'Docs-Only/readme.md'],
  'acme/gadget': ['README.md', 'docs/api.md'],
};

export function urlOf(repo: string, filePath: string): string | undefined {
  const list = bundled[repo.toLowerCase()];
  if (!list?.includes(filePath)) return undefined;
  return `services/${repo.toLowerCase().split('/')[1]}/${pagePathFor(filePath)}`;
}

export function context(filePath = 'docs/setup.md', repo = 'acme/widget', published: string[] = []): RenderContext {
  return {
    repo,
    path: filePath,
    commitSha: trees[repo]!.commitSha,
    pageUrl: urlOf(repo, filePath) ?? `services/${repo.split('/')[1]}/${pagePathFor(filePath)}`,
    pageUrlForFile: urlOf,
    treeOf: (r) => trees[r.toLowerCase()],
    publishAsset: async (r, p) => {
      if (p.endsWith('big.png')) return undefined; // bytes not available: falls back to GitHub
      if (!/\.(png|svg)$/.test(p)) return undefined; // no image: never published
      const name = `assets/files/0123456789abcdef-${p.split('/').pop()}`;
      published.push(`${r}:${p}`);
      return name;
    },
  };
}

export function doc(text: string, filePath = 'docs/setup.md', repo = 'acme/widget'): SourceDocument {
  return { repo, path: filePath, text, blobSha: 'blob', commitSha: trees[repo]!.commitSha, sourceUrl: '' };
}
