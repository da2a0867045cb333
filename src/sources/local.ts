/**
 * A repository checked out on this machine, for previewing docs before they are pushed: the tree comes from
 * Git (HEAD plus the working tree's Markdown), the text from the working tree, so uncommitted edits show.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { githubBlobUrl, isMarkdownPath } from '../catalog/urls.ts';
import { selectDocuments } from './select.ts';
import { documentText, unsafePathReason } from './shared.ts';
import type { ContentSource, RepoContent, RepositoryRequest, SourceDocument, TreeEntry } from './types.ts';
import { SourceError } from './types.ts';

const run = promisify(execFile);

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The blob sha Git would give these bytes, so cached renders of unchanged files stay valid. */
function blobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** `checkouts` maps "owner/name" to a local folder; other repositories fall through to `fallback`. */
export function createLocalSource(checkouts: Map<string, string>, fallback?: ContentSource): ContentSource {
  const folderOf = (repo: string) => checkouts.get(repo.toLowerCase());
  return {
    kind: fallback?.kind ?? 'snapshot',
    async loadRepository(request: RepositoryRequest): Promise<RepoContent> {
      const dir = folderOf(request.repo);
      if (!dir) {
        if (fallback) return fallback.loadRepository(request);
        throw new SourceError(`repository ${request.repo} has no local checkout`, request.repo);
      }
      let head: string;
      try {
        head = (await git(dir, ['rev-parse', 'HEAD'])).trim();
      } catch {
        throw new SourceError(`${dir} is not a Git checkout with a commit (for ${request.repo}); check the --local path`, request.repo);
      }
      const branch = (await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD')).trim();
      const tree: TreeEntry[] = [];
      const warnings: { path: string; message: string }[] = [];
      // -z: paths with spaces, quotes or non-ASCII come through unescaped.
      for (const record of (await git(dir, ['ls-tree', '-r', '-t', '-l', '-z', 'HEAD'])).split('\0')) {
        const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(record);
        if (!m) continue;
        const type = m[2] === 'tree' ? 'tree' : m[2] === 'commit' ? 'commit' : 'blob';
        const reason = unsafePathReason(m[5]!);
        if (reason) warnings.push({ path: m[5]!, message: `left out of the tree: ${reason}` });
        else tree.push({ path: m[5]!, mode: m[1]!, type, sha: m[3]!, ...(m[4] !== '-' ? { size: Number(m[4]) } : {}) });
      }
      const [owner = '', name = ''] = request.repo.split('/');
      const documents: SourceDocument[] = [];
      for (const entry of selectDocuments(tree, request.include, request.exclude)) {
        const bytes = await readFile(path.join(dir, entry.path)).catch(() => undefined);
        if (!bytes) continue;
        const sha = blobSha(bytes);
        const decoded = isMarkdownPath(entry.path) ? documentText(bytes) : { text: bytes.toString('utf8') };
        if ('skipped' in decoded || decoded.warning) warnings.push({ path: entry.path, message: 'skipped' in decoded ? decoded.skipped : decoded.warning! });
        if ('skipped' in decoded) continue;
        documents.push({ repo: request.repo, path: entry.path, text: decoded.text, blobSha: sha, commitSha: head, sourceUrl: githubBlobUrl(request.repo, head, entry.path) });
      }
      const pushed = (await git(dir, ['log', '-1', '--format=%cI']).catch(() => '')).trim() || null;
      return {
        meta: { fullName: request.repo, owner, name, defaultBranch: branch, description: null, htmlUrl: `https://github.com/${request.repo}`, pushedAt: pushed, archived: false, fork: false, topics: [] },
        ref: request.ref ?? branch,
        commitSha: head,
        tree,
        treeTruncated: false,
        tags: [],
        documents,
        ...(warnings.length ? { warnings } : {}),
      };
    },
    async readBlob(repo: RepoContent, filePath: string) {
      const dir = folderOf(repo.meta.fullName);
      if (!dir) return fallback?.readBlob(repo, filePath);
      const full = path.resolve(dir, filePath);
      if (!full.startsWith(path.resolve(dir) + path.sep)) return undefined;
      return readFile(full).catch(() => undefined);
    },
    // Discovery, batching and counters belong to the source behind the checkouts.
    ...(fallback?.listOrgRepositories ? { listOrgRepositories: (org: string) => fallback.listOrgRepositories!(org) } : {}),
    ...(fallback?.prefetch
      ? { prefetch: (requests: readonly RepositoryRequest[]) => fallback.prefetch!(requests.filter((r) => !folderOf(r.repo))) }
      : {}),
    ...(fallback?.stats !== undefined ? { stats: fallback.stats } : {}),
  };
}
