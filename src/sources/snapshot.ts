import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentSource, RepoContent, RepositoryRequest, TreeEntry } from './types.ts';
import { SourceError } from './types.ts';
import { selectDocuments } from './select.ts';
import { githubBlobUrl } from '../catalog/urls.ts';

export function createSnapshotSource(dir: string): ContentSource {
  const root = path.resolve(dir);
  const repoDir = (repo: string) => path.join(root, ...repo.split('/'));
  const readJson = async (repo: string, name: string) => JSON.parse(await readFile(path.join(repoDir(repo), name), 'utf8'));
  return {
    kind: 'snapshot',
    async loadRepository(request: RepositoryRequest): Promise<RepoContent> {
      let meta;
      try {
        meta = await readJson(request.repo, 'repo.json');
      } catch {
        throw new SourceError(`repository ${request.repo} is not in the snapshot ${root} (no ${request.repo}/repo.json)`, request.repo, 404);
      }
      const tree = await readJson(request.repo, 'tree.json');
      const tags = request.tags ? await readJson(request.repo, 'tags.json').catch(() => []) : [];
      const commitSha = meta.head_sha;
      const documents = [];
      for (const entry of selectDocuments(tree.tree as TreeEntry[], request.include, request.exclude)) {
        const text = await readFile(path.join(repoDir(request.repo), 'files', entry.path), 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        documents.push({ repo: meta.full_name, path: entry.path, text, blobSha: entry.sha, commitSha, sourceUrl: githubBlobUrl(meta.full_name, commitSha, entry.path) });
      }
      return {
        meta: {
          fullName: meta.full_name, owner: meta.owner.login, name: meta.name, defaultBranch: meta.default_branch,
          description: meta.description ?? null, htmlUrl: meta.html_url, pushedAt: meta.pushed_at ?? null,
          archived: !!meta.archived, fork: !!meta.fork, topics: meta.topics ?? [],
        },
        ref: request.ref ?? meta.default_branch,
        commitSha,
        tree: tree.tree,
        treeTruncated: !!tree.truncated,
        tags: tags.map((t: { name: string; commit: { sha: string }; date?: string }) => ({ name: t.name, sha: t.commit.sha, date: t.date })),
        documents,
      };
    },
    async readBlob(repo: RepoContent, filePath: string) {
      return readFile(path.join(repoDir(repo.meta.fullName), 'files', filePath)).catch(() => undefined);
    },
  };
}
